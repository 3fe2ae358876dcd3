import { ApiError } from './client.ts';

/** Error codes as sentences a partner can act on. The backend's message adds the specifics. */
const HINTS: Record<string, string> = {
  'compliance-errors': 'Fix the issues listed in the compliance panel, then export again.',
  'image-mislabelled': 'Rename the file with the right extension, or export it again from your design tool.',
  'image-truncated': 'The file is incomplete. Download or export it again.',
  'image-corrupt': 'The file is damaged. Export it again from your design tool.',
  'image-too-large': 'Use a smaller version of the logo.',
  'image-unsupported': 'Use a PNG, JPEG, PDF or SVG logo.',
  'svg-refused': 'Save a plain SVG (no DOCTYPE or entities), or export the logo as PDF (vector) or PNG.',
  'pdf-logo-encrypted': 'Save a copy of the PDF without a password.',
  'template-not-entitled': 'Your partner level does not include this template.',
  forbidden: 'Reopen Lockup from the address it printed.',
  'output-unwritable': 'Choose another folder.',
  'pack-invalid': 'Ask the publisher to send the pack again; the file was damaged or changed on its way.',
  'pack-signature': 'Do not use this file. Ask the publisher for the pack directly.',
  'pack-limit': 'This file is far larger than any real pack; do not use it.',
  'pack-rollback': 'You already have a newer version of this pack.',
  'pack-key-changed': 'Check the new fingerprint with the publisher before you trust it.',
  'credential-invalid': 'Use the .cred file your vendor sent you, unchanged.',
  'credential-signature': 'Use the .cred file your vendor sent you, unchanged.',
  'credential-expired': 'Ask your vendor for a new credential.',
  'credential-revoked': 'Ask your vendor for a new credential.',
  'credential-wrong-publisher': "Open that vendor's pack first, or check you picked the right file.",
  'font-invalid': 'Download the font again from the foundry, or export it again as TrueType.',
  'brand-invalid': 'Fix the highlighted field, then save again.',
  'product-invalid': 'Fix the product’s details, then save again.',
  'profile-invalid': 'Save your profile first, then try again.',
  'key-invalid': 'Create your signing key first, or restore the data folder that holds it.',
  'publisher-unknown': 'Add that vendor’s pack first.',
  'derived-signature': 'Do not use this file. Ask the distributor for the pack directly.',
  'derived-binding': 'The vendor’s pack inside is not the one the distributor signed (swapped or older). Ask the distributor for the pack again.',
  'derived-vendor-pack': 'Use the vendor’s own pack, exactly as the vendor published it.',
  'derived-vendor-locked': 'The vendor locked this; only the areas and texts the vendor left to you can change.',
  'derived-out-of-scope': 'The vendor’s authorisation does not cover this template; ask the vendor to extend it.',
  'distributor-credential-invalid': 'Use the authorisation (.cred) file the vendor sent, unchanged.',
  'distributor-credential-signature': 'Use an authorisation signed with the key of this vendor pack; ask the vendor for a new one.',
  'distributor-credential-expired': 'Ask the vendor for a new authorisation.',
  'distributor-key-mismatch': 'Send the vendor the public key shown under Identity, then add the authorisation the vendor issues for it.',
  'distributor-key-changed': 'Check the new fingerprint with the distributor before you trust it.',
  'credential-out-of-scope': 'The vendor did not allow this distributor to grant it; choose a lower tier, or ask the vendor.',
};

export function describe(err: unknown): { title: string; hint: string | undefined; code: string } {
  if (err instanceof ApiError) return { title: err.message, hint: HINTS[err.code], code: err.code };
  return { title: err instanceof Error ? err.message : String(err), hint: undefined, code: 'internal' };
}

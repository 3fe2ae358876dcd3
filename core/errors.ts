/**
 * Error codes that cross boundaries (CLI, IPC, worker messages). Codes are
 * stable kebab-case identifiers; the text shown to a person is produced at
 * the edge by `describeError` so wording can change without breaking callers.
 */
export const ERROR_CODES = [
  'internal',
  'usage',
  'file-unreadable',
  'file-empty',
  'file-too-large',
  'json-invalid',
  'template-invalid',
  'template-unknown',
  'template-version-conflict',
  'template-not-entitled',
  'document-invalid',
  'brand-unknown',
  'brand-invalid',
  'product-invalid',
  'profile-invalid',
  'field-unknown',
  'field-not-editable',
  'image-unsupported',
  'image-mislabelled',
  'image-truncated',
  'image-corrupt',
  'image-too-large',
  'image-decode-timeout',
  'svg-refused',
  'pdf-logo-encrypted',
  'pdf-logo-invalid',
  'font-unsupported',
  'font-invalid',
  'csv-invalid',
  'catalogue-newer',
  'catalogue-migration-order',
  'catalogue-corrupt',
  'data-dir-unusable',
  'compliance-errors',
  'output-unwritable',
  'asset-missing',
  'unknown-operation',
  'invalid-argument',
  'forbidden',
  'too-large',
  'not-supported',
  'cancelled',
  // Signed packs and credentials (docs/decisions/0011).
  'key-invalid',
  'pack-invalid',
  'pack-limit',
  'pack-signature',
  'pack-key-changed',
  'pack-rollback',
  'credential-invalid',
  'credential-signature',
  'credential-expired',
  'credential-revoked',
  'credential-wrong-publisher',
  'publisher-unknown',
  // Distributors' derived packs and their credentials (docs/decisions/0020).
  'derived-signature',
  'derived-binding',
  'derived-vendor-pack',
  'derived-vendor-locked',
  'derived-out-of-scope',
  'distributor-credential-invalid',
  'distributor-credential-signature',
  'distributor-credential-expired',
  'distributor-key-mismatch',
  'distributor-key-changed',
  'credential-out-of-scope',
  // Vendor authoring.
  'draft-unknown',
  'read-only',
  // Vendor workspace: brand kit and access levels (docs/decisions/0012).
  'brand-exists',
  'in-use',
  // Verifying an exported PDF (docs/decisions/0017).
  'pdf-invalid',
  // Resuming a batch whose inputs changed since (docs/decisions/0006).
  'batch-state-mismatch',
  // Training modules and offline quiz grading (docs/decisions/0022).
  'training-invalid',
  'training-attempt-invalid',
  // Playbooks, training in packs, certificates and completion records (issue #7).
  'training-unknown',
  'training-not-allowed',
  'playbook-invalid',
  'playbook-unknown',
  'playbook-not-entitled',
  'completion-invalid',
  'completion-signature',
  // MDF programs and requests (issue #8).
  'mdf-invalid',
  'mdf-signature',
  // A request the program's veto rules refuse (details.breaches); an MDF program or request id this catalogue lacks.
  'mdf-vetoed',
  'mdf-unknown',
  // Activity reports and distributor aggregates (docs/decisions/0027).
  'report-invalid',
  'report-signature',
  // A report signed by another key than the one first seen for its issuer.
  'report-key-mismatch',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Structured error used inside Lockup. Only `{ code, message, details }` crosses a boundary. */
export class LockupError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'LockupError';
    this.code = code;
    this.details = details;
  }
}

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Converts anything thrown into the wire shape; unknown failures become `internal`. */
export function toWireError(err: unknown): WireError {
  if (err instanceof LockupError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Unexpected failure: ${message}` };
}

export function fromWireError(wire: WireError): LockupError {
  return new LockupError(wire.code, wire.message, wire.details);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new LockupError('internal', `Assertion failed: ${message}`);
}

export function exhaustive(value: never): never {
  throw new LockupError('internal', `Unhandled case: ${JSON.stringify(value)}`);
}

import { splitPdfArtwork, type ArtworkPage } from '../../core/designer/pdf-artwork.ts';
import { LockupError } from '../../core/errors.ts';
import { FORMAT_NAMES, sniffFormat } from '../../core/images/sniff.ts';
import type { ImageStore } from '../assets/image-store.ts';

/**
 * Takes in a vendor's PDF as template artwork. The file is untrusted: it is
 * first loaded in the image store's killable worker (docs/decisions/0007),
 * which also refuses encrypted and damaged files. The worker refuses PDFs of
 * more than one page too, but only after loading them, so that refusal proves
 * the file loads; the pages are then cut out in this thread.
 */
export async function intakeArtwork(images: ImageStore, bytes: Uint8Array, name: string, pages: 'all' | number): Promise<ArtworkPage[]> {
  if (bytes.byteLength === 0) throw new LockupError('file-empty', `"${name}" is empty`);
  const format = sniffFormat(bytes);
  if (format !== 'pdf') {
    throw new LockupError('pdf-logo-invalid', `"${name}" is not a PDF (its content is ${format === 'unknown' ? 'not a format Lockup knows' : `${FORMAT_NAMES[format]} data`}); choose the artwork as a PDF`);
  }
  try {
    await images.prepareUntrusted(bytes, name);
  } catch (err) {
    if (!(err instanceof LockupError)) throw err;
    const multiPage = err.code === 'pdf-logo-invalid' && typeof err.details?.['pages'] === 'number' && err.details['pages'] > 1;
    if (err.code === 'pdf-logo-encrypted') {
      throw new LockupError('pdf-logo-encrypted', `"${name}" is an encrypted (password-protected) PDF; save a copy without protection and try again`);
    }
    if (!multiPage) throw err;
  }
  const split = await splitPdfArtwork(bytes, name, pages);
  // Each cut page is what the catalogue will hold: make sure it reads back as a one-page PDF.
  for (const page of split.pages) await images.prepareTrusted(page.bytes, `${name} (page ${page.number}).pdf`);
  return split.pages;
}

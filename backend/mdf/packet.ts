import { LockupError } from '../../core/errors.ts';
import type { AttachmentKind } from '../../core/mdf/model.ts';
import { readArchive, writeArchive, type ArchiveEntry, type ArchiveLimits } from '../packs/archive.ts';
import { checkEntryNames } from '../packs/names.ts';
import { checkAttachments, MAX_MDF_REQUEST_FILE_BYTES, MDF_REQUEST_EXTENSION, verifyRequestFile, type VerifiedRequestFile } from './files.ts';

/**
 * The request packet (`.lockup-mdf`, docs/decisions/0026): a ZIP written
 * with backend/packs/archive.ts holding
 *
 * - `<name>.lockup-mdf-request`: the signed request file (backend/mdf/files.ts),
 *   the only thing a reviewer's Lockup trusts;
 * - `mdf-request.pdf`: the fillable PDF form (core/mdf/pdf.ts), for people;
 * - `attachments/<name>`: each attachment the request lists, by the name it lists.
 *
 * The packet itself is not signed: the request file is, and it names every
 * attachment by sha256 and size, so a changed attachment is caught by hash.
 * A changed form is not caught, and does not matter: nothing reads it back.
 */

export const MDF_PACKET_EXTENSION = '.lockup-mdf';
export const MDF_DECISION_EXTENSION = '.lockup-mdf-decision';
export const FORM_ENTRY = 'mdf-request.pdf';
const ATTACHMENTS = 'attachments/';

const MiB = 1024 * 1024;
/** 20 attachments of at most 25 MB each, the form and the request file. */
export const PACKET_LIMITS: ArchiveLimits = { maxFileBytes: 520 * MiB, maxEntries: 24, maxEntryBytes: 26 * MiB, maxTotalBytes: 520 * MiB, maxRatio: 200 };

export interface PacketInput {
  requestFile: Uint8Array;
  requestFileName: string;
  form: Uint8Array;
  attachments: readonly { name: string; bytes: Uint8Array }[];
}

export function writePacket(p: PacketInput): Uint8Array {
  const entries: ArchiveEntry[] = [
    { name: p.requestFileName, data: p.requestFile },
    { name: FORM_ENTRY, data: p.form },
    ...p.attachments.map((a) => ({ name: `${ATTACHMENTS}${a.name}`, data: a.bytes })),
  ];
  checkEntryNames(entries.map((e) => e.name));
  return writeArchive(entries);
}

export interface ReadPacket {
  request: VerifiedRequestFile;
  requestFile: Uint8Array;
  form: Uint8Array | undefined;
  attachments: { name: string; kind: AttachmentKind; bytes: Uint8Array }[];
}

const notPacket = (message: string, details?: Record<string, unknown>): never => {
  throw new LockupError('mdf-invalid', `This is not a Lockup MDF request packet: ${message}`, details);
};

/**
 * Reads a packet: container and limits, entry names, exactly one request
 * file (verified: shape, canonical bytes, signature), then every listed
 * attachment present with its signed sha256 and size and nothing else.
 * Throws mdf-invalid (not a packet, a missing attachment) or mdf-signature
 * (the request file or an attachment changed after it was signed).
 */
export function readPacket(bytes: Uint8Array, limits: ArchiveLimits = PACKET_LIMITS): ReadPacket {
  let entries: ArchiveEntry[];
  try {
    entries = readArchive(bytes, limits);
    checkEntryNames(entries.map((e) => e.name));
  } catch (err) {
    if (err instanceof LockupError && (err.code === 'pack-invalid' || err.code === 'pack-limit')) notPacket(err.message.replace(/^The pack is damaged or not a Lockup pack: /, ''));
    throw err;
  }
  const requests = entries.filter((e) => !e.name.includes('/') && e.name.toLowerCase().endsWith(MDF_REQUEST_EXTENSION));
  if (requests.length !== 1) notPacket(requests.length === 0 ? 'it holds no request file' : 'it holds more than one request file');
  const requestEntry = requests[0]!;
  if (requestEntry.data.byteLength > MAX_MDF_REQUEST_FILE_BYTES) notPacket('the request file is too large');
  const request = verifyRequestFile(requestEntry.data);
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const e of entries) {
    if (e === requestEntry || e.name === FORM_ENTRY) continue;
    if (!e.name.startsWith(ATTACHMENTS) || e.name.slice(ATTACHMENTS.length).includes('/')) notPacket(`it holds an entry a packet does not have: ${JSON.stringify(e.name)}`, { entry: e.name });
    files.push({ name: e.name.slice(ATTACHMENTS.length), bytes: e.data });
  }
  const problems = checkAttachments(request.request, files);
  if (problems.length > 0) {
    const changed = problems.some((p) => p.problem === 'hash-mismatch');
    throw new LockupError(changed ? 'mdf-signature' : 'mdf-invalid', `The packet's attachments are not the ones the partner signed for: ${problems.map((p) => p.message).join('; ')}`, { problems });
  }
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  return {
    request,
    requestFile: requestEntry.data,
    form: entries.find((e) => e.name === FORM_ENTRY)?.data,
    attachments: request.request.attachments.map((a) => ({ name: a.name, kind: a.kind, bytes: byName.get(a.name)! })),
  };
}

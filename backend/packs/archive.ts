import zlib from 'node:zlib';
import { LockupError } from '../../core/errors.ts';

/**
 * The pack container: a plain ZIP archive (stored or deflated entries, no
 * ZIP64, no encryption), so a vendor can look inside with any unzip tool.
 *
 * The reader trusts nothing it has not counted: entry count, each entry's
 * size, the total size and each entry's compression ratio are checked
 * against the declared sizes first and against the bytes actually inflated
 * after (inflation stops at the declared size, so a lying header cannot make
 * it allocate more). Local headers must agree with the central directory,
 * entries may not overlap, and every CRC must match.
 */

export interface ArchiveEntry {
  name: string;
  data: Uint8Array;
}

export interface ArchiveLimits {
  /** Largest archive file, in bytes. */
  maxFileBytes: number;
  maxEntries: number;
  /** Largest single entry, uncompressed. */
  maxEntryBytes: number;
  /** Largest sum of all entries, uncompressed. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of a deflated entry. */
  maxRatio: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_LIMITS: ArchiveLimits = {
  maxFileBytes: 256 * MiB,
  maxEntries: 4096,
  maxEntryBytes: 64 * MiB,
  maxTotalBytes: 512 * MiB,
  maxRatio: 200,
};

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const FLAG_UTF8 = 0x0800;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
/** 1980-01-01 00:00 in DOS format: packs are reproducible, the manifest carries the real time. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('pack-invalid', `The pack is damaged or not a Lockup pack: ${message}`, details);
}

function limit(message: string, details?: Record<string, unknown>): never {
  throw new LockupError('pack-limit', `The pack exceeds a safety limit: ${message}`, details);
}

const crc32 = (data: Uint8Array): number => zlib.crc32(data) >>> 0;

/** An entry as it sits in the archive: compressed bytes and how to expand them. */
export interface PackedEntry {
  name: string;
  method: 0 | 8;
  packed: Uint8Array;
  size: number;
  crc: number;
}

/** Deflates an entry when that makes it smaller; stores it otherwise (or when `store` is set). */
export function packEntry(e: ArchiveEntry, store = false): PackedEntry {
  const data = Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
  const deflated = store ? data : zlib.deflateRawSync(data, { level: 9 });
  const method = !store && deflated.byteLength < data.byteLength ? 8 : 0;
  const packed = method === 8 ? deflated : data;
  return { name: e.name, method, packed: new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength), size: data.byteLength, crc: crc32(data) };
}

/** Writes entries in the order given. */
export function writeArchive(entries: readonly (ArchiveEntry | PackedEntry)[]): Uint8Array {
  const enc = new TextEncoder();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const e = 'packed' in entry ? entry : packEntry(entry);
    const name = Buffer.from(enc.encode(e.name));
    const useDeflate = e.method === 8;
    const body = Buffer.from(e.packed.buffer, e.packed.byteOffset, e.packed.byteLength);
    const crc = e.crc;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(SIG_LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(useDeflate ? 8 : 0, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.byteLength, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.byteLength, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(SIG_CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(FLAG_UTF8, 8);
    central.writeUInt16LE(useDeflate ? 8 : 0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.byteLength, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.byteLength + name.byteLength + body.byteLength;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  const out = Buffer.concat([...locals, cd, end]);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function findEnd(buf: Buffer): number {
  // Lockup writes no archive comment, so the end record is the last 22 bytes.
  const end = buf.byteLength - 22;
  if (buf.readUInt32LE(end) === SIG_END && buf.readUInt16LE(end + 20) === 0) return end;
  for (let i = end; i >= Math.max(0, end - 0xffff); i--) {
    if (buf.readUInt32LE(i) === SIG_END && i + 22 + buf.readUInt16LE(i + 20) === buf.byteLength) invalid('the archive has a comment; Lockup packs have none');
  }
  return invalid('no ZIP end record in the last 22 bytes (the file is truncated, has trailing bytes, or is not a pack)');
}

/**
 * Parses the archive's structure without expanding anything: the entries'
 * packed bytes, checked for consistency and against the declared-size
 * limits. Only the layout Lockup writes is accepted (version 2.0, UTF-8
 * names, no extra fields or comments, fixed timestamps, entries back to back),
 * so no byte of a pack goes unchecked: every header field is compared here,
 * and the data is covered by the signed manifest's hashes.
 */
export function readArchiveEntries(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): PackedEntry[] {
  if (bytes.byteLength > limits.maxFileBytes) limit(`the file is ${bytes.byteLength} bytes; the limit is ${limits.maxFileBytes}`);
  if (bytes.byteLength < 22) invalid(`the file is only ${bytes.byteLength} bytes`);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(buf);
  if (buf.readUInt16LE(end + 4) !== 0 || buf.readUInt16LE(end + 6) !== 0) invalid('multi-disk archives are not packs');
  const count = buf.readUInt16LE(end + 10);
  if (count !== buf.readUInt16LE(end + 8)) invalid('inconsistent entry counts');
  if (count === 0xffff) invalid('ZIP64 archives are not packs');
  if (count > limits.maxEntries) limit(`${count} entries; the limit is ${limits.maxEntries}`, { entries: count });
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if (cdOffset + cdSize !== end) invalid('the central directory is not where the end record says');

  const dec = new TextDecoder('utf-8', { fatal: true });
  const out: PackedEntry[] = [];
  let p = cdOffset;
  let next = 0; // where the next local header must start
  let declaredTotal = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== SIG_CENTRAL) invalid(`central directory entry ${i + 1} is damaged`);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const offset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen > end) invalid(`central directory entry ${i + 1} runs past its end`);
    let name: string;
    try {
      name = dec.decode(buf.subarray(p + 46, p + 46 + nameLen));
    } catch {
      return invalid(`entry ${i + 1} has a name that is not UTF-8`);
    }
    if (flags & FLAG_ENCRYPTED) invalid(`entry "${name}" is encrypted`);
    if (flags & FLAG_DESCRIPTOR) invalid(`entry "${name}" uses a data descriptor, which packs do not`);
    if (method !== 0 && method !== 8) invalid(`entry "${name}" uses compression method ${method}; packs use stored or deflate`);
    if (size === 0xffffffff || compressed === 0xffffffff || offset === 0xffffffff) invalid('ZIP64 archives are not packs');
    if (
      buf.readUInt16LE(p + 4) !== 20 ||
      buf.readUInt16LE(p + 6) !== 20 ||
      flags !== FLAG_UTF8 ||
      buf.readUInt16LE(p + 12) !== DOS_TIME ||
      buf.readUInt16LE(p + 14) !== DOS_DATE ||
      buf.readUInt16LE(p + 30) !== 0 ||
      buf.readUInt16LE(p + 32) !== 0 ||
      buf.readUInt16LE(p + 34) !== 0 ||
      buf.readUInt16LE(p + 36) !== 0 ||
      buf.readUInt32LE(p + 38) !== 0
    ) {
      invalid(`central directory entry "${name}" was not written by Lockup (unexpected version, flags, time, extra field or attributes)`);
    }
    if (method === 0 && compressed !== size) invalid(`stored entry "${name}" has different packed and unpacked sizes`);
    if (size > limits.maxEntryBytes) limit(`entry "${name}" is ${size} bytes; the limit is ${limits.maxEntryBytes}`, { entry: name });
    if (method === 8 && size > Math.max(1, compressed) * limits.maxRatio) {
      limit(`entry "${name}" would inflate ${compressed} bytes to ${size} (ratio over ${limits.maxRatio}:1)`, { entry: name });
    }
    declaredTotal += size;
    if (declaredTotal > limits.maxTotalBytes) limit(`the entries add up to more than ${limits.maxTotalBytes} bytes`);

    // The local header must repeat the directory exactly, and entries must follow one another.
    if (offset !== next) invalid(`entry "${name}" is not where the previous entry ends (gap, overlap or reordering)`);
    if (offset + 30 + nameLen > cdOffset || buf.readUInt32LE(offset) !== SIG_LOCAL) invalid(`entry "${name}" has no local header where the directory says`);
    if (
      buf.readUInt16LE(offset + 4) !== 20 ||
      buf.readUInt16LE(offset + 6) !== flags ||
      buf.readUInt16LE(offset + 8) !== method ||
      buf.readUInt16LE(offset + 10) !== DOS_TIME ||
      buf.readUInt16LE(offset + 12) !== DOS_DATE ||
      buf.readUInt32LE(offset + 14) !== crc ||
      buf.readUInt32LE(offset + 18) !== compressed ||
      buf.readUInt32LE(offset + 22) !== size ||
      buf.readUInt16LE(offset + 26) !== nameLen ||
      buf.readUInt16LE(offset + 28) !== 0
    ) {
      invalid(`entry "${name}" has a local header that disagrees with the central directory`);
    }
    if (!buf.subarray(offset + 30, offset + 30 + nameLen).equals(buf.subarray(p + 46, p + 46 + nameLen))) invalid(`entry "${name}" has a different name in its local header`);
    const dataStart = offset + 30 + nameLen;
    const dataEnd = dataStart + compressed;
    if (dataEnd > cdOffset) invalid(`entry "${name}" runs into the central directory (truncated or forged sizes)`);
    next = dataEnd;
    out.push({ name, method: method as 0 | 8, packed: bytes.subarray(dataStart, dataEnd), size, crc });
    p += 46 + nameLen;
  }
  if (p !== end) invalid('the central directory has trailing bytes');
  if (next !== cdOffset) invalid('the archive has bytes between its last entry and the central directory');
  return out;
}

/** Running count of bytes expanded, shared across the entries of one archive. */
export interface InflateBudget {
  total: number;
}

/** Expands one entry, never past its declared size, and checks its CRC. */
export function expandEntry(e: PackedEntry, limits: ArchiveLimits = DEFAULT_LIMITS, budget: InflateBudget = { total: 0 }): Uint8Array {
  let data: Buffer;
  if (e.method === 0) {
    data = Buffer.from(e.packed);
  } else {
    try {
      // Never inflate past the declared size: a forged header cannot buy more memory than the limits allow.
      data = zlib.inflateRawSync(e.packed, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') limit(`entry "${e.name}" inflates past its declared ${e.size} bytes`, { entry: e.name });
      return invalid(`entry "${e.name}" does not inflate: ${(err as Error).message}`);
    }
  }
  if (data.byteLength !== e.size) invalid(`entry "${e.name}" holds ${data.byteLength} bytes, not the declared ${e.size}`);
  budget.total += data.byteLength;
  if (budget.total > limits.maxTotalBytes) limit(`the entries add up to more than ${limits.maxTotalBytes} bytes`);
  if (crc32(data) !== e.crc >>> 0) invalid(`entry "${e.name}" fails its CRC check`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Reads and expands every entry. Throws `pack-invalid` or `pack-limit`; never returns part of an archive. */
export function readArchive(bytes: Uint8Array, limits: ArchiveLimits = DEFAULT_LIMITS): ArchiveEntry[] {
  const budget = { total: 0 };
  return readArchiveEntries(bytes, limits).map((e) => ({ name: e.name, data: expandEntry(e, limits, budget) }));
}

import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { LockupError } from '../../core/errors.ts';

/** Largest input file Lockup reads (logos, templates, CSV). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Reads a file the user named, with errors that say which file and why. */
export function readInputFile(file: string, what = 'File', maxBytes = MAX_INPUT_BYTES): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (err as Error).message})`;
    throw new LockupError('file-unreadable', `${what} "${file}" ${why}`, { path: file });
  }
  if (stat.isDirectory()) throw new LockupError('file-unreadable', `${what} "${file}" is a folder, not a file`, { path: file });
  if (stat.size > maxBytes) {
    throw new LockupError('file-too-large', `${what} "${file}" is ${(stat.size / 1048576).toFixed(1)} MB; the limit is ${maxBytes / 1048576} MB`, { path: file });
  }
  try {
    const buf = fs.readFileSync(file);
    // A private copy: small Buffers share Node's 8 KiB pool and some parsers ignore byteOffset.
    return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  } catch (err) {
    throw new LockupError('file-unreadable', `${what} "${file}" cannot be read: ${(err as Error).message}`, { path: file });
  }
}

export function readTextFile(file: string, what = 'File'): string {
  const bytes = readInputFile(file, what);
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

let tmpCounter = 0;

/**
 * Writes a file so that readers never see it half-written: data goes to a
 * temporary file in the same folder, is flushed, then renamed into place.
 * On any failure the temporary file is removed and the target is untouched.
 * `fsync: false` keeps the rename atomic for crashes of Lockup itself but
 * skips the flush to disk (batch output can be regenerated after a power cut).
 */
export function writeFileAtomic(target: string, data: Uint8Array | string, options: { fsync?: boolean } = {}): void {
  const dir = path.dirname(path.resolve(target));
  // pid + thread-local counter: unique among Lockup's own writers ('wx' refuses any clash).
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${threadId}.${++tmpCounter}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    fs.writeFileSync(fd, data);
    if (options.fsync !== false) fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    throw new LockupError('output-unwritable', `Cannot write "${target}": ${code === 'ENOENT' ? 'the folder does not exist' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`, { path: target });
  }
}

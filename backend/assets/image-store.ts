import zlib from 'node:zlib';
import { fromWireError, LockupError, type WireError } from '../../core/errors.ts';
import { identifyImage, prepareImage, type PreparedImage } from '../../core/images/prepare.ts';
import { assetRef } from '../util/hash.ts';
import { siblingModule, startWorker } from '../util/worker.ts';

export const nodeDeflate = (d: Uint8Array, best?: boolean) => {
  const out = zlib.deflateSync(d, { level: best ? 9 : 6 });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};

/** node:zlib inflate, capped at the size the image header declares (decompression bombs). */
export const nodeInflate = (d: Uint8Array, maxLength: number) => {
  const out = zlib.inflateSync(d, { maxOutputLength: Math.max(1, maxLength) });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
};

export const nodeCodec = { deflate: nodeDeflate, inflate: nodeInflate };

/** How long one image may take to validate before its worker is stopped. */
export const IMAGE_TIMEOUT_MS = 20_000;

/**
 * Validates untrusted image bytes in a worker thread that is terminated if
 * it does not answer in time. Returns the prepared image or throws a
 * LockupError with the decoder's reason.
 */
export async function prepareIsolated(
  bytes: Uint8Array,
  name: string,
  key: string,
  timeoutMs = IMAGE_TIMEOUT_MS,
  workerModule: URL = siblingModule(import.meta.url, 'image-worker'),
): Promise<PreparedImage> {
  const worker = startWorker(workerModule);
  try {
    return await new Promise<PreparedImage>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new LockupError('image-decode-timeout', `"${name}" took longer than ${timeoutMs / 1000} s to read and was abandoned; the file is probably damaged`));
      }, timeoutMs);
      worker.once('message', (msg: { ok: true; image: PreparedImage } | { ok: false; error: WireError }) => {
        clearTimeout(timer);
        if (msg.ok) resolve(msg.image);
        else reject(fromWireError(msg.error));
      });
      worker.once('error', (err) => {
        clearTimeout(timer);
        reject(new LockupError('image-corrupt', `"${name}" could not be read: ${err.message}`));
      });
      worker.postMessage({ bytes, name, key });
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * Prepared images by asset ref, for one process. Catalogue assets were
 * validated in isolation when they were imported, so they are prepared
 * in-thread here; new, untrusted files go through `prepareIsolated`.
 */
export class ImageStore {
  private readonly images = new Map<string, PreparedImage>();
  private readonly inFlight = new Map<string, Promise<PreparedImage>>();

  get(ref: string): PreparedImage | undefined {
    return this.images.get(ref);
  }

  put(image: PreparedImage): void {
    this.images.set(image.key, image);
  }

  async prepareTrusted(bytes: Uint8Array, name: string, ref = assetRef(bytes)): Promise<PreparedImage> {
    identifyImage(bytes, name);
    const hit = this.images.get(ref);
    if (hit) return hit;
    const image = await prepareImage(bytes, name, ref, nodeCodec);
    this.images.set(ref, image);
    return image;
  }

  async prepareUntrusted(bytes: Uint8Array, name: string, timeoutMs?: number): Promise<PreparedImage> {
    identifyImage(bytes, name);
    const ref = assetRef(bytes);
    const hit = this.images.get(ref);
    if (hit) return hit;
    // Concurrent requests for the same file share one worker.
    let pending = this.inFlight.get(ref);
    if (!pending) {
      pending = prepareIsolated(bytes, name, ref, timeoutMs).finally(() => this.inFlight.delete(ref));
      this.inFlight.set(ref, pending);
    }
    const image = await pending;
    this.images.set(ref, image);
    return image;
  }
}

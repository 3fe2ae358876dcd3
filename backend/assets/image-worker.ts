/**
 * Worker thread that validates and prepares one untrusted image. It runs in
 * its own thread so that a decoder stuck on a hostile file can be terminated
 * (pdf-lib has looped forever on truncated PNGs) without taking Lockup down.
 */
import { parentPort } from 'node:worker_threads';
import { toWireError } from '../../core/errors.ts';
import { prepareImage } from '../../core/images/prepare.ts';
import { nodeCodec } from './image-store.ts';

parentPort!.on('message', async (msg: { bytes: Uint8Array; name: string; key: string }) => {
  try {
    const image = await prepareImage(msg.bytes, msg.name, msg.key, nodeCodec);
    parentPort!.postMessage({ ok: true, image });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: toWireError(err) });
  }
});

import type { Resources } from '../../core/compose/compile.ts';
import { LockupError } from '../../core/errors.ts';
import type { LoadedFont } from '../../core/fonts/font.ts';
import { prepareImage, type PreparedImage } from '../../core/images/prepare.ts';
import { portableCodec } from '../../core/util/codec.ts';
import { imageFixture } from './files.ts';
import { encodePng } from './png-encode.ts';

/** A `Resources` over in-memory maps; absent entries throw `asset-missing` like the backend does. */
export function makeResources(fonts: Record<string, LoadedFont>, images: Record<string, PreparedImage> = {}): Resources {
  return {
    font(id) {
      const f = fonts[id];
      if (!f) throw new LockupError('asset-missing', `no font "${id}"`);
      return f;
    },
    image(ref) {
      const i = images[ref];
      if (!i) throw new LockupError('asset-missing', `no image "${ref}"`);
      return i;
    },
  };
}

/** prepareImage of a file in test-fixtures/images with the portable codec. */
export function prepareFixture(name: string, key = name): Promise<PreparedImage> {
  return prepareImage(imageFixture(name), name, key, portableCodec);
}

/** An opaque 8-bit RGB PNG of one colour, prepared as the writer and compose see it. */
export async function solidImage(key: string, width: number, height: number, rgb: [number, number, number] = [40, 90, 200]): Promise<PreparedImage> {
  const bytes = encodePng({ width, height, colorType: 2, bitDepth: 8, sample: () => rgb, filter: () => 0 });
  return prepareImage(bytes, `${key}.png`, key, portableCodec);
}

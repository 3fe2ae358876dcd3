import { portableDeflate } from './deflate.ts';
import { portableInflate } from './inflate.ts';

/** Pure-JS compression, for environments without node:zlib (the renderer, tests of core). */
export const portableCodec = { deflate: portableDeflate, inflate: portableInflate };

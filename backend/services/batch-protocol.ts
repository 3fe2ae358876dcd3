import type { WireError } from '../../core/errors.ts';
import type { OutputProfile } from '../../core/compose/compose.ts';
import type { Brand, Template } from '../../core/model/index.ts';

/** What a batch worker is started with. */
export interface WorkerInit {
  catalogueFile: string;
  brand: Brand;
  template: Template;
  output: OutputProfile;
  reproducible: boolean;
  outDir: string;
}

export type WorkerResult =
  | { type: 'result'; line: number; ok: true; id: string; company: string; file: string; byteLength: number; sha256: string; inputsSha256: string; warnings: number }
  | { type: 'result'; line: number; ok: false; id: string; error: WireError };

export type WorkerMessage = { type: 'ready' } | { type: 'fatal'; error: WireError } | WorkerResult;

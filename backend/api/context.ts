import type { OpArgs, OpOutput } from '../../core/contracts/api.ts';
import type { PartnerProfile } from '../../core/model/index.ts';
import type { Catalogue } from '../catalogue.ts';
import type { ExportEngine } from '../services/engine.ts';

/** What every group of handlers may use. One per ApiService. */
export interface HandlerContext {
  readonly catalogue: Catalogue;
  readonly engine: ExportEngine;
  /** The app's data folder (keys, exports). */
  readonly dataDir: string;
  readonly transport: 'electron' | 'web';
  /** Where files the app writes go when the renderer names no path (exports, published packs). */
  readonly exportDir: string;
  /** The partner profile the studio works as, if one is set up. */
  currentProfile(): PartnerProfile | undefined;
  /** The time now (ServiceOptions.clock; tests set it to step over cool-downs). */
  now(): Date;
}

/** Handlers for the operations of one contract table (e.g. VENDOR_API). */
export type HandlersFor<T> = { [K in keyof T & keyof import('../../core/contracts/api.ts').Api]: (args: OpArgs<K>) => Promise<OpOutput<K>> | OpOutput<K> };

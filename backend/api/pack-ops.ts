import type { PACK_API } from '../../core/contracts/pack-api.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

export function packHandlers(_ctx: HandlerContext): HandlersFor<typeof PACK_API> {
  return {};
}

import type { VENDOR_API } from '../../core/contracts/vendor-api.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

export function vendorHandlers(_ctx: HandlerContext): HandlersFor<typeof VENDOR_API> {
  return {};
}

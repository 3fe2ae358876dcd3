import type { DESIGNER_API } from '../../core/contracts/designer-api.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

export function designerHandlers(_ctx: HandlerContext): HandlersFor<typeof DESIGNER_API> {
  return {};
}

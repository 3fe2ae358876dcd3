import type { MDF_API } from '../../core/contracts/mdf-api.ts';
import { LockupError } from '../../core/errors.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** MDF requests and the review queue (issue #8). Placeholder until the handlers land. */
export function mdfHandlers(_ctx: HandlerContext): HandlersFor<typeof MDF_API> {
  const todo = (): never => {
    throw new LockupError('internal', 'not built yet');
  };
  return { 'mdf:programs': todo, 'mdf:evaluate': todo, 'mdf:exports': todo, 'mdf:attach': todo, 'mdf:submit': todo, 'mdf:requests': todo, 'mdf:decision-import': todo, 'mdf:queue': todo, 'mdf:packet-import': todo, 'mdf:decide': todo, 'vendor:mdf-program': todo, 'vendor:mdf-program-import': todo };
}

import type { INSIGHTS_API } from '../../core/contracts/insights-api.ts';
import { LockupError } from '../../core/errors.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

/** The activity ledger, reports and dashboards (issue #8). Placeholder until the handlers land. */
export function insightsHandlers(_ctx: HandlerContext): HandlersFor<typeof INSIGHTS_API> {
  const todo = (): never => {
    throw new LockupError('internal', 'not built yet');
  };
  return { 'insights:activity': todo, 'insights:report-export': todo, 'insights:import': todo, 'insights:imports': todo, 'insights:aggregate-export': todo, 'insights:dashboard': todo, 'insights:csv': todo };
}

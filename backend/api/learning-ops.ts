import type { LEARNING_API } from '../../core/contracts/learning-api.ts';
import { LockupError } from '../../core/errors.ts';
import type { HandlerContext, HandlersFor } from './context.ts';

// Placeholder while the learning backend is written in this session (issue #7); replaced before commit.
export function learningHandlers(_ctx: HandlerContext): HandlersFor<typeof LEARNING_API> {
  const todo = (): never => {
    throw new LockupError('internal', 'not built yet');
  };
  return {
    'learning:overview': todo,
    'playbook:open': todo,
    'playbook:step': todo,
    'playbook:export': todo,
    'training:open': todo,
    'training:start': todo,
    'training:submit': todo,
    'certificate:export': todo,
    'completion:export': todo,
    'vendor:playbooks': todo,
    'vendor:playbook-get': todo,
    'vendor:playbook-save': todo,
    'vendor:playbook-delete': todo,
    'vendor:playbook-image': todo,
    'vendor:training': todo,
    'vendor:training-import': todo,
  };
}

import { FerriteError } from '../../common/errors.ts';
import type { NodeTask } from '../task-manager.ts';

/** InvalidStateRequested: `action` is not possible in the node's state; `allowed` says what is. */
export function wrongState(task: NodeTask, action: string, allowed: string): FerriteError {
  return new FerriteError('InvalidStateRequested', {
    action,
    node: task.node.uuid,
    state: task.node.provisionState,
    allowed,
  });
}

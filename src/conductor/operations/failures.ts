import { ProvisionState as S } from '../../common/states.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { FailureHandler } from '../task-manager.ts';
import { adoptionFailed } from './adoption.ts';
import { CLEAN_FLOW } from './cleaning.ts';
import { DEPLOY_FLOW, tearDownFailed } from './deploying.ts';
import { inspectionFailed } from './inspection.ts';
import { rescueFailed, unrescueFailed } from './rescue.ts';
import { SERVICE_FLOW } from './servicing.ts';

/**
 * The failure handler for any provisioning work that ran in the background:
 * what failing means depends on where the node is now (a tear-down that has
 * moved on to cleaning fails as cleaning).
 */
export function failProvisioning(ctx: ConductorContext): FailureHandler {
  return async (task, error) => {
    const message = describeError(error);
    switch (task.node.provisionState) {
      case S.VERIFYING:
        task.node.lastError = `Failed to verify node ${task.node.uuid}: ${message}`;
        task.processEvent('fail');
        break;
      case S.DEPLOYING:
      case S.DEPLOYWAIT:
        await DEPLOY_FLOW.fail(ctx, task, `Deploy of node ${task.node.uuid} failed: ${message}`);
        return;
      case S.CLEANING:
      case S.CLEANWAIT:
        await CLEAN_FLOW.fail(ctx, task, message);
        return;
      case S.SERVICING:
      case S.SERVICEWAIT:
        await SERVICE_FLOW.fail(ctx, task, message);
        return;
      case S.DELETING:
        await tearDownFailed(ctx)(task, error);
        return;
      case S.INSPECTING:
        inspectionFailed(task, error);
        break;
      case S.ADOPTING:
        adoptionFailed(task, error);
        break;
      case S.RESCUING:
        await rescueFailed(task, error);
        break;
      case S.UNRESCUING:
        unrescueFailed(task, error);
        break;
      default:
        task.node.lastError = message;
    }
  };
}

import type { ConductorContext } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';

/**
 * The body of `manage` from enroll, with the node in `verifying`: the power
 * credentials work if the power state can be read.
 */
export async function doVerify(ctx: ConductorContext, task: NodeTask): Promise<void> {
  await task.driver.power.validate(task);
  task.node.powerState = await task.driver.power.getPowerState(task);
  task.node.lastError = null;
  task.processEvent('done');
  ctx.logger.info({ node: task.node.uuid, power: task.node.powerState }, 'verified');
}

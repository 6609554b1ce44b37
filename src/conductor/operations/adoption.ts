import type { ConductorContext } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';

/**
 * The body of `adopt`, with the node in `adopting`: a node deployed by other
 * means becomes active without being touched.
 */
export async function doAdopt(ctx: ConductorContext, task: NodeTask): Promise<void> {
  await task.driver.deploy.takeOver(task);
  task.node.conductorAffinity = ctx.config.host;
  task.node.lastError = null;
  task.processEvent('done');
  ctx.logger.info({ node: task.node.uuid }, 'adopted');
}

export function adoptionFailed(task: NodeTask, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  task.node.lastError = `Error while attempting to adopt node ${task.node.uuid}: ${message}.`;
  task.node.powerState = null;
  task.processEvent('fail');
}

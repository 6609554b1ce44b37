import { ProvisionState } from '../../common/states.ts';
import { requireInterface } from '../../drivers/driver.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import { wrongState } from './refusals.ts';

/** The body of `rescue`, with the node in `rescuing`. */
export async function doRescue(ctx: ConductorContext, task: NodeTask): Promise<void> {
  const result = await requireInterface(task.driver, 'rescue').rescue(task);
  if (result === ProvisionState.RESCUEWAIT) {
    task.processEvent('wait');
    return;
  }
  task.node.lastError = null;
  task.processEvent('done');
  ctx.logger.info({ node: task.node.uuid }, 'rescued');
}

/** The body of `unrescue`, with the node in `unrescuing`. */
export async function doUnrescue(ctx: ConductorContext, task: NodeTask): Promise<void> {
  await requireInterface(task.driver, 'rescue').unrescue(task);
  const { rescue_password: _password, ...instanceInfo } = task.node.instanceInfo;
  task.node.instanceInfo = instanceInfo;
  task.node.lastError = null;
  task.processEvent('done');
  ctx.logger.info({ node: task.node.uuid }, 'unrescued');
}

async function cleanUpRescue(task: NodeTask): Promise<string> {
  try {
    await task.driver.rescue?.cleanUp(task);
    return '';
  } catch (error) {
    return ` Cleaning up after rescue failed: ${describeError(error)}`;
  }
}

export async function rescueFailed(task: NodeTask, error: unknown): Promise<void> {
  const instance = task.node.instanceUuid ?? 'none';
  const cleanup = await cleanUpRescue(task);
  task.node.lastError = `Failed to rescue instance ${instance} for node ${task.node.uuid}: ${describeError(error)}${cleanup}`;
  task.processEvent('fail');
}

export function unrescueFailed(task: NodeTask, error: unknown): void {
  const instance = task.node.instanceUuid ?? 'none';
  task.node.lastError = `Failed to unrescue instance ${instance} for node ${task.node.uuid}: ${describeError(error)}`;
  task.processEvent('fail');
}

/** The rescue ramdisk reported back (node in `rescue wait`): the node is rescued. */
export async function continueRescue(ctx: ConductorContext, ident: string): Promise<void> {
  await ctx.tasks.run(ident, { purpose: 'finishing rescue' }, async (task) => {
    if (task.node.provisionState !== ProvisionState.RESCUEWAIT) {
      throw wrongState(task, 'continue rescue', `only in ${ProvisionState.RESCUEWAIT}`);
    }
    task.processEvent('resume');
    task.node.lastError = null;
    task.processEvent('done');
    await task.save();
    ctx.logger.info({ node: task.node.uuid }, 'rescued');
  });
}

/** Aborts a rescue waiting for its ramdisk. */
export async function abortRescue(task: NodeTask): Promise<void> {
  task.spawn(
    async (t) => {
      const cleanup = await cleanUpRescue(t);
      t.node.lastError = `Rescue operation aborted for node ${t.node.uuid}.${cleanup}`;
    },
    (t, error) => {
      t.node.lastError = describeError(error);
    },
  );
  task.processEvent('abort');
  await task.save();
}

import { ProvisionState } from '../../common/states.ts';
import { requireInterface } from '../../drivers/driver.ts';
import type { ConductorContext } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import { wrongState } from './refusals.ts';

/** The body of `inspect`, with the node in `inspecting`. */
export async function doInspect(ctx: ConductorContext, task: NodeTask): Promise<void> {
  const inspect = requireInterface(task.driver, 'inspect');
  const result = await inspect.inspectHardware(task);
  if (result === ProvisionState.INSPECTWAIT) {
    task.processEvent('wait');
    await task.save();
    return;
  }
  finishInspection(task);
  await task.save();
  ctx.logger.info({ node: task.node.uuid }, 'inspected');
}

function finishInspection(task: NodeTask): void {
  task.node.inspectionFinishedAt = new Date(task.clock.now());
  task.node.lastError = null;
  task.processEvent('done');
}

export interface InspectionReport {
  /** Set when the asynchronous inspection failed. */
  readonly error?: string;
}

/**
 * An asynchronous inspection (the node in `inspect wait`) reports back:
 * failed, or finished — continued through the interface's own
 * `continueInspection` when it has one.
 */
export async function continueInspection(
  ctx: ConductorContext,
  ident: string,
  report: InspectionReport = {},
): Promise<void> {
  await ctx.tasks.run(ident, { purpose: 'continuing inspection' }, async (task) => {
    if (task.node.provisionState !== ProvisionState.INSPECTWAIT) {
      throw wrongState(task, 'continue inspection', `only in ${ProvisionState.INSPECTWAIT}`);
    }
    if (report.error !== undefined) {
      task.node.lastError = `Failed to inspect hardware. Reason: ${report.error}`;
      task.processEvent('fail');
      await task.save();
      return;
    }
    const inspect = requireInterface(task.driver, 'inspect');
    const resume = (inspect as { continueInspection?: (t: NodeTask) => Promise<void> })
      .continueInspection;
    if (!resume) {
      finishInspection(task);
      await task.save();
      return;
    }
    task.spawn(async (t) => {
      await resume.call(inspect, t);
      finishInspection(t);
    }, inspectionFailed);
    task.processEvent('resume');
    await task.save();
  });
}

export function inspectionFailed(task: NodeTask, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  task.node.lastError = message.startsWith('Failed to inspect hardware')
    ? message
    : `Failed to inspect hardware. Reason: ${message}`;
  if (task.node.provisionState === ProvisionState.INSPECTING) task.processEvent('fail');
}

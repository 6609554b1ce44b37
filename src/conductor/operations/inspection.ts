import { isJsonObject } from '../../common/json.ts';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
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
    return;
  }
  finishInspection(task);
  ctx.logger.info({ node: task.node.uuid }, 'inspected');
}

export function finishInspection(task: NodeTask): void {
  task.node.inspectionFinishedAt = new Date(task.clock.now());
  task.node.lastError = null;
  task.processEvent('done');
}

export interface InspectionReport {
  /** Set when the asynchronous inspection failed. */
  readonly error?: string;
  /**
   * What the node reported (an agent's inventory), for the inspect
   * interface to process. Without it the inspection is simply finished: its
   * results were stored by whoever ran it.
   */
  readonly data?: JsonObject;
}

/** An inspect interface that processes data reported asynchronously. */
interface ContinuableInspect {
  continueInspection?(task: NodeTask, data: JsonObject): Promise<void>;
}

/**
 * An asynchronous inspection (the node in `inspect wait`) reports back:
 * failed; finished elsewhere; or with data, which the inspect interface
 * processes (the node resumes `inspecting` meanwhile).
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
    const data = report.data;
    if (data === undefined) {
      finishInspection(task);
      await task.save();
      return;
    }
    const inspect = requireInterface(task.driver, 'inspect') as ContinuableInspect;
    if (!inspect.continueInspection) {
      throw new FerriteError('UnsupportedDriverExtension', {
        driver: task.node.driver,
        extension: 'processing of reported inspection data',
      });
    }
    // What the node reported is kept as it came, whatever the interface makes of it.
    if (isJsonObject(data['inventory'])) {
      const pluginData = data['plugin_data'];
      await task.saveInventory(data['inventory'], isJsonObject(pluginData) ? pluginData : {});
    }
    const process = inspect.continueInspection.bind(inspect);
    task.spawn(async (t) => {
      await process(t, data);
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

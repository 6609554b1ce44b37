import { FerriteError } from '../../common/errors.ts';
import { ProvisionState } from '../../common/states.ts';
import { gatherSteps, validateUserCleanSteps } from '../../drivers/driver-steps.ts';
import type { StepRequest } from '../../drivers/steps.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import {
  clearSteps,
  continueFlow,
  executeOn,
  isReservedStep,
  runSteps,
  setSteps,
} from './step-runner.ts';
import type { StepFlow } from './step-runner.ts';
import { wrongState } from './refusals.ts';

/** The fault a node gets when a clean step fails. */
export const CLEAN_FAILURE = 'clean failure';

/** Manual cleaning aims back at manageable; automated cleaning at available. */
function isManual(task: NodeTask): boolean {
  return task.node.targetProvisionState === ProvisionState.MANAGEABLE;
}

async function tearDownCleaning(
  ctx: ConductorContext,
  task: NodeTask,
): Promise<string | undefined> {
  try {
    await task.driver.deploy.tearDownCleaning(task);
    return undefined;
  } catch (error) {
    ctx.logger.warn(
      { node: task.node.uuid, error: describeError(error) },
      'tearing down cleaning failed',
    );
    return describeError(error);
  }
}

export const CLEAN_FLOW: StepFlow = {
  kind: 'clean',
  waiting: ProvisionState.CLEANWAIT,
  waitResult: ProvisionState.CLEANWAIT,
  stepsKey: 'clean_steps',
  indexKey: 'clean_step_index',
  setCurrentStep: (task, step) => {
    task.node.cleanStep = step;
  },
  execute: (task, step) => executeOn(task, step, (impl, s) => impl.executeCleanStep(task, s)),
  async finish(ctx, task) {
    const manual = isManual(task);
    clearSteps(task, CLEAN_FLOW);
    const teardownError = await tearDownCleaning(ctx, task);
    if (teardownError !== undefined) {
      await CLEAN_FLOW.fail(
        ctx,
        task,
        `Failed to tear down from cleaning for node ${task.node.uuid}: ${teardownError}`,
      );
      return;
    }
    task.processEvent(manual ? 'manage' : 'done');
    ctx.logger.info({ node: task.node.uuid, manual }, 'cleaning finished');
  },
  async fail(ctx, task, message) {
    const stepFailed = task.node.cleanStep !== null;
    clearSteps(task, CLEAN_FLOW);
    const teardownError = await tearDownCleaning(ctx, task);
    task.node.lastError =
      teardownError === undefined
        ? message
        : `${message}. Also failed to tear down cleaning: ${teardownError}`;
    if (stepFailed) {
      // As Ironic: a node whose cleaning broke mid-step is not trusted until an operator looks.
      task.node.maintenance = true;
      task.node.maintenanceReason = task.node.lastError;
      task.node.fault = CLEAN_FAILURE;
    }
    if (task.node.provisionState !== ProvisionState.CLEANFAIL)
      task.processEvent('fail', { keepTarget: true });
    ctx.logger.warn({ node: task.node.uuid, error: task.node.lastError }, 'cleaning failed');
  },
};

/** Whether automated cleaning applies to this node (its own setting wins over the conductor's). */
export function automatedCleanEnabled(ctx: ConductorContext, task: NodeTask): boolean {
  return task.node.automatedClean ?? ctx.config.automatedClean;
}

/**
 * The body of cleaning, run in the background with the node in `cleaning`:
 * works out the steps (the driver's enabled ones, or the manual steps already
 * validated by validateCleanSteps), prepares the node, and runs them.
 */
export async function doCleaning(
  ctx: ConductorContext,
  task: NodeTask,
  manualSteps?: readonly StepRequest[],
): Promise<void> {
  const manual = manualSteps !== undefined;
  if (!manual && !automatedCleanEnabled(ctx, task)) {
    task.processEvent('done');
    return;
  }
  await task.driver.power.validate(task);
  await task.driver.network?.validate(task);
  // Manual steps were checked against the driver when the request came in.
  const steps =
    manualSteps ??
    (await gatherSteps(task.driver, task, 'clean', {
      enabledOnly: true,
      priorityOverrides: ctx.config.cleanStepPriorityOverrides,
    }));
  setSteps(task, CLEAN_FLOW, steps);
  if (steps.length === 0) {
    await CLEAN_FLOW.finish(ctx, task);
    return;
  }
  const prepared = await task.driver.deploy.prepareCleaning(task);
  if (prepared === ProvisionState.CLEANWAIT) {
    task.processEvent('wait', { keepTarget: true });
    return;
  }
  await runSteps(ctx, task, CLEAN_FLOW, 0);
}

/**
 * Checks manual clean steps: each a driver step (arguments matching its
 * argsinfo) or a reserved one. Returns them in the user's order, completed
 * with the driver's priority and abortable flag.
 */
export function validateCleanSteps(
  driverSteps: Parameters<typeof validateUserCleanSteps>[0],
  userSteps: readonly StepRequest[],
): StepRequest[] {
  if (userSteps.length === 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: 'Manual cleaning needs at least one clean step.',
    });
  }
  const checked = validateUserCleanSteps(
    driverSteps,
    userSteps.filter((s) => !isReservedStep(s)),
  );
  let next = 0;
  return userSteps.map((s) =>
    isReservedStep(s) ? { ...s, abortable: true } : (checked[next++] as StepRequest),
  );
}

/** The failure handler of a cleaning started in the background. */
export function cleaningFailed(ctx: ConductorContext) {
  return (task: NodeTask, error: unknown): Promise<void> =>
    CLEAN_FLOW.fail(ctx, task, describeError(error));
}

/** Continues cleaning parked in `clean wait` (an asynchronous step finished). */
export function continueCleaning(ctx: ConductorContext, ident: string): Promise<void> {
  return continueFlow(ctx, ident, CLEAN_FLOW);
}

/**
 * Aborts cleaning: from `clean hold`, or from `clean wait` when the current
 * step is abortable.
 */
export async function abortCleaning(ctx: ConductorContext, task: NodeTask): Promise<void> {
  const step = task.node.cleanStep;
  if (
    task.node.provisionState === ProvisionState.CLEANWAIT &&
    step !== null &&
    step['abortable'] !== true
  ) {
    throw wrongState(
      task,
      'abort',
      `nothing while the clean step ${JSON.stringify(step['step'])}, which is not abortable, runs`,
    );
  }
  const described = step
    ? ` on step ${JSON.stringify({ interface: step['interface'], step: step['step'] })}`
    : '';
  task.spawn(
    async (t) => {
      clearSteps(t, CLEAN_FLOW);
      const teardownError = await tearDownCleaning(ctx, t);
      t.node.lastError = `Clean operation aborted for node ${t.node.uuid}${described}.${teardownError ? ` Tearing down cleaning failed: ${teardownError}` : ''}`;
    },
    (t, error) => {
      t.node.lastError = describeError(error);
    },
  );
  task.processEvent('abort', { keepTarget: true });
  await task.save();
}

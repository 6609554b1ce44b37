import { FerriteError } from '../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../common/json.ts';
import { isJsonObject } from '../../common/json.ts';
import { PowerState } from '../../common/states.ts';
import type { ProvisionState, RequestablePowerState } from '../../common/states.ts';
import type { InterfaceMap } from '../../drivers/driver.ts';
import { requireInterface } from '../../drivers/driver.ts';
import { isInterfaceType } from '../../drivers/interface-types.ts';
import type { StepRequest, StepResult } from '../../drivers/steps.ts';
export { isReservedStep } from '../../drivers/steps.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import { powerAction } from './power.ts';
import { wrongState } from './refusals.ts';

/**
 * Clean, deploy and service steps run the same way: the list is stored in
 * driver_internal_info, the current step on the node, and each step either
 * finishes, asks to wait (the node parks in the wait state until continued),
 * or fails. Reserved step names work in any list: `hold` parks the node for
 * an operator, `wait` parks it (or pauses `seconds`), `power_on`,
 * `power_off` and `reboot` act on the power.
 */
export interface StepFlow {
  readonly kind: 'clean' | 'deploy' | 'service';
  readonly waiting: ProvisionState;
  /** What a step returns to say it continues asynchronously. */
  readonly waitResult: StepResult;
  readonly stepsKey: string;
  readonly indexKey: string;
  setCurrentStep(task: NodeTask, step: JsonObject | null): void;
  execute(task: NodeTask, step: StepRequest): Promise<StepResult>;
  /** After the last step: tear down, move to the stable state. */
  finish(ctx: ConductorContext, task: NodeTask): Promise<void>;
  /** A step failed: record, clean up, move to the failed state. */
  fail(ctx: ConductorContext, task: NodeTask, message: string): Promise<void>;
}

const RESERVED_POWER: Readonly<Record<string, RequestablePowerState>> = {
  power_on: PowerState.POWER_ON,
  power_off: PowerState.POWER_OFF,
  reboot: PowerState.REBOOT,
};

/** Runs a step on the interface it names. */
export async function executeOn(
  task: NodeTask,
  step: StepRequest,
  run: (impl: InterfaceMap[keyof InterfaceMap], step: StepRequest) => Promise<StepResult>,
): Promise<StepResult> {
  if (!isInterfaceType(step.interface)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Unknown interface "${step.interface}" in step ${step.step}`,
    });
  }
  return run(requireInterface(task.driver, step.interface), step);
}

function storedSteps(task: NodeTask, flow: StepFlow): StepRequest[] {
  const raw = task.node.driverInternalInfo[flow.stepsKey];
  return Array.isArray(raw) ? (raw.filter(isJsonObject) as unknown as StepRequest[]) : [];
}

function storedIndex(task: NodeTask, flow: StepFlow): number | null {
  const raw = task.node.driverInternalInfo[flow.indexKey];
  return typeof raw === 'number' ? raw : null;
}

/** Stores the steps a flow will run and resets its position. */
export function setSteps(task: NodeTask, flow: StepFlow, steps: readonly StepRequest[]): void {
  task.node.driverInternalInfo[flow.stepsKey] = steps as unknown as JsonValue;
  task.node.driverInternalInfo[flow.indexKey] = null;
  flow.setCurrentStep(task, null);
}

/** Forgets a flow's steps, once done or failed. */
export function clearSteps(task: NodeTask, flow: StepFlow): void {
  const info = task.node.driverInternalInfo;
  Reflect.deleteProperty(info, flow.stepsKey);
  Reflect.deleteProperty(info, flow.indexKey);
  flow.setCurrentStep(task, null);
}

function waitSeconds(step: StepRequest): number | undefined {
  const seconds = step.args?.['seconds'];
  return typeof seconds === 'number' && seconds >= 0 ? seconds : undefined;
}

/**
 * Runs the flow's steps from `start`, under the task's exclusive lock, until
 * one waits or holds, all are done, or one fails. The position is saved
 * before each step; the final state is written when the task releases the
 * node (one statement with the unlock).
 */
export async function runSteps(
  ctx: ConductorContext,
  task: NodeTask,
  flow: StepFlow,
  start: number,
): Promise<void> {
  const steps = storedSteps(task, flow);
  for (let index = start; index < steps.length; index++) {
    const step = steps[index] as StepRequest;
    task.node.driverInternalInfo[flow.indexKey] = index;
    flow.setCurrentStep(task, step as unknown as JsonObject);
    await task.save();
    if (step.step === 'hold') {
      task.processEvent('hold', { keepTarget: true });
      return;
    }
    if (step.step === 'wait') {
      const seconds = waitSeconds(step);
      if (seconds === undefined) {
        task.processEvent('wait', { keepTarget: true });
        return;
      }
      await task.clock.sleep(seconds * 1000, task.signal);
      continue;
    }
    let result: StepResult;
    try {
      const power = RESERVED_POWER[step.step];
      if (power) {
        await powerAction(ctx, task, power);
        result = undefined;
      } else {
        result = await flow.execute(task, step);
      }
    } catch (error) {
      await flow.fail(
        ctx,
        task,
        `Node ${task.node.uuid} failed step ${JSON.stringify({ interface: step.interface, step: step.step, args: step.args ?? {} })}: ${describeError(error)}`,
      );
      return;
    }
    if (result !== undefined && result === flow.waitResult) {
      task.processEvent('wait', { keepTarget: true });
      return;
    }
  }
  await flow.finish(ctx, task);
}

/**
 * Picks a waiting flow up again (the step that made it wait has finished):
 * runs the next step, or holds straight away when the next step is `hold`.
 */
export async function resumeFlow(
  ctx: ConductorContext,
  task: NodeTask,
  flow: StepFlow,
): Promise<void> {
  const next = (storedIndex(task, flow) ?? -1) + 1;
  const steps = storedSteps(task, flow);
  if (steps[next]?.step === 'hold') {
    task.node.driverInternalInfo[flow.indexKey] = next;
    flow.setCurrentStep(task, steps[next] as unknown as JsonObject);
    task.processEvent('hold', { keepTarget: true });
    return;
  }
  task.processEvent('resume', { keepTarget: true });
  await runSteps(ctx, task, flow, next);
}

/** The exclusive-task part of a continue call: checks the state and resumes in the background. */
export async function continueFlow(
  ctx: ConductorContext,
  ident: string,
  flow: StepFlow,
): Promise<void> {
  await ctx.tasks.run(ident, { purpose: `continuing ${flow.kind}` }, async (task) => {
    if (task.node.provisionState !== flow.waiting) {
      throw wrongState(task, `continue ${flow.kind}`, `only in ${flow.waiting}`);
    }
    task.spawn(
      (t) => resumeFlow(ctx, t, flow),
      (t, error) => flow.fail(ctx, t, describeError(error)),
    );
  });
}

/** Leaves a hold: back to the wait state, then on with the next step. */
export async function unholdFlow(
  ctx: ConductorContext,
  task: NodeTask,
  flow: StepFlow,
): Promise<void> {
  task.spawn(
    (t) => resumeFlow(ctx, t, flow),
    (t, error) => flow.fail(ctx, t, describeError(error)),
  );
  task.processEvent('unhold', { keepTarget: true });
  await task.save();
}

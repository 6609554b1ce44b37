import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import { ProvisionState } from '../../common/states.ts';
import type { StepRequest } from '../../drivers/steps.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import { clearSteps, continueFlow, isReservedStep, runSteps, setSteps } from './step-runner.ts';
import type { StepFlow } from './step-runner.ts';

const SERVICE_STEP_KEY = 'service_step';

/**
 * Servicing an active node with operator-given steps. The driver framework
 * declares no service steps yet, so the reserved steps (power_on, power_off,
 * reboot, hold, wait) are what a service request may run.
 */
export const SERVICE_FLOW: StepFlow = {
  kind: 'service',
  waiting: ProvisionState.SERVICEWAIT,
  waitResult: undefined,
  stepsKey: 'service_steps',
  indexKey: 'service_step_index',
  setCurrentStep: (task, step) => {
    if (step === null) Reflect.deleteProperty(task.node.driverInternalInfo, SERVICE_STEP_KEY);
    else task.node.driverInternalInfo[SERVICE_STEP_KEY] = step;
  },
  execute: async (_task, step) => {
    throw new FerriteError('InvalidParameterValue', {
      err: `Unsupported service step ${step.interface}.${step.step}`,
    });
  },
  async finish(ctx, task) {
    clearSteps(task, SERVICE_FLOW);
    task.node.lastError = null;
    task.processEvent('done');
    ctx.logger.info({ node: task.node.uuid }, 'serviced');
  },
  async fail(ctx, task, message) {
    clearSteps(task, SERVICE_FLOW);
    task.node.lastError = message;
    if (task.node.provisionState !== ProvisionState.SERVICEFAIL) task.processEvent('fail');
    ctx.logger.warn({ node: task.node.uuid, error: message }, 'servicing failed');
  },
};

export function validateServiceSteps(steps: readonly StepRequest[]): StepRequest[] {
  if (steps.length === 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: 'Servicing needs at least one service step.',
    });
  }
  const unsupported = steps.filter((s) => !isReservedStep(s));
  if (unsupported.length > 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `node does not support these service steps: ${unsupported.map((s) => `${s.interface}.${s.step}`).join(', ')}`,
    });
  }
  return steps.map((s) => ({ ...s }));
}

/**
 * Starts servicing. From `service failed` a request whose first step is
 * `wait` or `hold` parks the node directly, as the state machine allows;
 * anything else goes through `servicing`.
 */
export async function startServicing(
  ctx: ConductorContext,
  task: NodeTask,
  steps: readonly StepRequest[],
): Promise<void> {
  const first = steps[0]?.step;
  const state = task.node.provisionState;
  if (state === ProvisionState.SERVICEFAIL && (first === 'wait' || first === 'hold')) {
    setSteps(task, SERVICE_FLOW, steps);
    task.node.driverInternalInfo[SERVICE_FLOW.indexKey] = 0;
    SERVICE_FLOW.setCurrentStep(task, steps[0] as unknown as JsonObject);
    task.processEvent(first === 'wait' ? 'wait' : 'hold');
    await task.save();
    return;
  }
  task.spawn(
    async (t) => {
      setSteps(t, SERVICE_FLOW, steps);
      await runSteps(ctx, t, SERVICE_FLOW, 0);
    },
    (t, error) => SERVICE_FLOW.fail(ctx, t, describeError(error)),
  );
  task.processEvent('service');
  await task.save();
}

export function continueServicing(ctx: ConductorContext, ident: string): Promise<void> {
  return continueFlow(ctx, ident, SERVICE_FLOW);
}

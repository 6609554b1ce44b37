import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import { ProvisionState } from '../../common/states.ts';
import { gatherSteps, sortSteps, stepId } from '../../drivers/driver-steps.ts';
import { instanceTraits, templateSteps, withUserSteps } from './deploy-templates.ts';
import { removeAllocationRecord } from './allocations.ts';
import type { DeployStepDescriptor, StepRequest } from '../../drivers/steps.ts';
import { validateStepArgs } from '../../drivers/steps.ts';
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

export const DEPLOY_FLOW: StepFlow = {
  kind: 'deploy',
  waiting: ProvisionState.DEPLOYWAIT,
  waitResult: ProvisionState.DEPLOYWAIT,
  stepsKey: 'deploy_steps',
  indexKey: 'deploy_step_index',
  setCurrentStep: (task, step) => {
    task.node.deployStep = step;
  },
  execute: (task, step) => executeOn(task, step, (impl, s) => impl.executeDeployStep(task, s)),
  async finish(ctx, task) {
    clearSteps(task, DEPLOY_FLOW);
    task.node.conductorAffinity = ctx.config.host;
    task.processEvent('done');
    ctx.logger.info({ node: task.node.uuid }, 'deployed');
  },
  async fail(ctx, task, message) {
    clearSteps(task, DEPLOY_FLOW);
    let cleanUpError = '';
    try {
      await task.driver.deploy.cleanUp(task);
    } catch (error) {
      cleanUpError = `. Also failed to clean up due to: ${describeError(error)}`;
    }
    task.node.lastError = `${message}${cleanUpError}`;
    if (task.node.provisionState !== ProvisionState.DEPLOYFAIL) task.processEvent('fail');
    ctx.logger.warn({ node: task.node.uuid, error: task.node.lastError }, 'deploy failed');
  },
};

/**
 * The steps a deploy runs: the driver's enabled deploy steps, with the
 * user's steps (from the request) replacing or adding to them, by priority.
 * A user step with priority 0 disables the driver's step of the same name;
 * the core `deploy.deploy` step cannot be replaced.
 */
export function planDeploySteps(
  driverSteps: readonly DeployStepDescriptor[],
  userSteps: readonly StepRequest[],
): StepRequest[] {
  const byId = new Map(driverSteps.map((s) => [stepId(s), s]));
  const errors: string[] = [];
  const overridden = new Set<string>();
  const added: (StepRequest & { priority: number })[] = [];
  for (const user of userSteps) {
    const id = stepId(user);
    const priority = user.priority;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) {
      errors.push(`deploy step ${id} needs a priority, a non-negative integer`);
      continue;
    }
    if (overridden.has(id)) {
      errors.push(`deploy step ${id} is given twice`);
      continue;
    }
    if (!isReservedStep(user)) {
      const declared = byId.get(id);
      if (!declared) {
        errors.push(`node does not support this deploy step: ${JSON.stringify(user)}`);
        continue;
      }
      if (id === 'deploy.deploy') {
        errors.push(
          'deploy step deploy on interface deploy is a core step and cannot be overridden by user steps',
        );
        continue;
      }
      try {
        if (priority > 0) validateStepArgs(declared, user.args);
      } catch (error) {
        errors.push(describeError(error));
        continue;
      }
    }
    overridden.add(id);
    if (priority > 0) added.push({ ...user, priority });
  }
  if (errors.length > 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Validation of deploy steps from "deploy steps" argument failed. ${errors.join('; ')}`,
    });
  }
  const kept = driverSteps.filter((s) => s.priority > 0 && !overridden.has(stepId(s)));
  return sortSteps(
    [
      ...kept,
      ...added.map((s) => ({
        interface: s.interface,
        step: s.step,
        priority: s.priority,
        argsinfo: null,
        args: s.args,
      })),
    ] as (DeployStepDescriptor & { args?: JsonObject })[],
    'deploy',
  ).map((s) => ({
    interface: s.interface,
    step: s.step,
    priority: s.priority,
    ...(s.args ? { args: s.args } : {}),
  }));
}

/** The checks a deploy request must pass before the node moves. */
export async function validateForDeploy(task: NodeTask): Promise<void> {
  // The instance may only ask for traits the node has (they pick the deploy templates).
  instanceTraits(task.node);
  await task.driver.power.validate(task);
  await task.driver.deploy.validate(task);
  await task.driver.boot?.validate(task);
  await task.driver.network?.validate(task);
  await task.driver.storage?.validate(task);
}

/**
 * The body of a deploy (or rebuild), in the background with the node in
 * `deploying`: prepare, work out the steps, run them.
 */
export async function doDeploy(
  ctx: ConductorContext,
  task: NodeTask,
  options: {
    readonly configdrive?: JsonObject | string;
    readonly userSteps?: readonly StepRequest[];
  },
): Promise<void> {
  if (options.configdrive !== undefined) {
    task.node.instanceInfo = { ...task.node.instanceInfo, configdrive: options.configdrive };
  }
  await task.driver.deploy.prepare(task);
  const driverSteps = await gatherSteps(task.driver, task, 'deploy');
  const requested = withUserSteps(await templateSteps(ctx, task.node), options.userSteps ?? []);
  setSteps(task, DEPLOY_FLOW, planDeploySteps(driverSteps, requested));
  await runSteps(ctx, task, DEPLOY_FLOW, 0);
}

export function deployFailed(ctx: ConductorContext) {
  return (task: NodeTask, error: unknown): Promise<void> =>
    DEPLOY_FLOW.fail(ctx, task, `Deploy of node ${task.node.uuid} failed: ${describeError(error)}`);
}

/** Continues a deploy parked in `wait call-back` (the ramdisk reported back). */
export function continueDeploying(ctx: ConductorContext, ident: string): Promise<void> {
  return continueFlow(ctx, ident, DEPLOY_FLOW);
}

/**
 * The body of an undeploy, in the background with the node in `deleting`:
 * stop the console, tear the instance down, forget it, then clean.
 */
export async function doTearDown(
  ctx: ConductorContext,
  task: NodeTask,
  thenClean: (task: NodeTask) => Promise<void>,
): Promise<void> {
  const node = task.node;
  if (node.consoleEnabled && task.driver.console) {
    await task.driver.console.stopConsole(task);
    node.consoleEnabled = false;
  }
  if (task.driver.rescue) await task.driver.rescue.cleanUp(task);
  await task.driver.deploy.tearDown(task);
  await task.driver.deploy.cleanUp(task);
  await task.driver.network?.unconfigureTenantNetworks(task);
  node.instanceInfo = {};
  node.instanceUuid = null;
  // The workload is gone, and with it the allocation that chose this node.
  if (node.allocationUuid !== null) {
    await removeAllocationRecord(ctx, node.allocationUuid);
    node.allocationUuid = null;
  }
  node.deployStep = null;
  clearSteps(task, DEPLOY_FLOW);
  task.processEvent('clean');
  await task.save();
  await thenClean(task);
}

export function tearDownFailed(ctx: ConductorContext) {
  return async (task: NodeTask, error: unknown): Promise<void> => {
    task.node.lastError = `Failed to tear down. Error: ${describeError(error)}`;
    if (task.node.provisionState === ProvisionState.DELETING) task.processEvent('fail');
    ctx.logger.warn({ node: task.node.uuid, error: task.node.lastError }, 'tear down failed');
  };
}

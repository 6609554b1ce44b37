import { FerriteError } from '../../common/errors.ts';
import { canTransition, eventsFrom, PROVISION_VERBS } from '../../common/fsm.ts';
import type { ProvisionVerb } from '../../common/fsm.ts';
import type { JsonObject } from '../../common/json.ts';
import { ProvisionState as S } from '../../common/states.ts';
import type { ProvisionState } from '../../common/states.ts';
import { requireInterface } from '../../drivers/driver.ts';
import type { StepRequest } from '../../drivers/steps.ts';
import type { ConductorContext } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import { doAdopt } from './adoption.ts';
import { abortCleaning, CLEAN_FLOW, doCleaning, validateCleanSteps } from './cleaning.ts';
import { DEPLOY_FLOW, doDeploy, doTearDown, validateForDeploy } from './deploying.ts';
import { failProvisioning } from './failures.ts';
import { doInspect } from './inspection.ts';
import { abortRescue, doRescue, doUnrescue } from './rescue.ts';
import { SERVICE_FLOW, startServicing, validateServiceSteps } from './servicing.ts';
import { unholdFlow } from './step-runner.ts';
import { gatherSteps } from '../../drivers/driver-steps.ts';
import { doVerify } from './verify.ts';
import { wrongState } from './refusals.ts';

export interface ProvisionOptions {
  readonly cleanSteps?: readonly StepRequest[];
  readonly deploySteps?: readonly StepRequest[];
  readonly serviceSteps?: readonly StepRequest[];
  readonly configdrive?: JsonObject | string;
  readonly rescuePassword?: string;
}

const DEPLOYING_STATES: readonly ProvisionState[] = [S.DEPLOYING, S.DEPLOYWAIT];
const CLEANING_STATES: readonly ProvisionState[] = [S.DELETING, S.CLEANING, S.CLEANWAIT];

/** Refuses a verb the node's state does not accept, saying what it does accept. */
function refuse(task: NodeTask, verb: string): FerriteError {
  const allowed = eventsFrom(task.node.provisionState);
  const verbs = Object.entries(PROVISION_VERBS)
    .filter(([, event]) => allowed.includes(event))
    .map(([v]) => v);
  return wrongState(task, verb, verbs.length > 0 ? verbs.join(', ') : 'nothing');
}

function requireEvent(task: NodeTask, verb: ProvisionVerb): void {
  if (!canTransition(task.node.provisionState, PROVISION_VERBS[verb])) throw refuse(task, verb);
}

function notInMaintenance(task: NodeTask, op: string): void {
  if (task.node.maintenance)
    throw new FerriteError('NodeInMaintenance', { op, node: task.node.uuid });
}

function notProtected(task: NodeTask): void {
  if (task.node.protected) throw new FerriteError('NodeProtected', { node: task.node.uuid });
}

async function underCap(
  ctx: ConductorContext,
  states: readonly ProvisionState[],
  cap: number,
  kind: string,
): Promise<void> {
  if ((await ctx.store.nodes.count({ provisionState: states })) >= cap) {
    throw new FerriteError('ConcurrentActionLimit', { task_type: kind });
  }
}

/**
 * `PUT /v1/nodes/{id}/states/provision`: checks the request, moves the node
 * and starts the work in the background. Returns once the node has moved.
 */
export async function changeProvisionState(
  ctx: ConductorContext,
  ident: string,
  verb: ProvisionVerb,
  options: ProvisionOptions = {},
): Promise<void> {
  if (!(verb in PROVISION_VERBS)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Unknown provision state target "${verb}".`,
    });
  }
  await ctx.tasks.run(ident, { purpose: `provision: ${verb}` }, async (task) => {
    await provision(ctx, task, verb, options);
  });
}

async function provision(
  ctx: ConductorContext,
  task: NodeTask,
  verb: ProvisionVerb,
  options: ProvisionOptions,
): Promise<void> {
  const node = task.node;
  const failed = failProvisioning(ctx);
  switch (verb) {
    case 'manage':
      requireEvent(task, verb);
      if (node.provisionState === S.ENROLL) {
        task.spawn((t) => doVerify(ctx, t), failed);
      }
      task.processEvent('manage');
      node.lastError = null;
      await task.save();
      return;

    case 'provide':
      requireEvent(task, verb);
      notInMaintenance(task, 'provide');
      await underCap(ctx, CLEANING_STATES, ctx.config.maxConcurrentClean, 'cleaning');
      task.spawn((t) => doCleaning(ctx, t), failed);
      node.conductorAffinity = ctx.config.host;
      task.processEvent('provide');
      node.lastError = null;
      await task.save();
      return;

    case 'clean': {
      requireEvent(task, verb);
      notInMaintenance(task, 'cleaning');
      if (!options.cleanSteps) {
        throw new FerriteError('MissingParameterValue', {
          err: 'clean_steps is required when setting the provision state to clean.',
        });
      }
      const steps = validateCleanSteps(
        await gatherSteps(task.driver, task, 'clean'),
        options.cleanSteps,
      );
      await underCap(ctx, CLEANING_STATES, ctx.config.maxConcurrentClean, 'cleaning');
      task.spawn((t) => doCleaning(ctx, t, steps), failed);
      node.conductorAffinity = ctx.config.host;
      task.processEvent('clean', { target: S.MANAGEABLE });
      node.lastError = null;
      await task.save();
      return;
    }

    case 'active':
    case 'deploy':
    case 'rebuild': {
      const event = verb === 'rebuild' || node.provisionState === S.ACTIVE ? 'rebuild' : 'deploy';
      if (!canTransition(node.provisionState, event)) throw refuse(task, verb);
      if (event === 'rebuild') notProtected(task);
      notInMaintenance(task, 'provisioning');
      await validateForDeploy(task);
      await underCap(ctx, DEPLOYING_STATES, ctx.config.maxConcurrentDeploy, 'provisioning');
      const configdrive = options.configdrive;
      const userSteps = options.deploySteps;
      task.spawn(
        (t) =>
          doDeploy(ctx, t, {
            ...(configdrive !== undefined ? { configdrive } : {}),
            ...(userSteps ? { userSteps } : {}),
          }),
        failed,
      );
      node.conductorAffinity = ctx.config.host;
      task.processEvent(event);
      node.lastError = null;
      await task.save();
      return;
    }

    case 'deleted':
    case 'undeploy':
      requireEvent(task, verb);
      notProtected(task);
      await underCap(ctx, CLEANING_STATES, ctx.config.maxConcurrentClean, 'unprovisioning');
      task.spawn((t) => doTearDown(ctx, t, (tt) => doCleaning(ctx, tt)), failed);
      task.processEvent('delete');
      node.lastError = null;
      await task.save();
      return;

    case 'inspect': {
      requireEvent(task, verb);
      const inspect = requireInterface(task.driver, 'inspect');
      await task.driver.power.validate(task);
      await inspect.validate(task);
      task.spawn((t) => doInspect(ctx, t), failed);
      node.conductorAffinity = ctx.config.host;
      node.inspectionStartedAt = new Date(ctx.clock.now());
      node.inspectionFinishedAt = null;
      task.processEvent('inspect');
      node.lastError = null;
      await task.save();
      return;
    }

    case 'adopt':
      requireEvent(task, verb);
      notInMaintenance(task, 'adoption');
      await task.driver.power.validate(task);
      await task.driver.deploy.validate(task);
      task.spawn((t) => doAdopt(ctx, t), failed);
      task.processEvent('adopt');
      node.lastError = null;
      await task.save();
      return;

    case 'rescue': {
      requireEvent(task, verb);
      notInMaintenance(task, 'rescue');
      const password = options.rescuePassword;
      if (typeof password !== 'string' || password.trim() === '') {
        throw new FerriteError('MissingParameterValue', {
          err: 'A non-empty rescue_password is required to rescue a node.',
        });
      }
      const rescue = requireInterface(task.driver, 'rescue');
      await rescue.validate(task);
      await task.driver.boot?.validateRescue?.(task);
      await task.driver.network?.validateRescue?.(task);
      task.spawn((t) => doRescue(ctx, t), failed);
      node.instanceInfo = { ...node.instanceInfo, rescue_password: password };
      node.conductorAffinity = ctx.config.host;
      task.processEvent('rescue');
      node.lastError = null;
      await task.save();
      return;
    }

    case 'unrescue':
      requireEvent(task, verb);
      notInMaintenance(task, 'unrescue');
      await requireInterface(task.driver, 'rescue').validate(task);
      task.spawn((t) => doUnrescue(ctx, t), failed);
      task.processEvent('unrescue');
      node.lastError = null;
      await task.save();
      return;

    case 'service': {
      requireEvent(task, verb);
      notInMaintenance(task, 'service');
      if (!options.serviceSteps) {
        throw new FerriteError('MissingParameterValue', {
          err: 'service_steps is required when setting the provision state to service.',
        });
      }
      await startServicing(ctx, task, validateServiceSteps(options.serviceSteps));
      node.lastError = null;
      await task.save();
      return;
    }

    case 'unhold': {
      requireEvent(task, verb);
      const flow = {
        [S.DEPLOYHOLD]: DEPLOY_FLOW,
        [S.CLEANHOLD]: CLEAN_FLOW,
        [S.SERVICEHOLD]: SERVICE_FLOW,
      }[node.provisionState as string];
      if (!flow) throw refuse(task, verb);
      await unholdFlow(ctx, task, flow);
      return;
    }

    case 'abort':
      await abort(ctx, task);
      return;
  }
}

async function abort(ctx: ConductorContext, task: NodeTask): Promise<void> {
  const node = task.node;
  switch (node.provisionState) {
    case S.CLEANWAIT:
    case S.CLEANHOLD:
      await abortCleaning(ctx, task);
      return;
    case S.RESCUEWAIT:
      await abortRescue(task);
      return;
    case S.INSPECTWAIT: {
      const inspect = requireInterface(task.driver, 'inspect');
      if (!inspect.abort) {
        throw new FerriteError('UnsupportedDriverExtension', {
          driver: node.driver,
          extension: 'abort of inspection',
        });
      }
      await inspect.abort(task);
      node.lastError = 'Inspection was aborted by request.';
      task.processEvent('abort');
      await task.save();
      return;
    }
    case S.DEPLOYWAIT:
    case S.DEPLOYHOLD:
      task.spawn(
        async (t) => {
          await t.driver.deploy.cleanUp(t);
        },
        (t, error) => {
          t.node.lastError = `Deploy aborted by request; cleaning up failed: ${error instanceof Error ? error.message : String(error)}`;
        },
      );
      node.lastError = 'Deploy aborted by request.';
      node.deployStep = null;
      task.processEvent('abort');
      await task.save();
      return;
    case S.SERVICEWAIT:
    case S.SERVICEHOLD:
    case S.SERVICEFAIL:
      node.lastError =
        node.provisionState === S.SERVICEFAIL ? null : 'Servicing aborted by request.';
      SERVICE_FLOW.setCurrentStep(task, null);
      task.processEvent('abort');
      await task.save();
      return;
    default:
      throw refuse(task, 'abort');
  }
}

import { FerriteError } from '../../common/errors.ts';
import { FAILURE_STATES } from '../../common/fsm.ts';
import { PowerState } from '../../common/states.ts';
import type { RequestablePowerState } from '../../common/states.ts';
import { checkPowerTimeout } from '../../drivers/modules/args.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';

/** The state a power request leaves the node in. */
export function powerTarget(requested: RequestablePowerState): PowerState {
  return requested === PowerState.POWER_OFF || requested === PowerState.SOFT_POWER_OFF
    ? PowerState.POWER_OFF
    : PowerState.POWER_ON;
}

/**
 * Checks a power request against what the node's power interface supports
 * and the timeout rules, before anything changes.
 */
export async function checkPowerRequest(
  task: NodeTask,
  requested: RequestablePowerState,
  timeout: number | undefined,
): Promise<void> {
  checkPowerTimeout(timeout);
  const supported = await task.driver.power.getSupportedPowerStates(task);
  if (!supported.includes(requested)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `The requested power state "${requested}" is not supported by the power interface of node ${task.node.uuid}; supported: ${supported.join(', ')}.`,
    });
  }
}

/**
 * Drives a node to a power state under an exclusive task: records the target
 * while in flight, skips a request the node already satisfies, and records
 * the outcome (power_state, or last_error) before returning or throwing.
 */
export async function powerAction(
  ctx: ConductorContext,
  task: NodeTask,
  requested: RequestablePowerState,
  timeout?: number,
): Promise<void> {
  const node = task.node;
  const target = powerTarget(requested);
  const keepsError = FAILURE_STATES.includes(node.provisionState);
  if (
    requested === PowerState.POWER_ON ||
    requested === PowerState.POWER_OFF ||
    requested === PowerState.SOFT_POWER_OFF
  ) {
    let current: PowerState;
    try {
      current = await task.driver.power.getPowerState(task);
    } catch (error) {
      node.lastError = `Failed to change power state to '${target}': ${describeError(error)}`;
      node.targetPowerState = null;
      await task.save();
      throw error;
    }
    if (current === target) {
      node.powerState = current;
      node.targetPowerState = null;
      if (!keepsError) node.lastError = null;
      await task.save();
      ctx.logger.debug({ node: node.uuid, state: current }, 'power request already satisfied');
      return;
    }
  }
  node.targetPowerState = target;
  await task.save();
  try {
    if (requested === PowerState.REBOOT) await task.driver.power.reboot(task, timeout);
    else await task.driver.power.setPowerState(task, requested, timeout);
  } catch (error) {
    node.lastError = `Failed to change power state to '${target}' by '${requested}': ${describeError(error)}`;
    node.targetPowerState = null;
    await task.save();
    throw error;
  }
  node.powerState = target;
  node.targetPowerState = null;
  if (!keepsError) node.lastError = null;
  await task.save();
  ctx.logger.info({ node: node.uuid, state: target, requested }, 'power state changed');
}

/**
 * The API's power request: validates now, answers at once, and changes the
 * power in the background (target_power_state shows it in flight).
 */
export async function changePowerState(
  ctx: ConductorContext,
  ident: string,
  requested: RequestablePowerState,
  timeout?: number,
): Promise<void> {
  await ctx.tasks.run(ident, { purpose: 'changing power state' }, async (task) => {
    await task.driver.power.validate(task);
    await checkPowerRequest(task, requested, timeout);
    task.spawn(
      (t) => powerAction(ctx, t, requested, timeout),
      () => undefined, // powerAction has recorded last_error itself
    );
    task.node.targetPowerState = powerTarget(requested);
    await task.save();
  });
}

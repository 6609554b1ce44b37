import { FerriteError } from '../../../common/errors.ts';
import { PowerState, REQUESTABLE_POWER_STATES } from '../../../common/states.ts';
import type { RequestablePowerState } from '../../../common/states.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { PowerBase } from '../../interfaces/power.ts';
import type { Task } from '../../task.ts';
import { checkPowerTimeout } from '../args.ts';
import { actionAllowableValues, actionTarget, optStr } from './client/json.ts';
import { REDFISH_DRIVER_INFO, redfishNodeInfo } from './driver-info.ts';
import { redfishCall } from './failures.ts';
import { redfishOptions } from './options.ts';
import type { RedfishOptions } from './options.ts';
import { nodeRedfish } from './shared-client.ts';
import type { NodeRedfish } from './shared-client.ts';
import { readSystem } from './system.ts';
import type { SystemResource } from './system.ts';

const RESET = '#ComputerSystem.Reset';

/** A system's PowerState as Ironic reads it; a transition counts as where it is going. */
const POWER_OF: Readonly<Record<string, PowerState>> = {
  On: PowerState.POWER_ON,
  PoweringOn: PowerState.POWER_ON,
  Off: PowerState.POWER_OFF,
  PoweringOff: PowerState.POWER_OFF,
};

/** The ResetType each request needs, and the state it ends in. */
const RESET_FOR: Readonly<Record<RequestablePowerState, { reset: string; ends: PowerState }>> = {
  [PowerState.POWER_ON]: { reset: 'On', ends: PowerState.POWER_ON },
  [PowerState.POWER_OFF]: { reset: 'ForceOff', ends: PowerState.POWER_OFF },
  [PowerState.SOFT_POWER_OFF]: { reset: 'GracefulShutdown', ends: PowerState.POWER_OFF },
  [PowerState.REBOOT]: { reset: 'ForceRestart', ends: PowerState.POWER_ON },
  [PowerState.SOFT_REBOOT]: { reset: 'GracefulRestart', ends: PowerState.POWER_ON },
};

function powerOf(system: SystemResource): PowerState {
  const state = optStr(system.body, 'PowerState');
  return (state === undefined ? undefined : POWER_OF[state]) ?? PowerState.ERROR;
}

/** The reset types the system takes; undefined (all of them) when it does not say. */
function resetTypes(task: Task, system: SystemResource): Promise<readonly string[] | undefined> {
  return redfishCall(task, 'read the reset types', async () =>
    actionAllowableValues(system.body, RESET, 'ResetType'),
  );
}

/**
 * Power through the ComputerSystem's Reset action: the ResetType each
 * request needs, among those the system allows, then the system read until
 * its PowerState shows the change (BMCs answer before the host follows) or
 * the timeout passes.
 */
export class RedfishPower extends PowerBase {
  readonly #env: DriverEnvironment;
  readonly #options: RedfishOptions;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
    this.#options = redfishOptions(env);
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(REDFISH_DRIVER_INFO);
  }

  override async validate(task: Task): Promise<void> {
    redfishNodeInfo(task);
  }

  async getPowerState(task: Task): Promise<PowerState> {
    return powerOf(await readSystem(task, nodeRedfish(this.#env, task)));
  }

  override async getSupportedPowerStates(task: Task): Promise<RequestablePowerState[]> {
    const system = await readSystem(task, nodeRedfish(this.#env, task));
    const allowed = await resetTypes(task, system);
    return REQUESTABLE_POWER_STATES.filter(
      (state) => allowed === undefined || allowed.includes(RESET_FOR[state].reset),
    );
  }

  async reboot(task: Task, timeout?: number): Promise<void> {
    await this.setPowerState(task, PowerState.REBOOT, timeout);
  }

  async setPowerState(task: Task, state: RequestablePowerState, timeout?: number): Promise<void> {
    const limit = checkPowerTimeout(timeout);
    const plan = RESET_FOR[state] as (typeof RESET_FOR)[RequestablePowerState] | undefined;
    if (plan === undefined) {
      throw new FerriteError('InvalidParameterValue', {
        err: `set_power_state called with an invalid power state: ${state}.`,
      });
    }
    const bmc = nodeRedfish(this.#env, task);
    const system = await readSystem(task, bmc);
    const now = powerOf(system);
    // A reboot of a machine that is off is a power on, as in Ironic.
    const rebootingOff =
      (state === PowerState.REBOOT || state === PowerState.SOFT_REBOOT) &&
      now === PowerState.POWER_OFF;
    const reset = rebootingOff ? 'On' : plan.reset;
    if (
      !rebootingOff &&
      now === plan.ends &&
      state !== PowerState.REBOOT &&
      state !== PowerState.SOFT_REBOOT
    ) {
      return;
    }
    const allowed = await resetTypes(task, system);
    if (allowed !== undefined && !allowed.includes(reset)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `The system does not take the reset ${reset} needed for ${state}; it takes ${allowed.join(', ')}.`,
      });
    }
    await redfishCall(task, `reset ${reset}`, () =>
      bmc.session.post(
        actionTarget(system.body, RESET),
        { ResetType: reset },
        { signal: task.signal },
      ),
    );
    await this.#waitFor(
      task,
      bmc,
      plan.ends,
      limit ?? this.#options.powerStateChangeTimeout,
      state,
    );
  }

  async #waitFor(
    task: Task,
    bmc: NodeRedfish,
    wanted: PowerState,
    seconds: number,
    requested: RequestablePowerState,
  ): Promise<void> {
    const deadline = task.clock.now() + seconds * 1000;
    for (;;) {
      if (powerOf(await readSystem(task, bmc)) === wanted) return;
      if (task.clock.now() >= deadline) {
        throw new FerriteError('PowerStateFailure', { pstate: requested });
      }
      await task.clock.sleep(
        Math.min(this.#options.powerPollIntervalMs, Math.max(0, deadline - task.clock.now())),
        task.signal,
      );
    }
  }
}

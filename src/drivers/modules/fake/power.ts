import { FerriteError } from '../../../common/errors.ts';
import { PowerState, REQUESTABLE_POWER_STATES } from '../../../common/states.ts';
import type { RequestablePowerState } from '../../../common/states.ts';
import { PowerBase } from '../../interfaces/power.ts';
import type { Task } from '../../task.ts';
import { checkPowerTimeout } from '../args.ts';
import { delaySeconds } from './options.ts';
import type { FakeDelay } from './options.ts';

/** driver_internal_info key holding the state the fake "hardware" is in. */
export const FAKE_POWER_KEY = 'fake_power_state';

/** Hard and soft, power changes and reboots: everything a client may ask for. */
const SUPPORTED = REQUESTABLE_POWER_STATES;

/** Where each request leaves the machine. */
const RESULT: Record<RequestablePowerState, PowerState> = {
  [PowerState.POWER_ON]: PowerState.POWER_ON,
  [PowerState.POWER_OFF]: PowerState.POWER_OFF,
  [PowerState.REBOOT]: PowerState.POWER_ON,
  [PowerState.SOFT_REBOOT]: PowerState.POWER_ON,
  [PowerState.SOFT_POWER_OFF]: PowerState.POWER_OFF,
};

/**
 * Power for machines that are not there. It keeps the machine's state with
 * the node, takes the configured time to change it, and fails as a real BMC
 * would when that time exceeds the caller's timeout.
 */
export class FakePower extends PowerBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  async getPowerState(task: Task): Promise<PowerState> {
    const stored = task.node.driverInternalInfo[FAKE_POWER_KEY];
    if (typeof stored === 'string' && (Object.values(PowerState) as string[]).includes(stored)) {
      return stored as PowerState;
    }
    return task.node.powerState ?? PowerState.POWER_OFF;
  }

  async setPowerState(task: Task, state: RequestablePowerState, timeout?: number): Promise<void> {
    const limit = checkPowerTimeout(timeout);
    if (!SUPPORTED.includes(state)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `set_power_state called with an invalid power state: ${state}.`,
      });
    }
    const seconds = delaySeconds(this.delay);
    if (limit !== undefined && seconds > limit) {
      await task.clock.sleep(limit * 1000, task.signal);
      throw new FerriteError('PowerStateFailure', { pstate: state });
    }
    if (seconds > 0) await task.clock.sleep(seconds * 1000, task.signal);
    task.node.driverInternalInfo[FAKE_POWER_KEY] = RESULT[state];
  }

  async reboot(task: Task, timeout?: number): Promise<void> {
    await this.setPowerState(task, PowerState.REBOOT, timeout);
  }

  override async getSupportedPowerStates(_task: Task): Promise<RequestablePowerState[]> {
    return [...SUPPORTED];
  }
}

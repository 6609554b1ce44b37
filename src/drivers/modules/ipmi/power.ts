import { FerriteError } from '../../../common/errors.ts';
import { PowerState, REQUESTABLE_POWER_STATES } from '../../../common/states.ts';
import type { RequestablePowerState } from '../../../common/states.ts';
import { isBootDevice } from '../../../common/boot-devices.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { PowerBase } from '../../interfaces/power.ts';
import type { Task } from '../../task.ts';
import { checkPowerTimeout } from '../args.ts';
import { PERSISTENT_BOOT_DEVICE, sendBootDevice } from './boot-flags.ts';
import { ChassisAction, chassisControl, getChassisStatus } from './commands/chassis.ts';
import { IPMI_DRIVER_INFO, ipmiNodeInfo } from './driver-info.ts';
import { ipmiCall } from './failures.ts';
import { ipmiOptions } from './options.ts';
import type { IpmiOptions } from './options.ts';
import { nodeBmc } from './shared-client.ts';
import type { NodeBmc } from './shared-client.ts';

/** Hard and soft, power changes and reboots: everything a client may ask for. */
const SUPPORTED = REQUESTABLE_POWER_STATES;

/**
 * Power through the BMC's chassis commands over RMCP+: status from Get
 * Chassis Status, changes by Chassis Control, each change then watched
 * until the chassis reports it (BMCs answer the command before the power
 * supply follows) or the timeout passes.
 */
export class IpmiPower extends PowerBase {
  readonly #env: DriverEnvironment;
  readonly #options: IpmiOptions;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
    this.#options = ipmiOptions(env);
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(IPMI_DRIVER_INFO);
  }

  override async validate(task: Task): Promise<void> {
    ipmiNodeInfo(task);
  }

  async getPowerState(task: Task): Promise<PowerState> {
    return this.#read(task, nodeBmc(this.#env, task));
  }

  async setPowerState(task: Task, state: RequestablePowerState, timeout?: number): Promise<void> {
    const limit = checkPowerTimeout(timeout);
    if (!SUPPORTED.includes(state)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `set_power_state called with an invalid power state: ${state}.`,
      });
    }
    const bmc = nodeBmc(this.#env, task);
    const hard = limit ?? this.#options.powerStateChangeTimeout;
    const soft = limit ?? this.#options.softPowerOffTimeout;
    switch (state) {
      case PowerState.POWER_ON:
        return this.#powerOn(task, bmc, hard);
      case PowerState.POWER_OFF:
        return this.#change(task, bmc, ChassisAction.POWER_DOWN, PowerState.POWER_OFF, hard, state);
      case PowerState.SOFT_POWER_OFF:
        return this.#change(
          task,
          bmc,
          ChassisAction.SOFT_SHUTDOWN,
          PowerState.POWER_OFF,
          soft,
          state,
        );
      case PowerState.REBOOT:
        return this.#reboot(task, bmc, ChassisAction.POWER_DOWN, hard, hard);
      case PowerState.SOFT_REBOOT:
        return this.#reboot(task, bmc, ChassisAction.SOFT_SHUTDOWN, soft, hard);
    }
  }

  async reboot(task: Task, timeout?: number): Promise<void> {
    await this.setPowerState(task, PowerState.REBOOT, timeout);
  }

  override async getSupportedPowerStates(_task: Task): Promise<RequestablePowerState[]> {
    return [...SUPPORTED];
  }

  async #read(task: Task, bmc: NodeBmc): Promise<PowerState> {
    const status = await ipmiCall(task, 'power status', () =>
      getChassisStatus(bmc.channel, task.signal),
    );
    return status.powerOn ? PowerState.POWER_ON : PowerState.POWER_OFF;
  }

  /** Off (hard or soft), then on: Ironic's reboot, so the boot device is honoured. */
  async #reboot(
    task: Task,
    bmc: NodeBmc,
    off: ChassisAction,
    offTimeout: number,
    onTimeout: number,
  ): Promise<void> {
    if ((await this.#read(task, bmc)) === PowerState.POWER_ON) {
      const requested =
        off === ChassisAction.SOFT_SHUTDOWN ? PowerState.SOFT_REBOOT : PowerState.REBOOT;
      await this.#change(task, bmc, off, PowerState.POWER_OFF, offTimeout, requested);
    }
    await this.#powerOn(task, bmc, onTimeout);
  }

  async #powerOn(task: Task, bmc: NodeBmc, seconds: number): Promise<void> {
    const remembered = task.node.driverInternalInfo[PERSISTENT_BOOT_DEVICE];
    if (bmc.forceBootDevice && isBootDevice(remembered)) {
      // This BMC forgets the boot device across power cycles: tell it again.
      await sendBootDevice(task, bmc, remembered, false);
    }
    await this.#change(
      task,
      bmc,
      ChassisAction.POWER_UP,
      PowerState.POWER_ON,
      seconds,
      PowerState.POWER_ON,
    );
  }

  /** Sends `action` unless already there, then reads the state until it is `wanted`. */
  async #change(
    task: Task,
    bmc: NodeBmc,
    action: ChassisAction,
    wanted: PowerState,
    seconds: number,
    requested: RequestablePowerState,
  ): Promise<void> {
    if ((await this.#read(task, bmc)) === wanted) return;
    await ipmiCall(task, `chassis control ${requested}`, () =>
      chassisControl(bmc.channel, action, task.signal),
    );
    const deadline = task.clock.now() + seconds * 1000;
    for (;;) {
      if ((await this.#read(task, bmc)) === wanted) return;
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

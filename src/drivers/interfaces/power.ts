import { PowerState } from '../../common/states.ts';
import type { RequestablePowerState } from '../../common/states.ts';
import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/** Power control of a node. */
export interface PowerInterface extends BaseInterface {
  readonly interfaceType: 'power';
  /** The node's power state as the hardware reports it (`error` if it cannot tell). */
  getPowerState(task: Task): Promise<PowerState>;
  /**
   * Drives the node to `state` and returns once it is there. `timeout` is in
   * seconds (a positive integer); undefined means the implementation's default.
   * Throws PowerStateFailure when the state is not reached in time.
   */
  setPowerState(task: Task, state: RequestablePowerState, timeout?: number): Promise<void>;
  /** Hard reboot; a node that is off is powered on. */
  reboot(task: Task, timeout?: number): Promise<void>;
  /** The states `setPowerState` accepts on this node. */
  getSupportedPowerStates(task: Task): Promise<RequestablePowerState[]>;
  /** False when periodic power sync must not poll this interface. Default true. */
  supportsPowerSync?(task: Task): boolean;
}

export abstract class PowerBase extends InterfaceBase implements PowerInterface {
  readonly interfaceType = 'power' as const;
  abstract getPowerState(task: Task): Promise<PowerState>;
  abstract setPowerState(task: Task, state: RequestablePowerState, timeout?: number): Promise<void>;
  abstract reboot(task: Task, timeout?: number): Promise<void>;

  async getSupportedPowerStates(_task: Task): Promise<RequestablePowerState[]> {
    return [PowerState.POWER_ON, PowerState.POWER_OFF, PowerState.REBOOT];
  }
}

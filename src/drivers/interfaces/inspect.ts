import type { ProvisionState } from '../../common/states.ts';
import type { Task } from '../task.ts';
import type { HeartbeatOutcome } from './deploy.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/** Done (`manageable` or nothing) or continuing asynchronously (`inspect wait`). */
export type InspectResult =
  typeof ProvisionState.MANAGEABLE | typeof ProvisionState.INSPECTWAIT | undefined;

/** Discovering a node's hardware: CPUs, memory, disks, NICs → properties and ports. */
export interface InspectInterface extends BaseInterface {
  readonly interfaceType: 'inspect';
  /** Throws HardwareInspectionFailure when essential properties cannot be read. */
  inspectHardware(task: Task): Promise<InspectResult>;
  /** Aborts an asynchronous inspection. */
  abort?(task: Task): Promise<void>;
  /**
   * In-band inspection: the ramdisk agent heartbeats while the node is in
   * `inspect wait`; `continue` when the inspection is done.
   */
  heartbeat?(task: Task, callbackUrl: string): Promise<HeartbeatOutcome>;
}

export abstract class InspectBase extends InterfaceBase implements InspectInterface {
  readonly interfaceType = 'inspect' as const;
  abstract inspectHardware(task: Task): Promise<InspectResult>;
}

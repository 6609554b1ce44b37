import type { ProvisionState } from '../../common/states.ts';
import type { Task } from '../task.ts';
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
}

export abstract class InspectBase extends InterfaceBase implements InspectInterface {
  readonly interfaceType = 'inspect' as const;
  abstract inspectHardware(task: Task): Promise<InspectResult>;
}

import type { ProvisionState } from '../../common/states.ts';
import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

export type RescueResult = typeof ProvisionState.RESCUE | typeof ProvisionState.RESCUEWAIT;

/** Booting a deployed node into a rescue ramdisk and back. */
export interface RescueInterface extends BaseInterface {
  readonly interfaceType: 'rescue';
  /** Resolves to `rescue` when done or `rescue wait` while the ramdisk boots. */
  rescue(task: Task): Promise<RescueResult>;
  /** Returns the node to its instance; resolves to `active`. */
  unrescue(task: Task): Promise<typeof ProvisionState.ACTIVE>;
  /** Removes what `rescue` set up, after a failure or timeout. */
  cleanUp(task: Task): Promise<void>;
}

export abstract class RescueBase extends InterfaceBase implements RescueInterface {
  readonly interfaceType = 'rescue' as const;
  abstract rescue(task: Task): Promise<RescueResult>;
  abstract unrescue(task: Task): Promise<typeof ProvisionState.ACTIVE>;
  async cleanUp(_task: Task): Promise<void> {}
}

import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/** Kernel parameters handed to the ramdisk, e.g. `ipa-api-url`. */
export type RamdiskParams = Readonly<Record<string, string>>;

/** How a node boots: the deploy/cleaning ramdisk, then the instance. */
export interface BootInterface extends BaseInterface {
  readonly interfaceType: 'boot';
  /** Makes the node boot the ramdisk on its next boot (PXE config, virtual media, …). */
  prepareRamdisk(task: Task, ramdiskParams: RamdiskParams): Promise<void>;
  /** Undoes prepareRamdisk. */
  cleanUpRamdisk(task: Task): Promise<void>;
  /** Makes the node boot the deployed instance. */
  prepareInstance(task: Task): Promise<void>;
  /** Undoes prepareInstance. */
  cleanUpInstance(task: Task): Promise<void>;
  /** Checks what booting the rescue ramdisk needs. */
  validateRescue?(task: Task): Promise<void>;
  /** Checks what booting the inspection ramdisk needs. */
  validateInspection?(task: Task): Promise<void>;
}

export abstract class BootBase extends InterfaceBase implements BootInterface {
  readonly interfaceType = 'boot' as const;
  abstract prepareRamdisk(task: Task, ramdiskParams: RamdiskParams): Promise<void>;
  abstract cleanUpRamdisk(task: Task): Promise<void>;
  abstract prepareInstance(task: Task): Promise<void>;
  abstract cleanUpInstance(task: Task): Promise<void>;
}

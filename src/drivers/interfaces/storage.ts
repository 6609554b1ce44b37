import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/** Remote volumes (iSCSI, FC) a node boots from or uses. */
export interface StorageInterface extends BaseInterface {
  readonly interfaceType: 'storage';
  attachVolumes(task: Task): Promise<void>;
  detachVolumes(task: Task): Promise<void>;
  /** False when the node boots from a volume and no image must be written. */
  shouldWriteImage(task: Task): boolean;
}

export abstract class StorageBase extends InterfaceBase implements StorageInterface {
  readonly interfaceType = 'storage' as const;
  abstract attachVolumes(task: Task): Promise<void>;
  abstract detachVolumes(task: Task): Promise<void>;
  abstract shouldWriteImage(task: Task): boolean;
}

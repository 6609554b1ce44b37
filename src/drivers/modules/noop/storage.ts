import { StorageBase } from '../../interfaces/storage.ts';
import type { Task } from '../../task.ts';

/** `noop` storage: the node uses local disks only; nothing to attach. */
export class NoopStorage extends StorageBase {
  async attachVolumes(_task: Task): Promise<void> {}
  async detachVolumes(_task: Task): Promise<void> {}
  shouldWriteImage(_task: Task): boolean {
    return true;
  }
}

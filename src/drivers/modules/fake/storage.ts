import { StorageBase } from '../../interfaces/storage.ts';
import type { Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/** driver_internal_info key: whether the node's volumes are attached. */
export const FAKE_VOLUMES_KEY = 'fake_volumes_attached';

/** Volumes for a machine that is not there: attach and detach are remembered. */
export class FakeStorage extends StorageBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  async attachVolumes(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    task.node.driverInternalInfo[FAKE_VOLUMES_KEY] = task.volumeTargets.map((t) => t.uuid);
  }

  async detachVolumes(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    Reflect.deleteProperty(task.node.driverInternalInfo, FAKE_VOLUMES_KEY);
  }

  shouldWriteImage(_task: Task): boolean {
    return true;
  }
}

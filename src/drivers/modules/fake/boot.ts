import { BootBase } from '../../interfaces/boot.ts';
import type { RamdiskParams } from '../../interfaces/boot.ts';
import type { Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/** driver_internal_info key recording what the fake node would boot next. */
export const FAKE_BOOT_KEY = 'fake_boot_target';

/**
 * Boot for machines that are not there: records whether the ramdisk or the
 * instance would boot next, so tests and the conductor can see the sequence.
 */
export class FakeBoot extends BootBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  async prepareRamdisk(task: Task, _ramdiskParams: RamdiskParams): Promise<void> {
    await fakeWait(task, this.delay);
    task.node.driverInternalInfo[FAKE_BOOT_KEY] = 'ramdisk';
  }

  async cleanUpRamdisk(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    if (task.node.driverInternalInfo[FAKE_BOOT_KEY] === 'ramdisk') {
      Reflect.deleteProperty(task.node.driverInternalInfo, FAKE_BOOT_KEY);
    }
  }

  async prepareInstance(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    task.node.driverInternalInfo[FAKE_BOOT_KEY] = 'instance';
  }

  async cleanUpInstance(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    if (task.node.driverInternalInfo[FAKE_BOOT_KEY] === 'instance') {
      Reflect.deleteProperty(task.node.driverInternalInfo, FAKE_BOOT_KEY);
    }
  }

  async validateRescue(_task: Task): Promise<void> {}

  async validateInspection(_task: Task): Promise<void> {}
}

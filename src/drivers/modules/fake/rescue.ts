import { ProvisionState } from '../../../common/states.ts';
import { RescueBase } from '../../interfaces/rescue.ts';
import type { RescueResult } from '../../interfaces/rescue.ts';
import type { Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/** Rescue of a machine that is not there: takes the configured time and succeeds. */
export class FakeRescue extends RescueBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  async rescue(task: Task): Promise<RescueResult> {
    await fakeWait(task, this.delay);
    return ProvisionState.RESCUE;
  }

  async unrescue(task: Task): Promise<typeof ProvisionState.ACTIVE> {
    await fakeWait(task, this.delay);
    return ProvisionState.ACTIVE;
  }
}

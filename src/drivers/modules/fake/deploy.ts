import { ProvisionState } from '../../../common/states.ts';
import { DeployBase } from '../../interfaces/deploy.ts';
import type { DeployResult } from '../../interfaces/deploy.ts';
import { deployStep } from '../../steps.ts';
import type { Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/** Deploy for machines that are not there: takes the configured time and succeeds. */
export class FakeDeploy extends DeployBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  @deployStep({ priority: 100 })
  async deploy(task: Task): Promise<DeployResult> {
    await fakeWait(task, this.delay);
    return undefined;
  }

  async tearDown(task: Task): Promise<typeof ProvisionState.DELETED> {
    await fakeWait(task, this.delay);
    return ProvisionState.DELETED;
  }

  override async prepare(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
  }

  override async cleanUp(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
  }

  override async takeOver(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
  }
}

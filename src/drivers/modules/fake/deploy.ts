import { PowerState, ProvisionState } from '../../../common/states.ts';
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

  /** "Writes the image", then boots the instance: a deployed machine runs, as after a real deploy. */
  @deployStep({ priority: 100 })
  async deploy(task: Task): Promise<DeployResult> {
    await fakeWait(task, this.delay);
    await task.driver.power.setPowerState(task, PowerState.POWER_ON);
    task.node.powerState = PowerState.POWER_ON;
    return undefined;
  }

  /** Tearing an instance down stops the machine first, as Ironic's deploy interfaces do. */
  async tearDown(task: Task): Promise<typeof ProvisionState.DELETED> {
    await fakeWait(task, this.delay);
    await task.driver.power.setPowerState(task, PowerState.POWER_OFF);
    task.node.powerState = PowerState.POWER_OFF;
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

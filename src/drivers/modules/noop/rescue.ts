import type { ProvisionState } from '../../../common/states.ts';
import { RescueBase } from '../../interfaces/rescue.ts';
import type { RescueResult } from '../../interfaces/rescue.ts';
import type { Task } from '../../task.ts';
import { unsupported } from './unsupported.ts';

/** `no-rescue`: the node cannot be rescued. */
export class NoRescue extends RescueBase {
  override async validate(task: Task): Promise<void> {
    throw unsupported(task, 'rescue');
  }
  async rescue(task: Task): Promise<RescueResult> {
    throw unsupported(task, 'rescue');
  }
  async unrescue(task: Task): Promise<typeof ProvisionState.ACTIVE> {
    throw unsupported(task, 'rescue');
  }
}

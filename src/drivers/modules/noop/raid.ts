import type { JsonObject } from '../../../common/json.ts';
import { RaidBase } from '../../interfaces/raid.ts';
import type { StepResult } from '../../steps.ts';
import type { Task } from '../../task.ts';
import { unsupported } from './unsupported.ts';

/** `no-raid`: the node has no RAID support, so no RAID configuration is accepted. */
export class NoRaid extends RaidBase {
  override async validate(task: Task): Promise<void> {
    throw unsupported(task, 'raid');
  }
  override async validateRaidConfig(task: Task, _raidConfig: JsonObject): Promise<void> {
    throw unsupported(task, 'raid');
  }
  async createConfiguration(task: Task): Promise<StepResult> {
    throw unsupported(task, 'raid');
  }
  async deleteConfiguration(task: Task): Promise<StepResult> {
    throw unsupported(task, 'raid');
  }
}

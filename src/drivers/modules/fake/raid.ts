import { RaidBase } from '../../interfaces/raid.ts';
import type {
  ApplyConfigurationOptions,
  CreateConfigurationOptions,
} from '../../interfaces/raid.ts';
import {
  APPLY_CONFIGURATION_ARGSINFO,
  CREATE_CONFIGURATION_ARGSINFO,
  filterTargetRaidConfig,
  raidSelectionOf,
  updateRaidInfo,
  validateRaidConfiguration,
} from '../../raid/config.ts';
import { cleanStep, deployStep } from '../../steps.ts';
import type { Task } from '../../task.ts';
import { booleanArg } from '../args.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/**
 * RAID on a machine that is not there: builds exactly the target
 * configuration (as a manual clean step, or a deploy step), records it on the
 * node as applied, and deletes it again.
 */
export class FakeRaid extends RaidBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  @cleanStep({ priority: 0, argsinfo: CREATE_CONFIGURATION_ARGSINFO, requiresRamdisk: false })
  async createConfiguration(
    task: Task,
    options: CreateConfigurationOptions = {},
  ): Promise<undefined> {
    const selection = raidSelectionOf(options);
    const deleteExisting = booleanArg(options.deleteExisting, 'delete_existing', false);
    const config = validateRaidConfiguration(filterTargetRaidConfig(task.node, selection));
    await fakeWait(task, this.delay);
    if (deleteExisting) task.node.raidConfig = {};
    updateRaidInfo(task.node, config, task.clock.now());
  }

  @cleanStep({ priority: 0, requiresRamdisk: false })
  @deployStep({ priority: 0 })
  async deleteConfiguration(task: Task): Promise<undefined> {
    await fakeWait(task, this.delay);
    task.node.raidConfig = {};
  }

  @deployStep({ priority: 0, argsinfo: APPLY_CONFIGURATION_ARGSINFO })
  async applyConfiguration(task: Task, options: ApplyConfigurationOptions): Promise<undefined> {
    await this.validateRaidConfig(task, options.raidConfig);
    task.node.targetRaidConfig = options.raidConfig;
    return this.createConfiguration(task, {
      createRootVolume: options.createRootVolume,
      createNonrootVolumes: options.createNonrootVolumes,
      deleteExisting: booleanArg(options.deleteExisting, 'delete_existing', true),
    });
  }
}

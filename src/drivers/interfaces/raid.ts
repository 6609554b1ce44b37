import type { JsonObject } from '../../common/json.ts';
import { LOGICAL_DISK_PROPERTIES } from '../raid/schema.ts';
import { validateRaidConfiguration } from '../raid/config.ts';
import type { StepResult } from '../steps.ts';
import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface, PropertyDescriptions } from './base.ts';

export interface CreateConfigurationOptions {
  /** Build the root volume of the target configuration (default true). */
  readonly createRootVolume?: boolean;
  /** Build the other volumes (default true). */
  readonly createNonrootVolumes?: boolean;
  /** Delete the existing configuration first (default false). */
  readonly deleteExisting?: boolean;
}

export interface ApplyConfigurationOptions extends CreateConfigurationOptions {
  readonly raidConfig: JsonObject;
}

/** Building and removing RAID volumes, usually as manual clean steps. */
export interface RaidInterface extends BaseInterface {
  readonly interfaceType: 'raid';
  /** Validates a configuration against the schema (and the controller, for real drivers). */
  validateRaidConfig(task: Task, raidConfig: JsonObject): Promise<void>;
  /**
   * Builds `node.target_raid_config` and records the result with
   * updateRaidInfo; resolves to `clean wait` when it finishes asynchronously.
   */
  createConfiguration(task: Task, options?: CreateConfigurationOptions): Promise<StepResult>;
  /** Removes every volume and clears `node.raid_config`. */
  deleteConfiguration(task: Task): Promise<StepResult>;
  /** The logical disk properties a configuration may use, with descriptions. */
  getLogicalDiskProperties(): PropertyDescriptions;
  /** Deploy-time variant that takes the configuration as an argument. */
  applyConfiguration?(task: Task, options: ApplyConfigurationOptions): Promise<StepResult>;
}

/** Defaults: schema validation of the node's target configuration. */
export abstract class RaidBase extends InterfaceBase implements RaidInterface {
  readonly interfaceType = 'raid' as const;
  abstract createConfiguration(
    task: Task,
    options?: CreateConfigurationOptions,
  ): Promise<StepResult>;
  abstract deleteConfiguration(task: Task): Promise<StepResult>;

  override async validate(task: Task): Promise<void> {
    if (Object.keys(task.node.targetRaidConfig).length > 0) {
      await this.validateRaidConfig(task, task.node.targetRaidConfig);
    }
  }

  async validateRaidConfig(_task: Task, raidConfig: JsonObject): Promise<void> {
    validateRaidConfiguration(raidConfig);
  }

  getLogicalDiskProperties(): PropertyDescriptions {
    return LOGICAL_DISK_PROPERTIES;
  }
}

import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { RaidBase } from '../../interfaces/raid.ts';
import type { CreateConfigurationOptions } from '../../interfaces/raid.ts';
import {
  CREATE_CONFIGURATION_ARGSINFO,
  filterTargetRaidConfig,
  raidSelectionOf,
  updateRaidInfo,
  validateRaidConfiguration,
} from '../../raid/config.ts';
import type { LogicalDisk, RaidConfig } from '../../raid/schema.ts';
import { cleanStep } from '../../steps.ts';
import type { Task } from '../../task.ts';
import { booleanArg } from '../args.ts';
import {
  isJsonObject,
  members,
  optArr,
  optLink,
  optNum,
  optObjects,
  optStr,
} from './client/json.ts';
import { REDFISH_DRIVER_INFO, redfishNodeInfo } from './driver-info.ts';
import { redfishCall } from './failures.ts';
import { nodeRedfish } from './shared-client.ts';
import type { NodeRedfish } from './shared-client.ts';
import { readSystem } from './system.ts';

const GIB = 1024 ** 3;

/** Ironic's RAID levels as Redfish RAIDType values, and the fewest drives each needs. */
const RAID_TYPE_OF: Readonly<Record<string, { type: string; drives: number }>> = {
  '0': { type: 'RAID0', drives: 1 },
  '1': { type: 'RAID1', drives: 2 },
  '5': { type: 'RAID5', drives: 3 },
  '6': { type: 'RAID6', drives: 4 },
  '1+0': { type: 'RAID10', drives: 4 },
  '5+0': { type: 'RAID50', drives: 6 },
  '6+0': { type: 'RAID60', drives: 8 },
  // Redfish has no JBOD: a volume of RAIDType None on one drive, as Ironic builds it.
  JBOD: { type: 'None', drives: 1 },
};

/** A storage controller of the system, as RAID needs it. */
interface Controller {
  readonly raidTypes: readonly string[];
  readonly drives: readonly { path: string; name: string; bytes: number }[];
  readonly volumes: string;
}

/**
 * RAID through the system's Storage: each logical disk of the target
 * configuration becomes a Volume POSTed to a controller that supports its
 * RAID type (waiting on the BMC's task monitor), deletion DELETEs every
 * volume. Both are manual clean steps, as in Ironic.
 */
export class RedfishRaid extends RaidBase {
  readonly #env: DriverEnvironment;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(REDFISH_DRIVER_INFO);
  }

  override async validate(task: Task): Promise<void> {
    redfishNodeInfo(task);
    await super.validate(task);
  }

  override async validateRaidConfig(task: Task, raidConfig: JsonObject): Promise<void> {
    const config = validateRaidConfiguration(raidConfig);
    const controllers = await this.#controllers(task, nodeRedfish(this.#env, task));
    for (const disk of config.logical_disks) this.#place(disk, controllers);
  }

  @cleanStep({ priority: 0, argsinfo: CREATE_CONFIGURATION_ARGSINFO, requiresRamdisk: false })
  async createConfiguration(
    task: Task,
    options: CreateConfigurationOptions = {},
  ): Promise<undefined> {
    const selection = raidSelectionOf(options);
    const config: RaidConfig = validateRaidConfiguration(
      filterTargetRaidConfig(task.node, selection),
    );
    const bmc = nodeRedfish(this.#env, task);
    if (booleanArg(options.deleteExisting, 'delete_existing', false)) {
      await this.deleteConfiguration(task);
    }
    const controllers = await this.#controllers(task, bmc);
    for (const disk of config.logical_disks) {
      const { controller, drives } = this.#place(disk, controllers);
      const body: JsonObject = {
        RAIDType: (RAID_TYPE_OF[disk.raid_level] as { type: string }).type,
        Links: { Drives: drives.map((path) => ({ '@odata.id': path })) },
        ...(disk.volume_name === undefined ? {} : { Name: disk.volume_name }),
        ...(disk.size_gb === 'MAX' ? {} : { CapacityBytes: disk.size_gb * GIB }),
      };
      await redfishCall(task, `create a RAID-${disk.raid_level} volume`, () =>
        bmc.session.post(controller.volumes, body, { signal: task.signal, waitForTask: true }),
      );
    }
    updateRaidInfo(task.node, config, task.clock.now());
    return undefined;
  }

  @cleanStep({ priority: 0, requiresRamdisk: false })
  async deleteConfiguration(task: Task): Promise<undefined> {
    const bmc = nodeRedfish(this.#env, task);
    for (const controller of await this.#controllers(task, bmc)) {
      const volumes = await redfishCall(task, 'list the volumes', async () =>
        members((await bmc.session.get(controller.volumes, { signal: task.signal })).body),
      );
      for (const volume of volumes) {
        await redfishCall(task, `delete the volume ${volume}`, () =>
          bmc.session.delete(volume, { signal: task.signal, waitForTask: true }),
        );
      }
    }
    task.node.raidConfig = {};
    return undefined;
  }

  /** A controller that takes the disk's RAID type, and the drives to build it on. */
  #place(
    disk: LogicalDisk,
    controllers: readonly Controller[],
  ): { controller: Controller; drives: string[] } {
    const level = RAID_TYPE_OF[disk.raid_level];
    if (level === undefined) {
      throw new FerriteError('InvalidParameterValue', {
        err: `RAID level ${disk.raid_level} is not supported by the redfish RAID interface; it builds ${Object.keys(RAID_TYPE_OF).join(', ')}.`,
      });
    }
    const controller = controllers.find((c) => c.raidTypes.includes(level.type));
    if (controller === undefined) {
      throw new FerriteError('InvalidParameterValue', {
        err: `No storage controller of the system supports ${level.type}; they support ${[...new Set(controllers.flatMap((c) => c.raidTypes))].join(', ') || 'no RAID'}.`,
      });
    }
    const named = (disk.physical_disks ?? []).filter((d): d is string => typeof d === 'string');
    const chosen =
      named.length > 0
        ? named.map((name) => {
            const drive = controller.drives.find((d) => d.name === name || d.path === name);
            if (drive === undefined) {
              throw new FerriteError('InvalidParameterValue', {
                err: `physical disk ${name} is not a drive of the controller; its drives are ${controller.drives.map((d) => d.name).join(', ')}.`,
              });
            }
            return drive.path;
          })
        : controller.drives
            .slice(0, disk.number_of_physical_disks ?? level.drives)
            .map((d) => d.path);
    if (chosen.length < level.drives) {
      throw new FerriteError('InvalidParameterValue', {
        err: `RAID-${disk.raid_level} needs ${String(level.drives)} drives; the controller has ${String(chosen.length)} to give.`,
      });
    }
    return { controller, drives: chosen };
  }

  async #controllers(task: Task, bmc: NodeRedfish): Promise<Controller[]> {
    const system = await readSystem(task, bmc);
    return redfishCall(task, 'read the storage', async () => {
      const storage = optLink(system.body, 'Storage');
      if (storage === undefined) return [];
      const get = async (path: string): Promise<JsonObject> =>
        (await bmc.session.get(path, { signal: task.signal })).body;
      const controllers: Controller[] = [];
      for (const path of members(await get(storage))) {
        const body = await get(path);
        const volumes = optLink(body, 'Volumes');
        if (volumes === undefined) continue;
        const raidTypes = (optObjects(body, 'StorageControllers') ?? []).flatMap((c) =>
          (optArr(c, 'SupportedRAIDTypes') ?? []).filter((t): t is string => typeof t === 'string'),
        );
        const drives = [];
        for (const entry of optArr(body, 'Drives') ?? []) {
          const drivePath = isJsonObject(entry) ? optStr(entry, '@odata.id') : undefined;
          if (drivePath === undefined) continue;
          const drive = await get(drivePath);
          drives.push({
            path: drivePath,
            name: optStr(drive, 'Name') ?? optStr(drive, 'Id') ?? drivePath,
            bytes: optNum(drive, 'CapacityBytes') ?? 0,
          });
        }
        controllers.push({ raidTypes, drives, volumes });
      }
      return controllers;
    });
  }
}

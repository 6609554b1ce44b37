import { BootDevice, BootMode } from '../../../common/boot-devices.ts';
import type { BootDevice as BootDeviceName } from '../../../common/boot-devices.ts';
import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { ManagementBase } from '../../interfaces/management.ts';
import type { BootDeviceState, SensorData, SensorReading } from '../../interfaces/management.ts';
import type { Task } from '../../task.ts';
import {
  actionAllowableValues,
  actionTarget,
  allowableValues,
  links,
  optNum,
  optObj,
  optObjects,
  optStr,
} from './client/json.ts';
import { REDFISH_DRIVER_INFO, redfishNodeInfo } from './driver-info.ts';
import { redfishCall } from './failures.ts';
import { nodeRedfish } from './shared-client.ts';
import type { NodeRedfish } from './shared-client.ts';
import { readSystem } from './system.ts';
import type { SystemResource } from './system.ts';

/** Ironic's boot devices as Redfish BootSourceOverrideTarget values. */
const TARGET_OF: Readonly<Partial<Record<BootDeviceName, string>>> = {
  [BootDevice.PXE]: 'Pxe',
  [BootDevice.DISK]: 'Hdd',
  [BootDevice.CDROM]: 'Cd',
  [BootDevice.BIOS]: 'BiosSetup',
  [BootDevice.FLOPPY]: 'Floppy',
  [BootDevice.UEFIHTTP]: 'UefiHttp',
};
const MODE_OF: Readonly<Record<BootMode, string>> = {
  [BootMode.UEFI]: 'UEFI',
  [BootMode.LEGACY_BIOS]: 'Legacy',
};

function bootOf(system: SystemResource): JsonObject {
  return optObj(system.body, 'Boot') ?? {};
}

/** `n` as the sensor reading text, with its unit. */
function reading(value: number | undefined, unit: string): string {
  return value === undefined ? 'N/A' : `${String(value)} ${unit}`;
}

/** One sensor in the grouped format: the reading first, then what the BMC says about it. */
function sensor(entry: JsonObject, value: number | undefined, unit: string): SensorReading {
  const status = optObj(entry, 'Status');
  return {
    'Sensor Reading': reading(value, unit),
    identity: optStr(entry, 'Name') ?? optStr(entry, 'MemberId') ?? null,
    reading: value ?? null,
    reading_units: unit,
    physical_context: optStr(entry, 'PhysicalContext') ?? null,
    state: status === undefined ? null : (optStr(status, 'State') ?? null),
    health: status === undefined ? null : (optStr(status, 'Health') ?? null),
    upper_critical: optNum(entry, 'UpperThresholdCritical') ?? null,
    lower_critical: optNum(entry, 'LowerThresholdCritical') ?? null,
  };
}

/**
 * Management through the ComputerSystem: the boot source override (target,
 * once or continuous, UEFI or legacy) PATCHed under the system's ETag,
 * sensors from each of its chassis' Thermal and Power, NMI as a reset.
 */
export class RedfishManagement extends ManagementBase {
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
  }

  async getSupportedBootDevices(task: Task): Promise<BootDeviceName[]> {
    const system = await readSystem(task, nodeRedfish(this.#env, task));
    const allowed = await redfishCall(task, 'read the boot targets', async () =>
      allowableValues(bootOf(system), 'BootSourceOverrideTarget'),
    );
    return (Object.entries(TARGET_OF) as [BootDeviceName, string][])
      .filter(([, target]) => allowed === undefined || allowed.includes(target))
      .map(([device]) => device);
  }

  async setBootDevice(task: Task, device: BootDeviceName, persistent = false): Promise<void> {
    const supported = await this.getSupportedBootDevices(task);
    const target = TARGET_OF[device];
    if (target === undefined || !supported.includes(device)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot device ${device} specified, supported are ${supported.join(', ')}.`,
      });
    }
    await this.#patchBoot(task, {
      BootSourceOverrideTarget: target,
      BootSourceOverrideEnabled: persistent ? 'Continuous' : 'Once',
    });
  }

  async getBootDevice(task: Task): Promise<BootDeviceState> {
    const boot = bootOf(await readSystem(task, nodeRedfish(this.#env, task)));
    const target = optStr(boot, 'BootSourceOverrideTarget');
    const enabled = optStr(boot, 'BootSourceOverrideEnabled');
    const device =
      (Object.entries(TARGET_OF) as [BootDeviceName, string][]).find(
        ([, t]) => t === target,
      )?.[0] ?? null;
    return {
      bootDevice: enabled === 'Disabled' ? null : device,
      persistent: enabled === undefined ? null : enabled === 'Continuous',
    };
  }

  async getSupportedBootModes(task: Task): Promise<BootMode[]> {
    const system = await readSystem(task, nodeRedfish(this.#env, task));
    const allowed = await redfishCall(task, 'read the boot modes', async () =>
      allowableValues(bootOf(system), 'BootSourceOverrideMode'),
    );
    return (Object.entries(MODE_OF) as [BootMode, string][])
      .filter(([, mode]) => allowed === undefined || allowed.includes(mode))
      .map(([mode]) => mode);
  }

  async setBootMode(task: Task, mode: BootMode): Promise<void> {
    const supported = await this.getSupportedBootModes(task);
    if (!supported.includes(mode)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot mode ${mode}, supported are ${supported.join(', ')}.`,
      });
    }
    await this.#patchBoot(task, { BootSourceOverrideMode: MODE_OF[mode] });
  }

  async getBootMode(task: Task): Promise<BootMode | null> {
    const mode = optStr(
      bootOf(await readSystem(task, nodeRedfish(this.#env, task))),
      'BootSourceOverrideMode',
    );
    return (
      (Object.entries(MODE_OF) as [BootMode, string][]).find(([, m]) => m === mode)?.[0] ?? null
    );
  }

  async getSensorsData(task: Task): Promise<SensorData> {
    const bmc = nodeRedfish(this.#env, task);
    const system = await readSystem(task, bmc);
    try {
      return await redfishCall(task, 'read the sensors', () => this.#sensors(task, bmc, system));
    } catch (error) {
      throw new FerriteError('FailedToGetSensorData', {
        node: task.node.uuid,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async injectNmi(task: Task): Promise<void> {
    const bmc = nodeRedfish(this.#env, task);
    const system = await readSystem(task, bmc);
    await redfishCall(task, 'inject an NMI', async () => {
      const allowed = actionAllowableValues(system.body, '#ComputerSystem.Reset', 'ResetType');
      if (allowed !== undefined && !allowed.includes('Nmi')) {
        throw new FerriteError('InvalidParameterValue', {
          err: `The system does not take an NMI; its reset types are ${allowed.join(', ')}.`,
        });
      }
      await bmc.session.post(
        actionTarget(system.body, '#ComputerSystem.Reset'),
        { ResetType: 'Nmi' },
        { signal: task.signal },
      );
    });
  }

  async #patchBoot(task: Task, boot: JsonObject): Promise<void> {
    const bmc = nodeRedfish(this.#env, task);
    const system = await readSystem(task, bmc);
    await redfishCall(task, 'set the boot override', () =>
      bmc.session.patch(
        system.path,
        { Boot: boot },
        { signal: task.signal, ...(system.etag === undefined ? {} : { etag: system.etag }) },
      ),
    );
  }

  async #sensors(task: Task, bmc: NodeRedfish, system: SystemResource): Promise<SensorData> {
    const groups: Record<string, Record<string, SensorReading>> = {};
    const put = (
      group: string,
      chassis: string,
      entry: JsonObject,
      value: number | undefined,
      unit: string,
    ): void => {
      const name = optStr(entry, 'Name') ?? optStr(entry, 'MemberId') ?? 'unnamed';
      (groups[group] ??= {})[`${name}@${chassis}`] = sensor(entry, value, unit);
    };
    const linksOf = optObj(system.body, 'Links');
    for (const chassisPath of linksOf === undefined ? [] : links(linksOf, 'Chassis')) {
      const chassis = (await bmc.session.get(chassisPath, { signal: task.signal })).body;
      const id = optStr(chassis, 'Id') ?? chassisPath;
      const thermalLink = optObj(chassis, 'Thermal');
      const thermalPath = thermalLink === undefined ? undefined : optStr(thermalLink, '@odata.id');
      if (thermalPath !== undefined) {
        const thermal = (await bmc.session.get(thermalPath, { signal: task.signal })).body;
        for (const t of optObjects(thermal, 'Temperatures') ?? []) {
          put('Temperature', id, t, optNum(t, 'ReadingCelsius'), 'degrees C');
        }
        for (const f of optObjects(thermal, 'Fans') ?? []) {
          put('Fan', id, f, optNum(f, 'Reading'), optStr(f, 'ReadingUnits') ?? 'RPM');
        }
      }
      const powerLink = optObj(chassis, 'Power');
      const powerPath = powerLink === undefined ? undefined : optStr(powerLink, '@odata.id');
      if (powerPath !== undefined) {
        const power = (await bmc.session.get(powerPath, { signal: task.signal })).body;
        for (const v of optObjects(power, 'Voltages') ?? []) {
          put('Voltage', id, v, optNum(v, 'ReadingVolts'), 'Volts');
        }
        for (const p of optObjects(power, 'PowerSupplies') ?? []) {
          put('Power', id, p, optNum(p, 'LastPowerOutputWatts'), 'Watts');
        }
      }
    }
    return groups;
  }
}

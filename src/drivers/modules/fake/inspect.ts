import { updateCapabilities } from '../../../common/capabilities.ts';
import { FerriteError } from '../../../common/errors.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { JsonObject } from '../../../common/json.ts';
import { ProvisionState } from '../../../common/states.ts';
import { InspectBase } from '../../interfaces/inspect.ts';
import type { InspectResult } from '../../interfaces/inspect.ts';
import type { BiosSettingReport, Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/** What a fake machine is made of unless its driver_info says otherwise. */
export const FAKE_HARDWARE: Readonly<JsonObject> = {
  cpus: 8,
  cpu_arch: 'x86_64',
  memory_mb: 16384,
  local_gb: 100,
};

/**
 * Inspection of a machine that is not there: writes the essential
 * properties (cpus, cpu_arch, memory_mb, local_gb) from
 * `driver_info.fake_hardware` or the defaults, and the boot mode capability.
 */
export class FakeInspect extends InspectBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  override getProperties(): Record<string, string> {
    return {
      fake_hardware:
        'Properties inspection reports: an object with cpus, cpu_arch, memory_mb, local_gb. Optional.',
    };
  }

  override async validate(task: Task): Promise<void> {
    this.#hardware(task);
  }

  async inspectHardware(task: Task): Promise<InspectResult> {
    const hardware = this.#hardware(task);
    await fakeWait(task, this.delay);
    const properties: JsonObject = { ...task.node.properties, ...hardware };
    properties['capabilities'] = updateCapabilities(properties['capabilities'], {
      boot_mode: 'uefi',
    });
    task.node.properties = properties;
    await task.saveInventory(fakeInventory(task, hardware), { inspected_by: 'fake' });
    await task.saveBiosSettings(FAKE_BIOS);
    return ProvisionState.MANAGEABLE;
  }

  #hardware(task: Task): JsonObject {
    const custom = task.node.driverInfo['fake_hardware'];
    if (custom === undefined) return { ...FAKE_HARDWARE };
    if (!isJsonObject(custom)) {
      throw new FerriteError('InvalidParameterValue', {
        err: 'driver_info.fake_hardware must be an object with cpus, cpu_arch, memory_mb, local_gb',
      });
    }
    const unknown = Object.keys(custom).filter((k) => !(k in FAKE_HARDWARE));
    if (unknown.length > 0) {
      throw new FerriteError('InvalidParameterValue', {
        err: `driver_info.fake_hardware has unknown keys: ${unknown.join(', ')}`,
      });
    }
    return { ...FAKE_HARDWARE, ...custom };
  }
}

/** The BIOS settings a fake machine reports, with their registry entries. */
const FAKE_BIOS: readonly BiosSettingReport[] = [
  {
    name: 'BootMode',
    value: 'Uefi',
    attributeType: 'Enumeration',
    allowableValues: ['Bios', 'Uefi'],
    readOnly: false,
    resetRequired: true,
  },
  {
    name: 'ProcVirtualization',
    value: 'Enabled',
    attributeType: 'Enumeration',
    allowableValues: ['Enabled', 'Disabled'],
    readOnly: false,
    resetRequired: true,
  },
  { name: 'SerialNumber', value: 'FAKE-0001', attributeType: 'String', readOnly: true },
];

/** The inventory a fake machine reports, in the ramdisk agent's shape (what `GET …/inventory` shows). */
function fakeInventory(task: Task, hardware: JsonObject): JsonObject {
  const num = (key: string): number => {
    const value = hardware[key];
    return typeof value === 'number' ? value : Number(value);
  };
  return {
    cpu: {
      count: num('cpus'),
      architecture: typeof hardware['cpu_arch'] === 'string' ? hardware['cpu_arch'] : 'x86_64',
      model_name: 'Fake CPU',
    },
    memory: { physical_mb: num('memory_mb'), total: num('memory_mb') * 1024 * 1024 },
    disks: [
      {
        name: '/dev/sda',
        size: num('local_gb') * 1024 ** 3,
        model: 'Fake disk',
        serial: `fake-${task.node.uuid.slice(0, 8)}`,
        rotational: false,
      },
    ],
    interfaces: task.ports.map((port, i) => ({ name: `eth${i}`, mac_address: port.address })),
    system_vendor: {
      manufacturer: 'Ferrite',
      product_name: 'fake-hardware',
      serial_number: task.node.uuid,
    },
    boot: { current_boot_mode: 'uefi' },
  };
}

import { updateCapabilities } from '../../../common/capabilities.ts';
import { FerriteError } from '../../../common/errors.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { JsonObject } from '../../../common/json.ts';
import { ProvisionState } from '../../../common/states.ts';
import { InspectBase } from '../../interfaces/inspect.ts';
import type { InspectResult } from '../../interfaces/inspect.ts';
import type { Task } from '../../task.ts';
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

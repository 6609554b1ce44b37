import { updateCapabilities } from '../../../common/capabilities.ts';
import { FerriteError, isFerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import { ProvisionState } from '../../../common/states.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { InspectBase } from '../../interfaces/inspect.ts';
import type { InspectResult } from '../../interfaces/inspect.ts';
import type { Task } from '../../task.ts';
import { isJsonObject, members, optArr, optLink, optNum, optObj, optStr } from './client/json.ts';
import { REDFISH_DRIVER_INFO, redfishNodeInfo } from './driver-info.ts';
import { redfishCall } from './failures.ts';
import { nodeRedfish } from './shared-client.ts';
import type { NodeRedfish } from './shared-client.ts';
import { readSystem } from './system.ts';

const GIB = 1024 ** 3;

/** Redfish InstructionSet values as Ironic's cpu_arch. */
const ARCH_OF: Readonly<Record<string, string>> = {
  'x86-64': 'x86_64',
  x86: 'i686',
  IA64: 'ia64',
  'ARM-A64': 'aarch64',
  'ARM-A32': 'arm',
  PowerISA: 'ppc64le',
  MIPS64: 'mips64',
};

/** A disk as the inventory keeps it (the ramdisk agent's shape). */
interface Disk {
  readonly name: string;
  readonly size: number;
  readonly rotational: boolean;
}

/**
 * Out-of-band inspection from the ComputerSystem: CPUs and memory from its
 * summaries, disks from its Storage drives, NICs from its
 * EthernetInterfaces (each MAC enrolled as a port), the boot mode from the
 * boot override. Properties follow Ironic: cpus, memory_mb, local_gb (the
 * largest disk less 1 GiB for the partition table), cpu_arch when known.
 */
export class RedfishInspect extends InspectBase {
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

  async inspectHardware(task: Task): Promise<InspectResult> {
    const bmc = nodeRedfish(this.#env, task);
    const system = await readSystem(task, bmc);
    const found = await redfishCall(task, 'inspect the system', async () => ({
      cpus: optNum(optObj(system.body, 'ProcessorSummary') ?? {}, 'Count'),
      memoryGiB: optNum(optObj(system.body, 'MemorySummary') ?? {}, 'TotalSystemMemoryGiB'),
      arch: await this.#architecture(task, bmc, system.body),
      disks: await this.#disks(task, bmc, system.body),
      macs: await this.#macs(task, bmc, system.body),
      bootMode: optStr(optObj(system.body, 'Boot') ?? {}, 'BootSourceOverrideMode'),
    }));
    const missing = [
      found.cpus === undefined ? 'ProcessorSummary.Count' : undefined,
      found.memoryGiB === undefined ? 'MemorySummary.TotalSystemMemoryGiB' : undefined,
    ].filter((m) => m !== undefined);
    if (missing.length > 0) {
      throw new FerriteError('HardwareInspectionFailure', {
        error: `the BMC does not report ${missing.join(' and ')} of ${system.path}`,
      });
    }
    const memoryMb = Math.round((found.memoryGiB ?? 0) * 1024);
    const largest = Math.max(0, ...found.disks.map((d) => d.size));
    const properties: JsonObject = {
      ...task.node.properties,
      cpus: found.cpus ?? 0,
      memory_mb: memoryMb,
      local_gb: largest > GIB ? Math.floor(largest / GIB) - 1 : 0,
    };
    if (found.arch !== undefined) properties['cpu_arch'] = found.arch;
    if (found.bootMode === 'UEFI' || found.bootMode === 'Legacy') {
      properties['capabilities'] = updateCapabilities(properties['capabilities'], {
        boot_mode: found.bootMode === 'UEFI' ? 'uefi' : 'bios',
      });
    }
    task.node.properties = properties;
    for (const mac of found.macs) {
      try {
        await task.addPort({ address: mac, pxeEnabled: true });
      } catch (error) {
        // A MAC enrolled on another node stays there, as in Ironic.
        if (!isFerriteError(error, 'MACAlreadyExists')) throw error;
      }
    }
    await task.saveInventory(
      {
        cpu: {
          count: found.cpus ?? 0,
          ...(found.arch === undefined ? {} : { architecture: found.arch }),
        },
        memory: { physical_mb: memoryMb },
        disks: found.disks.map((d) => ({ ...d })),
        interfaces: found.macs.map((mac) => ({ mac_address: mac })),
      },
      { inspected_by: 'redfish' },
    );
    return ProvisionState.MANAGEABLE;
  }

  /** The first processor's architecture in Ironic's words (x86_64, aarch64, …), if the BMC says. */
  async #architecture(
    task: Task,
    bmc: NodeRedfish,
    system: JsonObject,
  ): Promise<string | undefined> {
    const processors = optLink(system, 'Processors');
    if (processors === undefined) return undefined;
    for (const path of members((await bmc.session.get(processors, { signal: task.signal })).body)) {
      const cpu = (await bmc.session.get(path, { signal: task.signal })).body;
      const set = optStr(cpu, 'InstructionSet');
      const arch = set === undefined ? undefined : ARCH_OF[set];
      if (arch !== undefined) return arch;
    }
    return undefined;
  }

  async #disks(task: Task, bmc: NodeRedfish, system: JsonObject): Promise<Disk[]> {
    const storage = optLink(system, 'Storage');
    if (storage === undefined) return [];
    const disks: Disk[] = [];
    const get = async (path: string): Promise<JsonObject> =>
      (await bmc.session.get(path, { signal: task.signal })).body;
    for (const controller of members(await get(storage))) {
      for (const entry of optArr(await get(controller), 'Drives') ?? []) {
        const path = isJsonObject(entry) ? optStr(entry, '@odata.id') : undefined;
        if (path === undefined) continue;
        const drive = await get(path);
        disks.push({
          name: optStr(drive, 'Name') ?? optStr(drive, 'Id') ?? path,
          size: optNum(drive, 'CapacityBytes') ?? 0,
          rotational: optStr(drive, 'MediaType') === 'HDD',
        });
      }
    }
    return disks;
  }

  async #macs(task: Task, bmc: NodeRedfish, system: JsonObject): Promise<string[]> {
    const nics = optLink(system, 'EthernetInterfaces');
    if (nics === undefined) return [];
    const macs: string[] = [];
    const list = (await bmc.session.get(nics, { signal: task.signal })).body;
    for (const path of members(list)) {
      const nic = (await bmc.session.get(path, { signal: task.signal })).body;
      const mac = optStr(nic, 'MACAddress') ?? optStr(nic, 'PermanentMACAddress');
      if (mac !== undefined && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(mac))
        macs.push(mac.toLowerCase());
    }
    return macs;
  }
}

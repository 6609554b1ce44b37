import { updateCapabilities } from '../../../common/capabilities.ts';
import { FerriteError, isFerriteError } from '../../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../../common/json.ts';
import { isJsonObject } from '../../../common/json.ts';
import { PowerState, ProvisionState } from '../../../common/states.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import type { HeartbeatOutcome } from '../../interfaces/deploy.ts';
import { InspectBase } from '../../interfaces/inspect.ts';
import type { InspectResult } from '../../interfaces/inspect.ts';
import type { Task } from '../../task.ts';
import { agentOptions } from './options.ts';
import type { AgentOptions } from './options.ts';
import { bootRamdisk, forgetAgent, setPower, sharedAgentClient } from './ramdisk.ts';

const GIB = 1024 ** 3;

function num(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function objects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** Ironic's properties from an agent inventory: cpus, memory_mb, local_gb (root disk less 1 GiB), cpu_arch, boot_mode. */
export function propertiesFromInventory(current: JsonObject, inventory: JsonObject): JsonObject {
  const cpu = isJsonObject(inventory['cpu']) ? inventory['cpu'] : {};
  const memory = isJsonObject(inventory['memory']) ? inventory['memory'] : {};
  const cpus = num(cpu['count']);
  const memoryMb =
    num(memory['physical_mb']) ?? Math.round((num(memory['total']) ?? 0) / 1024 ** 2);
  if (cpus === undefined || !(memoryMb > 0)) {
    throw new FerriteError('HardwareInspectionFailure', {
      error: 'the agent’s inventory lacks the CPU count or the memory size',
    });
  }
  const disks = objects(inventory['disks']).map((d) => num(d['size']) ?? 0);
  // The smallest disk an OS fits on, as the agent chooses its root device without hints.
  const candidates = disks.filter((size) => size >= 4 * GIB).sort((a, b) => a - b);
  const root = candidates[0] ?? 0;
  const properties: JsonObject = {
    ...current,
    cpus,
    memory_mb: memoryMb,
    local_gb: root > GIB ? Math.floor(root / GIB) - 1 : 0,
  };
  if (typeof cpu['architecture'] === 'string') properties['cpu_arch'] = cpu['architecture'];
  const boot = isJsonObject(inventory['boot']) ? inventory['boot']['current_boot_mode'] : undefined;
  if (boot === 'uefi' || boot === 'bios') {
    properties['capabilities'] = updateCapabilities(properties['capabilities'], {
      boot_mode: boot,
    });
  }
  return properties;
}

/**
 * `agent`: in-band inspection. The node boots the ramdisk; on its first
 * heartbeat the conductor reads the agent's inventory (CPUs, memory,
 * disks, NICs), sets the node's properties, enrols a port for each NIC,
 * keeps the inventory, and powers the node off.
 */
export class AgentInspect extends InspectBase {
  readonly #env: DriverEnvironment;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
    agentOptions(env);
  }

  get #options(): AgentOptions {
    return agentOptions(this.#env);
  }

  async inspectHardware(task: Task): Promise<InspectResult> {
    await task.driver.boot?.validateInspection?.(task);
    await bootRamdisk(task, this.#options);
    return ProvisionState.INSPECTWAIT;
  }

  async heartbeat(task: Task): Promise<HeartbeatOutcome> {
    const answer = await sharedAgentClient(this.#env).command(
      task,
      'poll.get_hardware_info',
      {},
      true,
    );
    if (answer.command_status !== 'SUCCEEDED' || !isJsonObject(answer.command_result)) {
      throw new FerriteError('HardwareInspectionFailure', {
        error: `the agent could not read the hardware: ${JSON.stringify(answer.command_error)}`,
      });
    }
    const inventory = answer.command_result;
    task.node.properties = propertiesFromInventory(task.node.properties, inventory);
    for (const nic of objects(inventory['interfaces'])) {
      const mac = nic['mac_address'];
      if (typeof mac !== 'string') continue;
      try {
        await task.addPort({ address: mac.toLowerCase(), pxeEnabled: true });
      } catch (error) {
        // A MAC enrolled on another node stays there, as in Ironic.
        if (!isFerriteError(error, 'MACAlreadyExists')) throw error;
      }
    }
    await task.saveInventory(inventory, { inspected_by: 'agent' });
    await this.#end(task);
    return 'continue';
  }

  async abort(task: Task): Promise<void> {
    await this.#end(task);
  }

  async #end(task: Task): Promise<void> {
    forgetAgent(task);
    await setPower(task, PowerState.POWER_OFF);
    await task.driver.boot?.cleanUpRamdisk(task);
  }
}

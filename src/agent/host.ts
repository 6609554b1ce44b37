/**
 * The machine the agent runs on, as its commands see it: the inventory
 * (with disks and NICs given by configuration standing in for the real
 * ones, as in tests and the lab), the root disk a node's hints choose, and
 * what powering off or rebooting means here.
 */
import type { JsonObject } from '../common/json.ts';
import { isJsonObject } from '../common/json.ts';
import { AgentCommandError } from './command-runner.ts';
import { readInventory } from './inventory.ts';
import type { Inventory, InventoryDisk, InventoryInterface, InventoryRoots } from './inventory.ts';
import { checkHints, chooseRootDevice } from './root-device.ts';

/** What stops or restarts the machine once a command asked for it. */
export type PowerAction = (action: 'off' | 'reboot') => void;

export interface AgentHostOptions {
  readonly roots?: InventoryRoots;
  /** Disks to report instead of /sys's (files, in tests and the lab). */
  readonly disks?: readonly InventoryDisk[];
  /** MAC addresses to report instead of /sys's NICs. */
  readonly macs?: readonly string[];
  /** Where a qcow2 image is staged before conversion. */
  readonly tmpDir: string;
  /** Whether images may be checked with MD5. */
  readonly allowMd5: boolean;
  readonly power: PowerAction;
}

export class AgentHost {
  readonly tmpDir: string;
  readonly allowMd5: boolean;
  readonly power: PowerAction;
  readonly #options: AgentHostOptions;
  /** The node the agent found at lookup; commands also carry it. */
  node: JsonObject | undefined;
  /** The disk the last image went to (get_partition_uuids and sync read it). */
  imageDevice: string | undefined;

  constructor(options: AgentHostOptions) {
    this.#options = options;
    this.tmpDir = options.tmpDir;
    this.allowMd5 = options.allowMd5;
    this.power = options.power;
  }

  inventory(): Inventory {
    const found = readInventory(this.#options.roots);
    const { disks, macs } = this.#options;
    return {
      ...found,
      disks: disks ? [...disks] : found.disks,
      interfaces: macs ? macs.map(emulatedInterface) : found.interfaces,
    };
  }

  /** The MAC addresses the agent looks itself up by. */
  macAddresses(): string[] {
    return this.inventory().interfaces.map((i) => i.mac_address);
  }

  /** The disks cleaning erases. */
  disks(): InventoryDisk[] {
    return this.inventory().disks;
  }

  /** The root disk for `node` (its properties.root_device hints), or the agent's node. */
  rootDevice(node: JsonObject | undefined = this.node): InventoryDisk {
    const properties = node?.['properties'];
    const raw = isJsonObject(properties) ? properties['root_device'] : undefined;
    let hints;
    try {
      hints = isJsonObject(raw) ? checkHints(raw) : {};
    } catch (error) {
      throw new AgentCommandError(
        `Invalid root device hints: ${(error as Error).message}`,
        'DeviceNotFound',
        400,
      );
    }
    const disks = this.disks();
    const chosen = chooseRootDevice(disks, hints);
    if (!chosen) {
      const described = disks.map((d) => `${d.name} (${String(d.size)} bytes)`).join(', ');
      throw new AgentCommandError(
        Object.keys(hints).length > 0
          ? `No disk matches the root device hints ${JSON.stringify(hints)}; disks: ${described || 'none'}`
          : `No disk of at least 4 GiB for the root device; disks: ${described || 'none'}`,
        'DeviceNotFound',
        404,
      );
    }
    return chosen;
  }
}

function emulatedInterface(mac: string, index: number): InventoryInterface {
  return {
    name: `eth${String(index)}`,
    mac_address: mac.toLowerCase(),
    ipv4_address: null,
    has_carrier: true,
    vendor: null,
    product: null,
  };
}

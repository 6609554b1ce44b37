import type { JsonObject } from '../../src/common/json.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { Clock } from '../../src/common/clock.ts';
import type {
  Node,
  Port,
  Portgroup,
  VolumeConnector,
  VolumeTarget,
} from '../../src/common/records.ts';
import type { Driver } from '../../src/drivers/driver.ts';
import type { BiosSettingReport, NewNodePort, Task } from '../../src/drivers/task.ts';
import { makeNode, makePort } from './node.ts';

export interface TestTaskOptions {
  node?: Partial<Node>;
  ports?: Port[];
  portgroups?: Portgroup[];
  volumeConnectors?: VolumeConnector[];
  volumeTargets?: VolumeTarget[];
  shared?: boolean;
  clock?: Clock;
}

/**
 * A task held in memory: what a driver sees, without a database. `saves`
 * keeps a copy of the node at each save() so tests can check what was
 * persisted and when.
 */
export class TestTask implements Task {
  readonly node: Node;
  readonly ports: Port[];
  readonly portgroups: Portgroup[];
  readonly volumeConnectors: VolumeConnector[];
  readonly volumeTargets: VolumeTarget[];
  readonly clock: Clock;
  readonly controller = new AbortController();
  readonly saves: Node[] = [];
  #shared: boolean;
  driver: Driver;

  constructor(driver: Driver, options: TestTaskOptions = {}) {
    this.driver = driver;
    this.node = makeNode({ driver: driver.hardwareType, ...options.node });
    this.ports = options.ports ?? [];
    this.portgroups = options.portgroups ?? [];
    this.volumeConnectors = options.volumeConnectors ?? [];
    this.volumeTargets = options.volumeTargets ?? [];
    this.clock = options.clock ?? new SimulatedClock();
    this.#shared = options.shared ?? false;
  }

  get shared(): boolean {
    return this.#shared;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  async upgradeLock(): Promise<void> {
    this.#shared = false;
  }

  async save(): Promise<void> {
    this.saves.push(structuredClone(this.node));
  }

  async addPort(port: NewNodePort): Promise<Port> {
    const address = port.address.toLowerCase();
    const known = this.ports.find((p) => p.address === address);
    if (known !== undefined) return known;
    const created = makePort(this.node.uuid, {
      address,
      ...(port.pxeEnabled === undefined ? {} : { pxeEnabled: port.pxeEnabled }),
      ...(port.extra === undefined ? {} : { extra: port.extra }),
    });
    this.ports.push(created);
    return created;
  }

  /** The last inventory saved, for tests to read. */
  inventory: { inventory: JsonObject; pluginData: JsonObject } | undefined;

  async saveInventory(inventory: JsonObject, pluginData: JsonObject = {}): Promise<void> {
    this.inventory = { inventory, pluginData };
  }

  /** The BIOS settings last saved, for tests to read. */
  bios: readonly BiosSettingReport[] = [];

  async saveBiosSettings(settings: readonly BiosSettingReport[]): Promise<void> {
    this.bios = settings;
  }
}

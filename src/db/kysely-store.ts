import { FerriteError } from '../common/errors.ts';
import { inTransaction } from './context.ts';
import type { StoreContext } from './context.ts';
import { migrateToLatest } from './migrations/index.ts';
import { KyselyAllocationRepository } from './repositories/allocation-repository.ts';
import { KyselyBiosRepository } from './repositories/bios-repository.ts';
import { KyselyChassisRepository } from './repositories/chassis-repository.ts';
import { KyselyConductorRepository } from './repositories/conductor-repository.ts';
import { KyselyDeployTemplateRepository } from './repositories/deploy-template-repository.ts';
import { KyselyInventoryRepository } from './repositories/inventory-repository.ts';
import { KyselyNodeHistoryRepository } from './repositories/node-history-repository.ts';
import { KyselyNodeRepository } from './repositories/node-repository.ts';
import { KyselyPortRepository } from './repositories/port-repository.ts';
import { KyselyPortgroupRepository } from './repositories/portgroup-repository.ts';
import { KyselyVolumeRepository } from './repositories/volume-repository.ts';
import type {
  AllocationRepository,
  BiosRepository,
  ChassisRepository,
  ConductorRepository,
  DeployTemplateRepository,
  InventoryRepository,
  NodeHistoryRepository,
  NodeRepository,
  PortgroupRepository,
  PortRepository,
  Store,
  VolumeRepository,
} from './store.ts';

/**
 * The one Store implementation: the same repositories over SQLite or
 * PostgreSQL. A store bound to a transaction is another KyselyStore whose
 * context holds the transaction instead of the database.
 */
export class KyselyStore implements Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly nodes: NodeRepository;
  readonly ports: PortRepository;
  readonly portgroups: PortgroupRepository;
  readonly chassis: ChassisRepository;
  readonly volumes: VolumeRepository;
  readonly conductors: ConductorRepository;
  readonly allocations: AllocationRepository;
  readonly deployTemplates: DeployTemplateRepository;
  readonly nodeHistory: NodeHistoryRepository;
  readonly bios: BiosRepository;
  readonly inventory: InventoryRepository;
  readonly #ctx: StoreContext;
  #closing: Promise<void> | undefined;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
    this.dialect = ctx.dialect.name;
    this.nodes = new KyselyNodeRepository(ctx);
    this.ports = new KyselyPortRepository(ctx);
    this.portgroups = new KyselyPortgroupRepository(ctx);
    this.chassis = new KyselyChassisRepository(ctx);
    this.volumes = new KyselyVolumeRepository(ctx);
    this.conductors = new KyselyConductorRepository(ctx);
    this.allocations = new KyselyAllocationRepository(ctx);
    this.deployTemplates = new KyselyDeployTemplateRepository(ctx);
    this.nodeHistory = new KyselyNodeHistoryRepository(ctx);
    this.bios = new KyselyBiosRepository(ctx);
    this.inventory = new KyselyInventoryRepository(ctx);
  }

  /** Inside a transaction, `work` joins it (nesting is not needed, so it is not savepointed). */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return inTransaction(this.#ctx, (tx) => work(tx === this.#ctx ? this : new KyselyStore(tx)));
  }

  async migrate(): Promise<void> {
    this.#notInTransaction('migrate');
    await migrateToLatest(this.#ctx.db);
  }

  /** Idempotent: closing twice (a test's cleanup after the test closed it) is harmless. */
  async close(): Promise<void> {
    this.#notInTransaction('close');
    const { db, writes } = this.#ctx;
    this.#closing ??= (async () => {
      await writes?.drain();
      await db.destroy();
    })();
    await this.#closing;
  }

  #notInTransaction(operation: string): void {
    if (this.#ctx.db.isTransaction) {
      throw new FerriteError('InvalidState', {
        err: `${operation}() is not available on a store bound to a transaction.`,
      });
    }
  }
}

/** A store over `db`, migrated; closed again if migrating fails. */
export async function migratedStore(ctx: StoreContext): Promise<KyselyStore> {
  const store = new KyselyStore(ctx);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

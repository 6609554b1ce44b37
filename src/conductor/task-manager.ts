import type { Clock } from '../common/clock.ts';
import { FerriteError, isFerriteError } from '../common/errors.ts';
import type { ProvisionEvent, TransitionOptions } from '../common/fsm.ts';
import { transition } from '../common/fsm.ts';
import type { JsonObject } from '../common/json.ts';
import type { Logger } from '../common/logging.ts';
import type { Node, Port, Portgroup, VolumeConnector, VolumeTarget } from '../common/records.ts';
import { recordFailure } from './node-history.ts';
import type { NodeChanges, NodeTimestamps, Store } from '../db/store.ts';
import type { Driver } from '../drivers/driver.ts';
import type { DriverFactory } from '../drivers/factory.ts';
import type { BiosSettingReport, NewNodePort, Task } from '../drivers/task.ts';
import { isUuid } from '../common/uuid.ts';
import type { ProvisionState } from '../common/states.ts';
import type { WorkPool } from './work-pool.ts';

export interface AcquireOptions {
  /** A shared task takes no lock: read-only work. */
  readonly shared?: boolean;
  /** What the task is for, for logs and errors. */
  readonly purpose: string;
  /** Overrides the configured retry of a locked node (1 = fail at once). */
  readonly attempts?: number;
}

export interface TaskManagerOptions {
  readonly store: Store;
  readonly factory: DriverFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pool: WorkPool;
  readonly host: string;
  readonly lockRetry: { readonly attempts: number; readonly intervalMs: number };
  /** Hears every provision state transition (node history, notifications, tests). */
  readonly onTransition?: TransitionListener;
}

export type TransitionListener = (change: {
  readonly node: string;
  readonly from: ProvisionState;
  readonly event: ProvisionEvent;
  readonly to: ProvisionState;
}) => void;

/** A node with everything a task carries about it. */
export interface LoadedNode {
  readonly node: Node;
  readonly ports: Port[];
  readonly portgroups: Portgroup[];
  readonly volumeConnectors: VolumeConnector[];
  readonly volumeTargets: VolumeTarget[];
}

/** What `spawn` runs after the acquiring code returns, still under the lock. */
export type BackgroundWork = (task: NodeTask) => Promise<void>;
/** Handles a failure of background work: typically moves the node to a failed state. */
export type FailureHandler = (task: NodeTask, error: unknown) => Promise<void> | void;

/**
 * A field's value as a snapshot keeps it: a string, boolean, null or
 * undefined as itself (its JSON text is equal exactly when the value is),
 * anything else as its JSON text. Most of a node's fields are of the first
 * kind, so a snapshot and a comparison stringify only the few that are not.
 */
class JsonText {
  constructor(readonly text: string | undefined) {}
}

/** The fields of a node the task compares to decide what `save` writes. */
type Snapshot = Map<string, unknown>;

function isPlain(value: unknown): value is string | boolean | null | undefined {
  return (
    value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean'
  );
}

function snapshotOf(record: object): Snapshot {
  const snap: Snapshot = new Map();
  for (const key of Object.keys(record)) {
    const value: unknown = (record as Record<string, unknown>)[key];
    snap.set(key, isPlain(value) ? value : new JsonText(JSON.stringify(value)));
  }
  return snap;
}

/** Whether `value` has the JSON text the field had when `before` was taken. */
function unchanged(before: Snapshot, key: string, value: unknown): boolean {
  // JSON.stringify gives undefined for undefined (and functions), whatever its type says.
  if (!before.has(key)) return (JSON.stringify(value) as string | undefined) === undefined;
  const kept = before.get(key);
  if (kept instanceof JsonText) return kept.text === JSON.stringify(value);
  if (kept === value) return true;
  // Two different plain values never share a JSON text; a plain value and
  // anything else (a number, an invalid date's null) are compared as text.
  return !isPlain(value) && JSON.stringify(kept) === JSON.stringify(value);
}

/** The fields of `record` that differ from `before`, minus the ones never written by a save. */
function changedFields<T extends object>(
  record: T,
  before: Snapshot,
  skip: readonly string[],
): Partial<T> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (skip.includes(key)) continue;
    const value: unknown = (record as Record<string, unknown>)[key];
    if (!unchanged(before, key, value)) changes[key] = value;
  }
  return changes as Partial<T>;
}

const NODE_NEVER_SAVED = ['uuid', 'createdAt', 'updatedAt', 'reservation'] as const;

/** Writes the records that changed since their snapshot, and takes new snapshots of them. */
async function writeChanged<T extends { uuid: string }>(
  records: readonly T[],
  snapshots: Map<string, Snapshot>,
  write: (uuid: string, changes: Partial<T>) => Promise<unknown>,
): Promise<void> {
  for (const record of records) {
    const before = snapshots.get(record.uuid);
    if (!before) continue;
    const changes = changedFields(record, before, ['uuid']);
    if (Object.keys(changes).length === 0) continue;
    await write(record.uuid, changes);
    snapshots.set(record.uuid, snapshotOf(record));
  }
}

/**
 * One node under a task: the node, its ports, portgroups and volumes, its
 * composed driver, and the lock (exclusive tasks) the conductor holds on it.
 */
export class NodeTask implements Task {
  readonly node: Node;
  readonly ports: Port[];
  readonly portgroups: Portgroup[];
  readonly volumeConnectors: VolumeConnector[];
  readonly volumeTargets: VolumeTarget[];
  readonly purpose: string;
  readonly #manager: TaskManager;
  readonly #controller = new AbortController();
  #driver: Driver;
  #shared: boolean;
  #released = false;
  // Taken when the task can write: at once for exclusive tasks, on upgrade
  // for shared ones (sweeps build thousands that never write).
  #nodeSnapshot: Snapshot = new Map();
  #portSnapshots = new Map<string, Snapshot>();
  #portgroupSnapshots = new Map<string, Snapshot>();
  #spawned:
    | {
        start: (work: () => Promise<void>) => void;
        work: BackgroundWork;
        onFailure: FailureHandler;
      }
    | undefined;

  constructor(
    manager: TaskManager,
    loaded: LoadedNode,
    driver: Driver,
    shared: boolean,
    purpose: string,
  ) {
    this.#manager = manager;
    this.node = loaded.node;
    this.ports = loaded.ports;
    this.portgroups = loaded.portgroups;
    this.volumeConnectors = loaded.volumeConnectors;
    this.volumeTargets = loaded.volumeTargets;
    this.#driver = driver;
    this.#shared = shared;
    this.purpose = purpose;
    if (!shared) this.#takeSnapshots();
  }

  get driver(): Driver {
    return this.#driver;
  }

  get shared(): boolean {
    return this.#shared;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get clock(): Clock {
    return this.#manager.clock;
  }

  get released(): boolean {
    return this.#released;
  }

  /** Takes the exclusive lock (retrying as configured); NodeLocked if another conductor keeps it. */
  async upgradeLock(attempts?: number): Promise<void> {
    if (!this.#shared) return;
    await this.#manager.lock(this.node.uuid, this.purpose, attempts);
    this.#takeSnapshots();
    this.#shared = false;
    this.node.reservation = this.#manager.host;
  }

  /** Recomposes the driver after the node's hardware type or interfaces changed. */
  rebuildDriver(): void {
    this.#driver = this.#manager.factory.compose(this.node);
  }

  /**
   * Moves the node through the state machine (InvalidStateRequested if the
   * table refuses). Nothing is written until `save`.
   */
  processEvent(event: ProvisionEvent, options: Omit<TransitionOptions, 'node'> = {}): void {
    this.#requireExclusive('change the provision state');
    const from = this.node.provisionState;
    const next = transition(this.node, event, { ...options, node: this.node.uuid });
    this.node.provisionState = next.provisionState;
    this.node.targetProvisionState = next.targetProvisionState;
    this.#manager.onTransition?.({ node: this.node.uuid, from, event, to: next.provisionState });
  }

  async saveBiosSettings(settings: readonly BiosSettingReport[]): Promise<void> {
    this.#requireExclusive('save BIOS settings');
    await this.#manager.store.bios.replace(this.node.uuid, settings);
  }

  async addPort(port: NewNodePort): Promise<Port> {
    this.#requireExclusive('add a port');
    const address = port.address.toLowerCase();
    const known = this.ports.find((p) => p.address === address);
    if (known !== undefined) return known;
    const created = await this.#manager.store.ports.create({
      nodeUuid: this.node.uuid,
      address,
      ...(port.pxeEnabled === undefined ? {} : { pxeEnabled: port.pxeEnabled }),
      ...(port.extra === undefined ? {} : { extra: port.extra }),
    });
    this.ports.push(created);
    this.#portSnapshots.set(created.uuid, snapshotOf(created));
    return created;
  }

  async saveInventory(inventory: JsonObject, pluginData: JsonObject = {}): Promise<void> {
    this.#requireExclusive('save the inventory');
    await this.#manager.store.inventory.put(this.node.uuid, { inventory, pluginData });
  }

  /** Writes what changed on the node, its ports and portgroups since the last save. */
  async save(): Promise<void> {
    this.#requireExclusive('save the node');
    await this.#write();
  }

  #takeSnapshots(): void {
    this.#nodeSnapshot = snapshotOf(this.node);
    this.#portSnapshots = new Map(this.ports.map((p) => [p.uuid, snapshotOf(p)]));
    this.#portgroupSnapshots = new Map(this.portgroups.map((g) => [g.uuid, snapshotOf(g)]));
  }

  async #write(): Promise<void> {
    const nodeChanges = await this.#writeTraits(this.#nodeChanges());
    await this.#writeAssociations();
    if (Object.keys(nodeChanges).length === 0) return;
    const stamps = await this.#manager.store.nodes.write(this.node.uuid, nodeChanges);
    this.#stamp(stamps);
  }

  /**
   * What lives beside the node row: traits (their own table, left out of the
   * node's changes) and, for a new last_error, an event in the node's history.
   */
  async #writeTraits(changes: NodeChanges): Promise<NodeChanges> {
    const { traits, ...rest } = changes;
    const store = this.#manager.store;
    if (traits !== undefined) await store.nodes.setTraits(this.node.uuid, traits);
    if (typeof rest.lastError === 'string') {
      await recordFailure(store, this.node, this.#manager.host, this.purpose, rest.lastError);
    }
    return rest;
  }

  #nodeChanges(): NodeChanges {
    return changedFields(this.node, this.#nodeSnapshot, NODE_NEVER_SAVED);
  }

  #stamp(stamps: NodeTimestamps): void {
    this.node.updatedAt = stamps.updatedAt;
    if (stamps.provisionUpdatedAt) this.node.provisionUpdatedAt = stamps.provisionUpdatedAt;
    this.#nodeSnapshot = snapshotOf(this.node);
  }

  async #writeAssociations(): Promise<void> {
    const store = this.#manager.store;
    await writeChanged(this.ports, this.#portSnapshots, (uuid, changes) =>
      store.ports.update(uuid, changes),
    );
    await writeChanged(this.portgroups, this.#portgroupSnapshots, (uuid, changes) =>
      store.portgroups.update(uuid, changes),
    );
  }

  /**
   * Runs `work` in the background once the code that acquired the task
   * returns; the lock (if any) is kept until the work settles. A failure goes to
   * `onFailure`, and whatever happens the node is saved and released.
   * Throws NoFreeConductorWorker at once when the conductor is saturated, so
   * call it before changing the node.
   */
  spawn(work: BackgroundWork, onFailure: FailureHandler): void {
    if (this.#released) throw new Error(`task for node ${this.node.uuid} was released`);
    if (this.#spawned) throw new Error('a task runs at most one background operation');
    const start = this.#manager.pool.reserve();
    this.#spawned = { start, work, onFailure };
  }

  /** Marks the task finished without saving or unlocking: its node was deleted. */
  discard(): void {
    this.#released = true;
    this.#manager.forget(this);
  }

  /** Aborts the task's signal (conductor stopping). */
  abort(reason: Error): void {
    this.#controller.abort(reason);
  }

  /**
   * Saves what changed (exclusive tasks) and releases the lock. With
   * `save: false` unsaved changes are dropped: the operation failed. Safe to
   * call twice.
   */
  async release(options: { readonly save?: boolean } = {}): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    this.#manager.forget(this);
    if (this.#shared) return;
    // The last save and the unlock are one statement.
    let changes: NodeChanges = {};
    try {
      if (options.save !== false) {
        await this.#writeAssociations();
        changes = await this.#writeTraits(this.#nodeChanges());
      }
    } finally {
      await this.#manager.unlock(this.node.uuid, changes);
    }
  }

  /** @internal Starts or discards the spawned work after the acquiring code finished. */
  async finish(succeeded: boolean): Promise<void> {
    const spawned = this.#spawned;
    this.#spawned = undefined;
    if (!spawned) {
      await this.release({ save: succeeded });
      return;
    }
    if (!succeeded) {
      this.#manager.pool.cancel();
      await this.release({ save: false });
      return;
    }
    spawned.start(async () => {
      try {
        await spawned.work(this);
      } catch (error) {
        await this.#manager.handleFailure(this, spawned.onFailure, error);
      } finally {
        await this.release();
      }
    });
  }

  #requireExclusive(what: string): void {
    if (this.#shared) {
      throw new FerriteError('ExclusiveLockRequired', {}, { cause: new Error(`cannot ${what}`) });
    }
    if (this.#released)
      throw new Error(`task for node ${this.node.uuid} was released; cannot ${what}`);
  }
}

/**
 * Locks nodes and hands out tasks. The lock is the node row's reservation,
 * taken with one conditional update; a locked node is retried with a pause
 * and then refused with NodeLocked naming the holder.
 */
export class TaskManager {
  readonly store: Store;
  readonly factory: DriverFactory;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pool: WorkPool;
  readonly host: string;
  readonly onTransition: TransitionListener | undefined;
  readonly #retry: TaskManagerOptions['lockRetry'];
  readonly #live = new Set<NodeTask>();

  constructor(options: TaskManagerOptions) {
    this.store = options.store;
    this.factory = options.factory;
    this.clock = options.clock;
    this.logger = options.logger;
    this.pool = options.pool;
    this.host = options.host;
    this.onTransition = options.onTransition;
    this.#retry = options.lockRetry;
  }

  /**
   * Runs `body` with a task on the node. The lock is released when `body`
   * settles, unless it spawned background work, which then keeps it.
   */
  async run<T>(
    ident: string,
    options: AcquireOptions,
    body: (task: NodeTask) => Promise<T>,
  ): Promise<T> {
    const task = await this.acquire(ident, options);
    let result: T;
    try {
      result = await body(task);
    } catch (error) {
      await task.finish(false);
      throw error;
    }
    await task.finish(true);
    return result;
  }

  /** Acquires a task; the caller must release it (prefer `run`). */
  async acquire(ident: string, options: AcquireOptions): Promise<NodeTask> {
    const shared = options.shared ?? false;
    if (shared) return this.#load(await this.store.nodes.get(ident), true, options.purpose);
    // A name must be resolved first; a uuid can be locked straight away.
    const uuid = isUuid(ident) ? ident : (await this.store.nodes.get(ident)).uuid;
    const node = await this.lock(uuid, options.purpose, options.attempts);
    try {
      return await this.#load(node, false, options.purpose);
    } catch (error) {
      await this.unlock(uuid);
      throw error;
    }
  }

  /** A shared task over a node and objects already read in bulk (batch work such as power sync). */
  sharedTaskFor(node: Node, purpose: string, loaded: Omit<LoadedNode, 'node'>): NodeTask {
    return this.#track(
      new NodeTask(this, { node, ...loaded }, this.factory.compose(node), true, purpose),
    );
  }

  async #load(node: Node, shared: boolean, purpose: string): Promise<NodeTask> {
    const driver = this.factory.compose(node);
    const [ports, portgroups, volumeConnectors, volumeTargets] = await Promise.all([
      this.store.ports.list({ nodeUuid: node.uuid }),
      this.store.portgroups.list({ nodeUuid: node.uuid }),
      this.store.volumes.listConnectors({ nodeUuid: node.uuid }),
      this.store.volumes.listTargets({ nodeUuid: node.uuid }),
    ]);
    return this.#track(
      new NodeTask(
        this,
        { node, ports, portgroups, volumeConnectors, volumeTargets },
        driver,
        shared,
        purpose,
      ),
    );
  }

  #track(task: NodeTask): NodeTask {
    this.#live.add(task);
    return task;
  }

  /** Takes the node's lock, retrying while another holder has it; returns the node as locked. */
  async lock(uuid: string, purpose: string, attempts = this.#retry.attempts): Promise<Node> {
    const tries = Math.max(1, attempts);
    for (let attempt = 1; ; attempt++) {
      const node = await this.store.nodes.lock(uuid, this.host);
      if (node) return node;
      if (attempt >= tries) break;
      await this.clock.sleep(this.#retry.intervalMs * attempt);
    }
    const holder = (await this.store.nodes.reservation(uuid)) ?? 'unknown';
    this.logger.debug({ node: uuid, holder, purpose }, 'node is locked');
    throw new FerriteError('NodeLocked', { node: uuid, host: holder });
  }

  /** @internal Releases the lock, writing the task's last changes in the same statement. */
  async unlock(uuid: string, changes?: NodeChanges): Promise<void> {
    try {
      if (!(await this.store.nodes.release(uuid, this.host, changes))) {
        this.logger.warn(
          { node: uuid, host: this.host },
          'node was not locked by this conductor on release',
        );
      }
    } catch (error) {
      if (isFerriteError(error, 'NodeNotFound')) return;
      this.logger.error({ node: uuid, err: error }, 'failed to save the node on release');
      // The changes are lost, but the lock must not be: release it alone.
      if (changes && Object.keys(changes).length > 0) await this.unlock(uuid);
    }
  }

  /** @internal */
  forget(task: NodeTask): void {
    this.#live.delete(task);
  }

  /** @internal Runs a failure handler, recording the error even if the handler itself fails. */
  async handleFailure(task: NodeTask, handler: FailureHandler, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { node: task.node.uuid, purpose: task.purpose, error: message },
      'background operation failed',
    );
    try {
      await handler(task, error);
    } catch (handlerError) {
      this.logger.error({ node: task.node.uuid, err: handlerError }, 'failure handler failed');
      task.node.lastError = message;
    }
  }

  /** Aborts every task still holding a node (conductor stopping). */
  abortAll(reason: Error): void {
    for (const task of this.#live) task.abort(reason);
  }
}

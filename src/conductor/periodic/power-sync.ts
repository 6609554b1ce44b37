import { isFerriteError } from '../../common/errors.ts';
import type { Node } from '../../common/records.ts';
import { PowerState, ProvisionState } from '../../common/states.ts';
import type { ProvisionState as State } from '../../common/states.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import { eachLimited } from './schedule.ts';

/** The fault a node gets when its BMC keeps failing. */
export const POWER_FAILURE = 'power failure';

/** Nodes whose power the sweep leaves alone: an agent or the operator is at work. */
const SYNC_EXCLUDED: readonly State[] = [
  ProvisionState.DEPLOYWAIT,
  ProvisionState.CLEANWAIT,
  ProvisionState.ENROLL,
];

const PAGE = 500;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export interface SweepReport {
  /** Nodes whose power state was read. */
  readonly checked: number;
  /** Mismatches acted on (recorded or forced). */
  readonly corrected: number;
  /** Mismatches that did not persist over the re-reads. */
  readonly unconfirmed: number;
  /** Nodes whose BMC failed to answer. */
  readonly failed: number;
  /** Nodes put into maintenance for a power failure. */
  readonly quarantined: number;
  /** Nodes skipped because another task held them when the sweep needed the lock. */
  readonly skipped: number;
}

interface Counters {
  checked: number;
  corrected: number;
  unconfirmed: number;
  failed: number;
  quarantined: number;
  skipped: number;
}

/**
 * Keeps the recorded power state in step with the hardware. Every sweep
 * reads each unlocked node outside maintenance; a mismatch is re-read
 * `maxRetries` times and acted on only if it persists (a BMC that flaps or
 * lies once does not flip the record); a BMC that fails `maxRetries` sweeps
 * in a row puts its node into maintenance with the fault `power failure`,
 * and `recover` takes it out once the BMC answers again.
 */
export class PowerSync {
  readonly #ctx: ConductorContext;
  /** Consecutive failed reads per node, across sweeps. */
  readonly #failures = new Map<string, number>();

  constructor(ctx: ConductorContext) {
    this.#ctx = ctx;
  }

  async sweep(): Promise<SweepReport> {
    const counters: Counters = {
      checked: 0,
      corrected: 0,
      unconfirmed: 0,
      failed: 0,
      quarantined: 0,
      skipped: 0,
    };
    let marker: string | undefined;
    for (;;) {
      const page = await this.#ctx.store.nodes.list(
        { maintenance: false, reserved: false, powerActionInFlight: false },
        { limit: PAGE, sortKey: 'uuid', ...(marker !== undefined ? { marker } : {}) },
      );
      if (page.length === 0) break;
      marker = page[page.length - 1]?.uuid;
      const eligible = page.filter((n) => !SYNC_EXCLUDED.includes(n.provisionState));
      const tasks = await this.#tasksFor(eligible);
      await eachLimited(tasks, this.#ctx.config.powerSync.workers, (task) =>
        this.#syncOne(task, counters),
      );
      if (page.length < PAGE) break;
    }
    return counters;
  }

  /** Tries the BMCs of nodes quarantined for a power failure; those that answer come back. */
  async recover(): Promise<number> {
    const nodes = await this.#ctx.store.nodes.list({
      maintenance: true,
      fault: POWER_FAILURE,
      reserved: false,
    });
    let recovered = 0;
    for (const task of await this.#tasksFor(nodes)) {
      let actual: PowerState;
      try {
        actual = await task.driver.power.getPowerState(task);
      } catch {
        continue;
      }
      await this.#underLock(task, async (fresh) => {
        if (!fresh.maintenance || fresh.fault !== POWER_FAILURE) return false;
        task.node.maintenance = false;
        task.node.maintenanceReason = null;
        task.node.fault = null;
        task.node.powerState = actual;
        recovered += 1;
        this.#ctx.logger.info(
          { node: task.node.uuid, power: actual },
          'BMC answers again; node leaves maintenance',
        );
        return true;
      });
    }
    return recovered;
  }

  /** Shared tasks for a batch of nodes, with their ports and portgroups read in two queries. */
  async #tasksFor(nodes: readonly Node[]): Promise<NodeTask[]> {
    if (nodes.length === 0) return [];
    const uuids = nodes.map((n) => n.uuid);
    const [ports, portgroups] = await Promise.all([
      this.#ctx.store.ports.list({ nodeUuids: uuids }),
      this.#ctx.store.portgroups.list({ nodeUuids: uuids }),
    ]);
    const portsOf = groupBy(ports, (p) => p.nodeUuid);
    const groupsOf = groupBy(portgroups, (g) => g.nodeUuid);
    const tasks: NodeTask[] = [];
    for (const node of nodes) {
      try {
        const task = this.#ctx.tasks.sharedTaskFor(node, 'power sync', {
          ports: portsOf.get(node.uuid) ?? [],
          portgroups: groupsOf.get(node.uuid) ?? [],
          volumeConnectors: [],
          volumeTargets: [],
        });
        if (task.driver.power.supportsPowerSync?.(task) === false) {
          task.discard();
          continue;
        }
        tasks.push(task);
      } catch (error) {
        this.#ctx.logger.warn(
          { node: node.uuid, error: describeError(error) },
          'power sync cannot build the driver',
        );
      }
    }
    return tasks;
  }

  async #syncOne(task: NodeTask, counters: Counters): Promise<void> {
    const node = task.node;
    const power = task.driver.power;
    try {
      let actual: PowerState;
      try {
        actual = await power.getPowerState(task);
      } catch (error) {
        counters.failed += 1;
        await this.#failed(task, error, counters);
        return;
      }
      counters.checked += 1;
      this.#failures.delete(node.uuid);
      if (actual === node.powerState) return;
      if (node.powerState !== null) {
        for (let i = 0; i < this.#ctx.config.powerSync.maxRetries; i++) {
          let again: PowerState;
          try {
            again = await power.getPowerState(task);
          } catch {
            counters.unconfirmed += 1;
            return;
          }
          if (again !== actual) {
            counters.unconfirmed += 1;
            this.#ctx.logger.info(
              { node: node.uuid, first: actual, then: again },
              'power state flapped; not acting this sweep',
            );
            return;
          }
        }
      }
      await this.#correct(task, actual, counters);
    } finally {
      task.discard();
    }
  }

  /** Records the hardware's state, or (when configured) forces the recorded one back onto it. */
  async #correct(task: NodeTask, actual: PowerState, counters: Counters): Promise<void> {
    const expected = task.node.powerState;
    const force =
      this.#ctx.config.powerSync.force &&
      (expected === PowerState.POWER_ON || expected === PowerState.POWER_OFF);
    await this.#underLock(
      task,
      async (fresh) => {
        if (fresh.powerState !== expected || fresh.targetPowerState !== null || fresh.maintenance)
          return false;
        if (force) {
          this.#ctx.logger.warn(
            { node: task.node.uuid, actual, expected },
            'power state mismatch; forcing the recorded state onto the hardware',
          );
          try {
            await task.driver.power.setPowerState(
              task,
              expected === PowerState.POWER_ON ? PowerState.POWER_ON : PowerState.POWER_OFF,
            );
          } catch (error) {
            task.node.lastError = `During sync_power_state, failed to force power state '${expected}' on node ${task.node.uuid}: ${describeError(error)}`;
            return true;
          }
        } else {
          this.#ctx.logger.warn(
            { node: task.node.uuid, actual, expected },
            'power state mismatch; recording the hardware state',
          );
          task.node.powerState = actual;
        }
        counters.corrected += 1;
        return true;
      },
      counters,
    );
  }

  async #failed(task: NodeTask, error: unknown, counters: Counters): Promise<void> {
    const uuid = task.node.uuid;
    const count = (this.#failures.get(uuid) ?? 0) + 1;
    this.#failures.set(uuid, count);
    this.#ctx.logger.warn(
      { node: uuid, attempt: count, error: describeError(error) },
      'power sync could not read the power state',
    );
    if (count < this.#ctx.config.powerSync.maxRetries) return;
    await this.#underLock(
      task,
      async (fresh) => {
        if (fresh.maintenance) return false;
        const node = task.node;
        node.maintenance = true;
        node.fault = POWER_FAILURE;
        node.maintenanceReason = `During sync_power_state, max retries exceeded for node ${uuid}, node state ${String(node.powerState)} does not match expected state 'None'. Updating DB state to 'None' Switching node to maintenance mode. Error: ${describeError(error)}`;
        node.powerState = null;
        counters.quarantined += 1;
        this.#failures.delete(uuid);
        return true;
      },
      counters,
    );
  }

  /**
   * Takes the node's lock without waiting (a locked node is somebody else's
   * business this sweep), re-reads the row, and lets `change` decide on the
   * fresh copy whether to write.
   */
  async #underLock(
    task: NodeTask,
    change: (fresh: Node) => Promise<boolean>,
    counters?: Counters,
  ): Promise<void> {
    try {
      await task.upgradeLock(1);
    } catch (error) {
      if (isFerriteError(error, 'NodeLocked')) {
        if (counters) counters.skipped += 1;
        return;
      }
      throw error;
    }
    try {
      const fresh = await this.#ctx.store.nodes.get(task.node.uuid);
      if (await change(fresh)) await task.save();
    } finally {
      await task.release();
    }
  }
}

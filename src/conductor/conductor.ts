import { systemClock } from '../common/clock.ts';
import type { Clock } from '../common/clock.ts';
import { isFerriteError } from '../common/errors.ts';
import type { ProvisionVerb } from '../common/fsm.ts';
import type { JsonObject } from '../common/json.ts';
import { silentLogger } from '../common/logging.ts';
import type { Logger } from '../common/logging.ts';
import type {
  Allocation,
  Node,
  Port,
  Portgroup,
  VolumeConnector,
  VolumeTarget,
} from '../common/records.ts';
import type { RequestablePowerState } from '../common/states.ts';
import type { NewAllocation, NewNode, NewPort, Store } from '../db/store.ts';
import { createDriverFactory } from '../drivers/builtin.ts';
import type { DriverFactory } from '../drivers/factory.ts';
import { ALL_INTERFACES } from '../drivers/interface-types.ts';
import type { VifInfo } from '../drivers/interfaces/network.ts';
import { conductorConfig } from './config.ts';
import type { ConductorConfig, ConductorSettings } from './config.ts';
import type { ConductorContext } from './context.ts';
import { describeError } from './context.ts';
import { continueCleaning } from './operations/cleaning.ts';
import { getConsole, setConsoleMode } from './operations/console.ts';
import { continueDeploying } from './operations/deploying.ts';
import { receiveEvents } from './operations/events.ts';
import { continueInspection } from './operations/inspection.ts';
import { agentHeartbeat, agentLookup } from './operations/agent-callbacks.ts';
import type { AgentBeat, AgentLookup } from './operations/agent-callbacks.ts';
import type { InspectionReport } from './operations/inspection.ts';
import { setMaintenance } from './operations/maintenance.ts';
import {
  getBootDevice,
  getSensorsData,
  getSupportedBootDevices,
  injectNmi,
  setBootDevice,
  setBootMode,
  setSecureBoot,
} from './operations/management.ts';
import { createNode, deleteNode, updateNode } from './operations/nodes.ts';
import { changeTraits } from './operations/traits.ts';
import { createAllocation, deleteAllocation, processAllocation } from './operations/allocations.ts';
import type { TraitChange } from './operations/traits.ts';
import type { UpdateNodeOptions } from './operations/nodes.ts';
import { deletePortgroup, updatePortgroup } from './operations/portgroups.ts';
import type { PortgroupUpdate } from './operations/portgroups.ts';
import { createPort, deletePort, updatePort } from './operations/ports.ts';
import type { PortUpdate, PortUpdateOptions } from './operations/ports.ts';
import { changePowerState } from './operations/power.ts';
import { changeProvisionState } from './operations/provision.ts';
import type { ProvisionOptions } from './operations/provision.ts';
import { raidLogicalDiskProperties, setTargetRaidConfig } from './operations/raid.ts';
import { continueRescue } from './operations/rescue.ts';
import { continueServicing } from './operations/servicing.ts';
import { validateNode } from './operations/validate.ts';
import {
  driverVendorMethods,
  driverVendorPassthru,
  nodeVendorMethods,
  nodeVendorPassthru,
} from './operations/vendor.ts';
import { vifAttach, vifDetach, vifList } from './operations/vifs.ts';
import {
  deleteVolumeConnector,
  deleteVolumeTarget,
  updateVolumeConnector,
  updateVolumeTarget,
} from './operations/volumes.ts';
import type { ConnectorUpdate, TargetUpdate } from './operations/volumes.ts';
import { PowerSync } from './periodic/power-sync.ts';
import { every } from './periodic/schedule.ts';
import { checkTimeouts } from './periodic/timeouts.ts';
import { recoverAfterRestart, takeOverFromDeadConductors } from './recovery.ts';
import { TaskManager } from './task-manager.ts';
import type { TransitionListener } from './task-manager.ts';
import { WorkPool } from './work-pool.ts';

export interface ConductorOptions {
  readonly store: Store;
  readonly factory?: DriverFactory;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly settings?: ConductorSettings;
  /** Hears every provision state transition. */
  readonly onTransition?: TransitionListener;
}

/**
 * The engine every action goes through: it locks nodes, walks them through
 * the provisioning state machine, runs their drivers in the background, and
 * keeps the fleet in order with periodic work (power sync, timeouts,
 * heartbeats, taking over from dead conductors).
 */
export class Conductor {
  readonly config: ConductorConfig;
  readonly clock: Clock;
  readonly store: Store;
  readonly factory: DriverFactory;
  readonly tasks: TaskManager;
  readonly pool: WorkPool;
  readonly powerSync: PowerSync;
  readonly #ctx: ConductorContext;
  #periodics: Promise<void>[] = [];
  #stopping: AbortController | undefined;
  readonly #ownsFactory: boolean;

  constructor(options: ConductorOptions) {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    this.config = conductorConfig(options.settings);
    this.clock = clock;
    this.store = options.store;
    this.factory = options.factory ?? createDriverFactory({ clock });
    this.#ownsFactory = options.factory === undefined;
    this.pool = new WorkPool(this.config.workers, (error) => {
      logger.error({ error: describeError(error) }, 'unhandled error in background work');
    });
    this.tasks = new TaskManager({
      store: this.store,
      factory: this.factory,
      clock,
      logger,
      pool: this.pool,
      host: this.config.host,
      lockRetry: this.config.lockRetry,
      ...(options.onTransition ? { onTransition: options.onTransition } : {}),
    });
    this.#ctx = {
      store: this.store,
      factory: this.factory,
      config: this.config,
      clock,
      logger,
      tasks: this.tasks,
    };
    this.powerSync = new PowerSync(this.#ctx);
  }

  get host(): string {
    return this.config.host;
  }

  /**
   * Registers the conductor with what it offers, fails what it left behind
   * last time, and starts its periodic work. Returns the uuids of the nodes
   * it failed.
   */
  async start(): Promise<string[]> {
    await this.#register();
    const failed = await recoverAfterRestart(this.#ctx);
    await this.#resumeAllocations();
    this.#startPeriodics();
    this.#ctx.logger.info({ host: this.host, failed: failed.length }, 'conductor started');
    return failed;
  }

  /** Allocations this conductor was processing when it stopped are looked at again. */
  async #resumeAllocations(): Promise<void> {
    const pending = await this.store.allocations.list({ state: 'allocating' });
    for (const allocation of pending) {
      if (allocation.conductorAffinity !== null && allocation.conductorAffinity !== this.host) {
        continue;
      }
      this.pool.reserve()(async () => {
        await processAllocation(this.#ctx, allocation);
      });
    }
  }

  /** Records this conductor, its hardware types and interfaces, as online. */
  async #register(): Promise<void> {
    const summaries = this.factory.summaries();
    await this.store.conductors.register({
      hostname: this.host,
      conductorGroup: this.config.conductorGroup,
      drivers: summaries.map((s) => s.name),
      interfaces: summaries.flatMap((s) =>
        ALL_INTERFACES.flatMap((type) =>
          s.interfaces[type].enabled.map((name) => ({
            hardwareType: s.name,
            interfaceType: type,
            interfaceName: name,
            isDefault: s.interfaces[type].default === name,
          })),
        ),
      ),
    });
  }

  #startPeriodics(): void {
    const stopping = new AbortController();
    this.#stopping = stopping;
    const { clock, logger } = this.#ctx;
    const c = this.config;
    this.#periodics = [
      every(
        clock,
        c.heartbeatIntervalMs,
        'heartbeat',
        () => this.heartbeat(),
        stopping.signal,
        logger,
      ),
      every(
        clock,
        c.powerSync.intervalMs,
        'power sync',
        () => this.powerSync.sweep(),
        stopping.signal,
        logger,
      ),
      every(
        clock,
        c.powerSync.recoveryIntervalMs,
        'power recovery',
        () => this.powerSync.recover(),
        stopping.signal,
        logger,
      ),
      every(
        clock,
        c.timeouts.checkIntervalMs,
        'timeouts',
        () => this.checkTimeouts(),
        stopping.signal,
        logger,
      ),
      every(
        clock,
        c.heartbeatIntervalMs,
        'take over',
        () => takeOverFromDeadConductors(this.#ctx),
        stopping.signal,
        logger,
      ),
    ];
  }

  /**
   * Stops periodic work, waits for running operations (up to the graceful
   * shutdown time, then aborts them), and marks the conductor offline.
   */
  async stop(): Promise<void> {
    this.#stopping?.abort();
    await Promise.all(this.#periodics);
    this.#periodics = [];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.config.gracefulShutdownMs);
    });
    const outcome = await Promise.race([this.pool.idle().then(() => 'idle' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.tasks.abortAll(new Error('conductor stopping'));
      await this.pool.idle();
    }
    try {
      await this.store.conductors.unregister(this.host);
    } catch (error) {
      if (!isFerriteError(error, 'ConductorNotFound')) throw error;
    }
    // A factory handed in belongs to whoever made it (tests share one).
    if (this.#ownsFactory) await this.factory.close();
    this.#ctx.logger.info({ host: this.host }, 'conductor stopped');
  }

  /** Resolves once no background operation runs (tests, benchmarks, the demo). */
  idle(): Promise<void> {
    return this.pool.idle();
  }

  async heartbeat(): Promise<void> {
    try {
      await this.store.conductors.touch(this.host);
    } catch (error) {
      if (!isFerriteError(error, 'ConductorNotFound')) throw error;
      await this.#register();
    }
  }

  checkTimeouts(): Promise<number> {
    return checkTimeouts(this.#ctx);
  }

  takeOverFromDeadConductors(): Promise<string[]> {
    return takeOverFromDeadConductors(this.#ctx);
  }

  // Nodes.
  createNode(fields: NewNode): Promise<Node> {
    return createNode(this.#ctx, fields);
  }
  updateNode(
    ident: string,
    update: Parameters<typeof updateNode>[2],
    options?: UpdateNodeOptions,
  ): Promise<Node> {
    return updateNode(this.#ctx, ident, update, options);
  }
  deleteNode(ident: string): Promise<void> {
    return deleteNode(this.#ctx, ident);
  }
  setMaintenance(ident: string, on: boolean, reason?: string): Promise<void> {
    return setMaintenance(this.#ctx, ident, on, reason);
  }
  validateNode(ident: string): ReturnType<typeof validateNode> {
    return validateNode(this.#ctx, ident);
  }

  // Ports, portgroups and volumes: changed under their node's lock.
  createPort(fields: NewPort): Promise<Port> {
    return createPort(this.#ctx, fields);
  }
  updatePort(
    port: Pick<Port, 'uuid' | 'nodeUuid'>,
    update: PortUpdate,
    options?: PortUpdateOptions,
  ): Promise<Port> {
    return updatePort(this.#ctx, port.uuid, port.nodeUuid, update, options);
  }
  deletePort(port: Pick<Port, 'uuid' | 'nodeUuid'>): Promise<void> {
    return deletePort(this.#ctx, port.uuid, port.nodeUuid);
  }
  updatePortgroup(
    portgroup: Pick<Portgroup, 'uuid' | 'nodeUuid'>,
    update: PortgroupUpdate,
    options?: PortUpdateOptions,
  ): Promise<Portgroup> {
    return updatePortgroup(this.#ctx, portgroup.uuid, portgroup.nodeUuid, update, options);
  }
  deletePortgroup(portgroup: Pick<Portgroup, 'uuid' | 'nodeUuid'>): Promise<void> {
    return deletePortgroup(this.#ctx, portgroup.uuid, portgroup.nodeUuid);
  }
  updateVolumeConnector(
    connector: Pick<VolumeConnector, 'uuid' | 'nodeUuid'>,
    update: ConnectorUpdate,
  ): Promise<VolumeConnector> {
    return updateVolumeConnector(this.#ctx, connector.uuid, connector.nodeUuid, update);
  }
  deleteVolumeConnector(connector: Pick<VolumeConnector, 'uuid' | 'nodeUuid'>): Promise<void> {
    return deleteVolumeConnector(this.#ctx, connector.uuid, connector.nodeUuid);
  }
  updateVolumeTarget(
    target: Pick<VolumeTarget, 'uuid' | 'nodeUuid'>,
    update: TargetUpdate,
  ): Promise<VolumeTarget> {
    return updateVolumeTarget(this.#ctx, target.uuid, target.nodeUuid, update);
  }
  deleteVolumeTarget(target: Pick<VolumeTarget, 'uuid' | 'nodeUuid'>): Promise<void> {
    return deleteVolumeTarget(this.#ctx, target.uuid, target.nodeUuid);
  }
  receiveEvents(events: readonly JsonObject[]): void {
    receiveEvents(this.#ctx, events);
  }

  // Provisioning.
  changeProvisionState(
    ident: string,
    verb: ProvisionVerb,
    options?: ProvisionOptions,
  ): Promise<void> {
    return changeProvisionState(this.#ctx, ident, verb, options);
  }
  continueCleaning(ident: string): Promise<void> {
    return continueCleaning(this.#ctx, ident);
  }
  continueDeploying(ident: string): Promise<void> {
    return continueDeploying(this.#ctx, ident);
  }
  continueServicing(ident: string): Promise<void> {
    return continueServicing(this.#ctx, ident);
  }
  continueInspection(ident: string, report?: InspectionReport): Promise<void> {
    return continueInspection(this.#ctx, ident, report);
  }
  /** The ramdisk agent asks which node it runs on (and gets its token, once). */
  agentLookup(uuid: string): Promise<AgentLookup> {
    return agentLookup(this.#ctx, uuid);
  }
  /** The ramdisk agent's heartbeat. */
  agentHeartbeat(ident: string, beat: AgentBeat): Promise<void> {
    return agentHeartbeat(this.#ctx, ident, beat);
  }
  continueRescue(ident: string): Promise<void> {
    return continueRescue(this.#ctx, ident);
  }

  // Power and management.
  changePowerState(ident: string, state: RequestablePowerState, timeout?: number): Promise<void> {
    return changePowerState(this.#ctx, ident, state, timeout);
  }
  getBootDevice(ident: string): ReturnType<typeof getBootDevice> {
    return getBootDevice(this.#ctx, ident);
  }
  setBootDevice(ident: string, device: string, persistent?: boolean): Promise<void> {
    return setBootDevice(this.#ctx, ident, device, persistent);
  }
  getSupportedBootDevices(ident: string): ReturnType<typeof getSupportedBootDevices> {
    return getSupportedBootDevices(this.#ctx, ident);
  }
  setSecureBoot(ident: string, enabled: boolean): Promise<void> {
    return setSecureBoot(this.#ctx, ident, enabled);
  }
  setBootMode(ident: string, mode: string): Promise<void> {
    return setBootMode(this.#ctx, ident, mode);
  }
  getSensorsData(ident: string): ReturnType<typeof getSensorsData> {
    return getSensorsData(this.#ctx, ident);
  }
  injectNmi(ident: string): Promise<void> {
    return injectNmi(this.#ctx, ident);
  }

  // Console, RAID, networking, vendor.
  setConsoleMode(ident: string, enabled: boolean): Promise<void> {
    return setConsoleMode(this.#ctx, ident, enabled);
  }
  getConsole(ident: string): ReturnType<typeof getConsole> {
    return getConsole(this.#ctx, ident);
  }
  setTargetRaidConfig(ident: string, config: JsonObject): Promise<void> {
    return setTargetRaidConfig(this.#ctx, ident, config);
  }
  raidLogicalDiskProperties(hardwareType: string): ReturnType<typeof raidLogicalDiskProperties> {
    return raidLogicalDiskProperties(this.#ctx, hardwareType);
  }
  // Allocations.
  createAllocation(fields: NewAllocation): Promise<Allocation> {
    return createAllocation(this.#ctx, this.pool, fields);
  }
  deleteAllocation(ident: string): Promise<void> {
    return deleteAllocation(this.#ctx, ident);
  }

  changeTraits(ident: string, change: TraitChange): Promise<void> {
    return changeTraits(this.#ctx, ident, change);
  }
  vifAttach(ident: string, vif: VifInfo): Promise<void> {
    return vifAttach(this.#ctx, ident, vif);
  }
  vifDetach(ident: string, vifId: string): Promise<void> {
    return vifDetach(this.#ctx, ident, vifId);
  }
  vifList(ident: string): ReturnType<typeof vifList> {
    return vifList(this.#ctx, ident);
  }
  nodeVendorPassthru(
    ident: string,
    method: string,
    httpMethod: string,
    args: JsonObject,
  ): ReturnType<typeof nodeVendorPassthru> {
    return nodeVendorPassthru(this.#ctx, ident, method, httpMethod, args);
  }
  driverVendorPassthru(
    hardwareType: string,
    method: string,
    httpMethod: string,
    args: JsonObject,
  ): ReturnType<typeof driverVendorPassthru> {
    return driverVendorPassthru(this.#ctx, hardwareType, method, httpMethod, args, this.pool);
  }
  nodeVendorMethods(ident: string): ReturnType<typeof nodeVendorMethods> {
    return nodeVendorMethods(this.#ctx, ident);
  }
  driverVendorMethods(hardwareType: string): ReturnType<typeof driverVendorMethods> {
    return driverVendorMethods(this.#ctx, hardwareType);
  }
}

import type {
  Allocation,
  AllocationState,
  BiosSetting,
  Chassis,
  Conductor,
  ConductorInterface,
  DeployTemplate,
  DeployTemplateStep,
  Node,
  NodeHistoryEvent,
  NodeInventory,
  Port,
  Portgroup,
  VolumeConnector,
  VolumeTarget,
} from '../common/records.ts';
import type { JsonObject } from '../common/json.ts';
import type { ProvisionState } from '../common/states.ts';

/**
 * The storage contract the conductor and the API use. One implementation
 * (Kysely) serves SQLite and PostgreSQL with the same migrations and
 * queries; nothing else in Ferrite touches SQL.
 *
 * Errors: lookups of a missing row throw the catalogue's *NotFound; unique
 * violations throw DuplicateName, NodeAlreadyExists, InstanceAssociated,
 * MACAlreadyExists, PortAlreadyExists, PortDuplicateName,
 * PortgroupAlreadyExists, PortgroupDuplicateName, PortgroupMACAlreadyExists,
 * ChassisAlreadyExists, VolumeConnectorAlreadyExists,
 * VolumeConnectorTypeAndIdAlreadyExists, VolumeTargetAlreadyExists,
 * VolumeTargetBootIndexAlreadyExists, AllocationAlreadyExists,
 * AllocationDuplicateName, NodeAssociated, DeployTemplateAlreadyExists or
 * DeployTemplateDuplicateName — never a raw driver error.
 */

/** Fields a new node may be created with; the rest take their defaults. */
export type NewNode = Partial<Omit<Node, 'createdAt' | 'updatedAt' | 'reservation'>> &
  Pick<Node, 'driver'>;

/**
 * Everything about a node that can change after creation, except its lock.
 * allocationUuid is written by the allocations repository as it assigns
 * nodes; writing it here is for repairs, and does not touch the allocation.
 */
export type NodeChanges = Partial<Omit<Node, 'uuid' | 'createdAt' | 'updatedAt' | 'reservation'>>;

export type NodeSortKey =
  | 'uuid'
  | 'name'
  | 'createdAt'
  | 'updatedAt'
  | 'provisionState'
  | 'provisionUpdatedAt'
  | 'powerState'
  | 'driver';

export interface NodeFilter {
  readonly provisionState?: ProvisionState | readonly ProvisionState[];
  readonly maintenance?: boolean;
  /** true: reservation set; false: unlocked. */
  readonly reserved?: boolean;
  /** Nodes locked by one of these hosts. */
  readonly reservedBy?: readonly string[];
  readonly driver?: string;
  /** true: instance_uuid set; false: not. */
  readonly associated?: boolean;
  readonly instanceUuid?: string;
  readonly resourceClass?: string;
  readonly conductorGroup?: string;
  readonly conductorAffinity?: string;
  readonly fault?: string;
  readonly owner?: string;
  readonly lessee?: string;
  readonly chassisUuid?: string;
  /** provision_updated_at strictly before this time (timeouts). */
  readonly provisionUpdatedBefore?: Date;
  /** inspection_started_at strictly before this time (inspection timeouts). */
  readonly inspectionStartedBefore?: Date;
  /** target_power_state set (true) or not (false). */
  readonly powerActionInFlight?: boolean;
  readonly retired?: boolean;
  /** Nodes whose description contains this text (case-sensitive, no wildcards). */
  readonly descriptionContains?: string;
  /** Nodes in one of these shards. */
  readonly shard?: readonly string[];
  /** true: shard set; false: not. */
  readonly sharded?: boolean;
}

/** How many nodes one shard holds; `name` null counts the nodes in no shard. */
export interface ShardCount {
  readonly name: string | null;
  readonly count: number;
}

/** A node's revision: a number the database changes with every update of the node's row. */
export interface NodeRevision {
  readonly uuid: string;
  readonly revision: number;
}

export interface RevisedNode {
  readonly node: Node;
  readonly revision: number;
}

/** Keyset pagination: rows after `marker` (a uuid) in `sortKey` order, then uuid. */
export interface PageRequest<K extends string> {
  readonly limit?: number;
  readonly marker?: string;
  readonly sortKey?: K;
  readonly sortDir?: 'asc' | 'desc';
}

/** The timestamps a write set. */
export interface NodeTimestamps {
  readonly updatedAt: Date;
  /** Set when the write changed the provision state. */
  readonly provisionUpdatedAt?: Date;
}

export interface NodeRepository {
  create(node: NewNode): Promise<Node>;
  /** By uuid, or by name when `ident` is not a uuid. NodeNotFound if absent. */
  get(ident: string): Promise<Node>;
  find(ident: string): Promise<Node | undefined>;
  /** Several nodes by uuid, in no particular order; missing ones are left out. */
  getMany(uuids: readonly string[]): Promise<Node[]>;
  list(filter?: NodeFilter, page?: PageRequest<NodeSortKey>): Promise<Node[]>;
  count(filter?: NodeFilter): Promise<number>;
  /**
   * The uuid and revision of each node `list` would return, in its order: a
   * light read for callers that cache what they make of a node, keyed by its
   * revision (which changes with every update of the node).
   */
  revisions(filter?: NodeFilter, page?: PageRequest<NodeSortKey>): Promise<NodeRevision[]>;
  /** The uuid and revision of one node, by uuid or by name as `find` takes it; undefined if absent. */
  revisionOf(ident: string): Promise<NodeRevision | undefined>;
  /** The nodes among `uuids` that exist, each with its revision; in no particular order. */
  getWithRevisions(uuids: readonly string[]): Promise<RevisedNode[]>;
  /**
   * Writes `changes` (only those fields) and bumps updated_at; also
   * provision_updated_at when provisionState changes. Never touches the
   * reservation. Returns the node as stored. NodeNotFound if absent.
   */
  update(uuid: string, changes: NodeChanges): Promise<Node>;
  /**
   * Writes `changes` like `update`, without reading the node back: the
   * conductor's save, which needs only the timestamps it set.
   */
  write(uuid: string, changes: NodeChanges): Promise<NodeTimestamps>;
  /**
   * Deletes the node with its ports, portgroups, traits, volume connectors
   * and targets, allocation, history, BIOS settings and inventory.
   */
  delete(uuid: string): Promise<void>;
  /**
   * Takes the node's exclusive lock for `host`: one atomic conditional
   * update (reservation IS NULL → host). True when taken; false when another
   * host holds it. NodeNotFound if the node does not exist.
   */
  reserve(uuid: string, host: string): Promise<boolean>;
  /**
   * `reserve` that also reads the node, in the same statement: the node as
   * it is under the new lock, or null when another host holds it.
   */
  lock(uuid: string, host: string): Promise<Node | null>;
  /** The current holder, or null. NodeNotFound if absent. */
  reservation(uuid: string): Promise<string | null>;
  /**
   * Releases the lock if `host` holds it, writing `changes` (as `write`) in
   * the same statement; false when `host` does not hold it (nothing written).
   */
  release(uuid: string, host: string, changes?: NodeChanges): Promise<boolean>;
  /** Releases every lock `host` holds, clearing target_power_state; returns those nodes' uuids. */
  releaseAll(host: string): Promise<string[]>;
  setTraits(uuid: string, traits: readonly string[]): Promise<void>;
  /** Every shard with its node count, largest first (then by name, null last). */
  shards(): Promise<ShardCount[]>;
}

export interface PortFilter {
  readonly nodeUuid?: string;
  readonly nodeUuids?: readonly string[];
  readonly portgroupUuid?: string;
  readonly address?: string;
}

/** The store owns the timestamps: createdAt and updatedAt are never written by callers. */
type Stamped = 'createdAt' | 'updatedAt';

export type NewPort = Partial<Omit<Port, Stamped>> & Pick<Port, 'nodeUuid' | 'address'>;
export type PortChanges = Partial<Omit<Port, 'uuid' | Stamped>>;

export interface PortRepository {
  create(port: NewPort): Promise<Port>;
  /** By uuid, or by name. PortNotFound if absent. */
  get(ident: string): Promise<Port>;
  list(filter?: PortFilter, page?: PageRequest<'uuid' | 'address' | 'createdAt'>): Promise<Port[]>;
  update(uuid: string, changes: PortChanges): Promise<Port>;
  delete(uuid: string): Promise<void>;
}

export interface PortgroupFilter {
  readonly nodeUuid?: string;
  readonly nodeUuids?: readonly string[];
  readonly address?: string;
}

export type NewPortgroup = Partial<Omit<Portgroup, Stamped>> & Pick<Portgroup, 'nodeUuid'>;
export type PortgroupChanges = Partial<Omit<Portgroup, 'uuid' | Stamped>>;

export interface PortgroupRepository {
  create(portgroup: NewPortgroup): Promise<Portgroup>;
  get(ident: string): Promise<Portgroup>;
  list(
    filter?: PortgroupFilter,
    page?: PageRequest<'uuid' | 'address' | 'createdAt'>,
  ): Promise<Portgroup[]>;
  update(uuid: string, changes: PortgroupChanges): Promise<Portgroup>;
  /** PortgroupNotEmpty when ports still belong to it. */
  delete(uuid: string): Promise<void>;
}

export type NewChassis = Partial<Omit<Chassis, 'createdAt' | 'updatedAt'>>;

export interface ChassisRepository {
  create(chassis: NewChassis): Promise<Chassis>;
  get(uuid: string): Promise<Chassis>;
  list(page?: PageRequest<'uuid' | 'createdAt'>): Promise<Chassis[]>;
  update(uuid: string, changes: Partial<Pick<Chassis, 'description' | 'extra'>>): Promise<Chassis>;
  /** ChassisNotEmpty when nodes still belong to it. */
  delete(uuid: string): Promise<void>;
}

export type NewVolumeConnector = Partial<Omit<VolumeConnector, Stamped>> &
  Pick<VolumeConnector, 'nodeUuid' | 'type' | 'connectorId'>;
export type NewVolumeTarget = Partial<Omit<VolumeTarget, Stamped>> &
  Pick<VolumeTarget, 'nodeUuid' | 'volumeType' | 'volumeId' | 'bootIndex'>;
export type VolumeConnectorChanges = Partial<Omit<VolumeConnector, 'uuid' | Stamped>>;
export type VolumeTargetChanges = Partial<Omit<VolumeTarget, 'uuid' | Stamped>>;

export interface VolumeRepository {
  createConnector(connector: NewVolumeConnector): Promise<VolumeConnector>;
  getConnector(uuid: string): Promise<VolumeConnector>;
  listConnectors(filter?: {
    readonly nodeUuid?: string;
    readonly nodeUuids?: readonly string[];
  }): Promise<VolumeConnector[]>;
  updateConnector(uuid: string, changes: VolumeConnectorChanges): Promise<VolumeConnector>;
  deleteConnector(uuid: string): Promise<void>;
  createTarget(target: NewVolumeTarget): Promise<VolumeTarget>;
  getTarget(uuid: string): Promise<VolumeTarget>;
  listTargets(filter?: {
    readonly nodeUuid?: string;
    readonly nodeUuids?: readonly string[];
  }): Promise<VolumeTarget[]>;
  updateTarget(uuid: string, changes: VolumeTargetChanges): Promise<VolumeTarget>;
  deleteTarget(uuid: string): Promise<void>;
}

export type NewAllocation = Partial<Omit<Allocation, Stamped>>;
export type AllocationChanges = Partial<Omit<Allocation, 'uuid' | Stamped>>;
export type AllocationSortKey =
  'uuid' | 'name' | 'createdAt' | 'updatedAt' | 'state' | 'resourceClass';

export interface AllocationFilter {
  readonly nodeUuid?: string;
  readonly resourceClass?: string;
  readonly state?: AllocationState;
  readonly owner?: string;
}

/**
 * Allocations, and the node side of them: whenever an allocation's node
 * changes (create, update, delete), the same transaction moves
 * nodes.allocation_uuid with it, so `node.allocationUuid` and
 * `allocation.nodeUuid` always agree. instance_uuid is left alone: it
 * belongs to the conductor's allocation process. Deleting a node deletes
 * its allocation.
 */
export interface AllocationRepository {
  /**
   * Defaults: state 'allocating', empty traits, candidates and extra.
   * With a nodeUuid: NodeNotFound if the node is missing, NodeAssociated if
   * it already holds another allocation or an instance other than this one.
   */
  create(allocation: NewAllocation): Promise<Allocation>;
  /** By uuid, or by name. AllocationNotFound if absent. */
  get(ident: string): Promise<Allocation>;
  /** Default order: createdAt, then uuid. */
  list(filter?: AllocationFilter, page?: PageRequest<AllocationSortKey>): Promise<Allocation[]>;
  /** Only the given fields; a new nodeUuid is checked as in `create`. AllocationNotFound if absent. */
  update(uuid: string, changes: AllocationChanges): Promise<Allocation>;
  /** Also clears the node's allocationUuid. AllocationNotFound if absent. */
  delete(uuid: string): Promise<void>;
}

export type NewDeployTemplate = Pick<DeployTemplate, 'name'> &
  Partial<Pick<DeployTemplate, 'uuid' | 'extra' | 'steps'>>;
export interface DeployTemplateChanges {
  readonly name?: string;
  readonly extra?: JsonObject;
  /** Replaces the steps wholesale, in this order. */
  readonly steps?: readonly DeployTemplateStep[];
}
export type DeployTemplateSortKey = 'uuid' | 'name' | 'createdAt' | 'updatedAt';

export interface DeployTemplateRepository {
  create(template: NewDeployTemplate): Promise<DeployTemplate>;
  /** By uuid, or by name. DeployTemplateNotFound if absent. */
  get(ident: string): Promise<DeployTemplate>;
  /** Default order: createdAt, then uuid; each with its steps. */
  list(page?: PageRequest<DeployTemplateSortKey>): Promise<DeployTemplate[]>;
  /** DeployTemplateNotFound if absent. */
  update(uuid: string, changes: DeployTemplateChanges): Promise<DeployTemplate>;
  /** With its steps. DeployTemplateNotFound if absent. */
  delete(uuid: string): Promise<void>;
  /** The templates named like these traits (deploy-time matching), by name; unknown names are skipped. */
  findByNames(names: readonly string[]): Promise<DeployTemplate[]>;
}

export type NewNodeHistoryEvent = Pick<
  NodeHistoryEvent,
  'nodeUuid' | 'event' | 'eventType' | 'severity'
> &
  Partial<Pick<NodeHistoryEvent, 'uuid' | 'conductor' | 'user'>>;

export interface NodeHistoryPrune {
  /** How many of each node's newest events to keep. */
  readonly keep: number;
  /** Only these nodes' histories (default: every node's). */
  readonly nodeUuids?: readonly string[];
  /** Only events created before this time may go, however many there are. */
  readonly createdBefore?: Date;
}

export interface NodeHistoryRepository {
  /** Stamped with the store's clock. NodeNotFound if the node is missing. */
  record(event: NewNodeHistoryEvent): Promise<NodeHistoryEvent>;
  /** Oldest first by default. NodeNotFound if the node is missing. */
  list(nodeUuid: string, page?: PageRequest<'uuid' | 'createdAt'>): Promise<NodeHistoryEvent[]>;
  /** NodeNotFound if the node is missing, NodeHistoryNotFound if it has no such event. */
  get(nodeUuid: string, eventUuid: string): Promise<NodeHistoryEvent>;
  /** Deletes all but each node's newest `keep` events (newest: createdAt, then uuid); returns how many went. */
  prune(options: NodeHistoryPrune): Promise<number>;
}

/** A setting as read from the hardware; the store stamps and keys it by node. */
export type NewBiosSetting = Pick<BiosSetting, 'name' | 'value'> &
  Partial<Omit<BiosSetting, 'nodeUuid' | 'name' | 'value' | Stamped>>;

export interface BiosRepository {
  /**
   * Makes the node's settings exactly `settings`, in one transaction:
   * creates new ones, updates those that changed (bumping updatedAt),
   * deletes those no longer reported, leaves the rest untouched. Returns
   * the node's settings by name. NodeNotFound if the node is missing;
   * InvalidParameterValue for a name given twice.
   */
  replace(nodeUuid: string, settings: readonly NewBiosSetting[]): Promise<BiosSetting[]>;
  /** By name. NodeNotFound if the node is missing. */
  list(nodeUuid: string): Promise<BiosSetting[]>;
  /** NodeNotFound if the node is missing, BIOSSettingNotFound if the setting is. */
  get(nodeUuid: string, name: string): Promise<BiosSetting>;
}

export interface InventoryRepository {
  /** Creates or replaces the node's inventory (createdAt kept on replace). NodeNotFound if the node is missing. */
  put(
    nodeUuid: string,
    data: Pick<NodeInventory, 'inventory' | 'pluginData'>,
  ): Promise<NodeInventory>;
  /** NodeInventoryNotFound if the node has none. */
  get(nodeUuid: string): Promise<NodeInventory>;
  /** NodeInventoryNotFound if the node has none. */
  delete(nodeUuid: string): Promise<void>;
}

export interface ConductorRegistration {
  readonly hostname: string;
  readonly conductorGroup: string;
  readonly drivers: readonly string[];
  readonly interfaces: readonly ConductorInterface[];
}

export interface ConductorRepository {
  /** Creates or replaces the row for this hostname, online, heartbeat now. */
  register(registration: ConductorRegistration): Promise<Conductor>;
  /** Records a heartbeat; ConductorNotFound if the conductor is not registered. */
  touch(hostname: string): Promise<void>;
  /** Marks the conductor offline (clean shutdown). */
  unregister(hostname: string): Promise<void>;
  get(hostname: string): Promise<Conductor>;
  list(): Promise<Conductor[]>;
  /** Hostnames of conductors that are online with a heartbeat at or after `since`. */
  alive(since: Date): Promise<string[]>;
}

/** One database: repositories, transactions and its life-cycle. */
export interface Store {
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
  /**
   * Runs `work` in one transaction, committed when it resolves, rolled back
   * when it throws. `work` must use the store it is given: the outer store
   * would wait for the connection the transaction holds (on SQLite, for ever).
   */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Where the store lives: `sqlite:///path/ferrite.db`, `sqlite::memory:`, `postgres://…`. */
export type DatabaseUrl = string;

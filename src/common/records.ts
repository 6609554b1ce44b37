import type { InterfaceField } from '../drivers/interface-types.ts';
import type { JsonObject } from './json.ts';
import type { PowerState, ProvisionState } from './states.ts';

/** The implementation chosen per interface; null until the node's driver is composed. */
export type NodeInterfaces = { [K in InterfaceField]: string | null };

/**
 * A bare-metal node as the conductor and drivers see it. Field names follow
 * Ironic's node object in camelCase; the API and the database map them.
 */
export interface Node extends NodeInterfaces {
  uuid: string;
  name: string | null;
  description: string | null;
  /** The hardware type. */
  driver: string;
  driverInfo: JsonObject;
  driverInternalInfo: JsonObject;
  instanceInfo: JsonObject;
  instanceUuid: string | null;
  properties: JsonObject;
  extra: JsonObject;
  provisionState: ProvisionState;
  targetProvisionState: ProvisionState | null;
  powerState: PowerState | null;
  targetPowerState: PowerState | null;
  maintenance: boolean;
  maintenanceReason: string | null;
  /** Why the conductor put the node in maintenance (`power failure`, `clean failure`, …). */
  fault: string | null;
  lastError: string | null;
  /** Hostname of the conductor holding the exclusive lock, or null. */
  reservation: string | null;
  conductorAffinity: string | null;
  conductorGroup: string;
  consoleEnabled: boolean;
  cleanStep: JsonObject | null;
  deployStep: JsonObject | null;
  raidConfig: JsonObject;
  targetRaidConfig: JsonObject;
  resourceClass: string | null;
  owner: string | null;
  lessee: string | null;
  /** Per-node override of automated cleaning; null follows the conductor's setting. */
  automatedClean: boolean | null;
  /** A protected node cannot be undeployed, rebuilt or deleted. */
  protected: boolean;
  protectedReason: string | null;
  retired: boolean;
  retiredReason: string | null;
  traits: string[];
  chassisUuid: string | null;
  inspectionStartedAt: Date | null;
  inspectionFinishedAt: Date | null;
  provisionUpdatedAt: Date | null;
  /** Network configuration handed to the deployed instance (config-drive network_data). */
  networkData: JsonObject;
  /** The boot mode the hardware reports ('uefi', 'bios'), null until known. */
  bootMode: string | null;
  /** Whether UEFI secure boot is on, as the hardware reports it; null until known. */
  secureBoot: boolean | null;
  /** The shard the node belongs to, for clients that divide the fleet among themselves. */
  shard: string | null;
  /** The allocation holding the node; kept by the store's allocations repository. */
  allocationUuid: string | null;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface LocalLinkConnection {
  switch_id?: string;
  port_id?: string;
  switch_info?: string;
  network_type?: string;
}

export interface Port {
  uuid: string;
  nodeUuid: string;
  address: string;
  name: string | null;
  localLinkConnection: JsonObject;
  pxeEnabled: boolean;
  physicalNetwork: string | null;
  portgroupUuid: string | null;
  internalInfo: JsonObject;
  extra: JsonObject;
  isSmartnic: boolean;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface Portgroup {
  uuid: string;
  nodeUuid: string;
  name: string | null;
  address: string | null;
  mode: string | null;
  properties: JsonObject;
  standalonePortsSupported: boolean;
  internalInfo: JsonObject;
  extra: JsonObject;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface VolumeConnector {
  uuid: string;
  nodeUuid: string;
  type: string;
  connectorId: string;
  extra: JsonObject;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface VolumeTarget {
  uuid: string;
  nodeUuid: string;
  volumeType: string;
  volumeId: string;
  bootIndex: number;
  properties: JsonObject;
  extra: JsonObject;
  createdAt: Date;
  updatedAt: Date | null;
}

export interface Chassis {
  uuid: string;
  description: string | null;
  extra: JsonObject;
  createdAt: Date;
  updatedAt: Date | null;
}

/** One implementation a conductor offers for one interface of one hardware type. */
export interface ConductorInterface {
  hardwareType: string;
  interfaceType: string;
  interfaceName: string;
  isDefault: boolean;
}

export interface Conductor {
  hostname: string;
  conductorGroup: string;
  online: boolean;
  /** Hardware types it offers. */
  drivers: string[];
  interfaces: ConductorInterface[];
  createdAt: Date;
  /** Last heartbeat. */
  updatedAt: Date;
}

export type AllocationState = 'allocating' | 'active' | 'error';

/** A request for a node matching a resource class and traits, and the node it got. */
export interface Allocation {
  uuid: string;
  name: string | null;
  /** The node allocated, once one is. */
  nodeUuid: string | null;
  state: AllocationState;
  lastError: string | null;
  resourceClass: string | null;
  /** Traits the node must have. */
  traits: string[];
  /** Node uuids the allocation may choose from; empty means any node. */
  candidateNodes: string[];
  extra: JsonObject;
  owner: string | null;
  /** The conductor processing the allocation. */
  conductorAffinity: string | null;
  createdAt: Date;
  updatedAt: Date | null;
}

/** One deploy step a template adds, with its arguments and priority. */
export interface DeployTemplateStep {
  interface: string;
  step: string;
  args: JsonObject;
  priority: number;
}

/** Deploy steps applied to nodes whose instance asks for the trait named like the template. */
export interface DeployTemplate {
  uuid: string;
  /** A trait name, e.g. CUSTOM_RAID1. */
  name: string;
  extra: JsonObject;
  /** In the order they were given. */
  steps: DeployTemplateStep[];
  createdAt: Date;
  updatedAt: Date | null;
}

/** One event in a node's history (mostly failures the node's last_error recorded). */
export interface NodeHistoryEvent {
  uuid: string;
  nodeUuid: string;
  /** The conductor that recorded it. */
  conductor: string | null;
  event: string;
  /** What the node was doing: 'provisioning', 'maintenance', 'console', … */
  eventType: string;
  /** 'ERROR', 'WARNING' or 'INFO'. */
  severity: string;
  user: string | null;
  createdAt: Date;
}

/** A BIOS setting as the node's management controller reports it. */
export interface BiosSetting {
  nodeUuid: string;
  name: string;
  value: string | null;
  attributeType: string | null;
  allowableValues: string[] | null;
  lowerBound: number | null;
  upperBound: number | null;
  minLength: number | null;
  maxLength: number | null;
  readOnly: boolean | null;
  resetRequired: boolean | null;
  unique: boolean | null;
  createdAt: Date;
  updatedAt: Date | null;
}

/** What inspection found on a node. */
export interface NodeInventory {
  nodeUuid: string;
  inventory: JsonObject;
  pluginData: JsonObject;
  createdAt: Date;
  updatedAt: Date | null;
}

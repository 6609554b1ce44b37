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
}

export interface VolumeConnector {
  uuid: string;
  nodeUuid: string;
  type: string;
  connectorId: string;
  extra: JsonObject;
}

export interface VolumeTarget {
  uuid: string;
  nodeUuid: string;
  volumeType: string;
  volumeId: string;
  bootIndex: number;
  properties: JsonObject;
  extra: JsonObject;
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

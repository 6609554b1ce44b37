import type { JsonObject } from '../common/json.ts';
import type { Clock } from '../common/clock.ts';
import type { Node, Port, Portgroup, VolumeConnector, VolumeTarget } from '../common/records.ts';
import type { Driver } from './driver.ts';

/**
 * What a driver interface receives for every call: one node, its network and
 * storage objects, and the node's composed driver, under a lock held by the
 * conductor (see the TaskManager). Drivers mutate `node`, `ports` and
 * `portgroups` in place and call `save()` to persist them; the conductor also
 * saves when the operation ends (but drops unsaved changes of an operation
 * that failed before handing work to the background).
 */
export interface Task {
  readonly node: Node;
  readonly ports: Port[];
  readonly portgroups: Portgroup[];
  readonly volumeConnectors: readonly VolumeConnector[];
  readonly volumeTargets: readonly VolumeTarget[];
  readonly driver: Driver;
  /** True when the task holds no exclusive lock: read-only work only. */
  readonly shared: boolean;
  /** Aborted when the operation is cancelled or the conductor stops. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** Takes the exclusive lock if the task was shared. */
  upgradeLock(): Promise<void>;
  /** Persists the node, its ports and portgroups as they now stand. */
  save(): Promise<void>;
  /**
   * Enrols a port inspection found on the node, stored at once and added
   * to `ports`; a port of the node with that address already is returned
   * as it is. Throws MACAlreadyExists when another node has the address.
   */
  addPort(port: NewNodePort): Promise<Port>;
  /** Keeps what inspection found (the inventory, and data about how it was gathered) for the API. */
  saveInventory(inventory: JsonObject, pluginData?: JsonObject): Promise<void>;
  /** Records the BIOS settings the hardware reports: exactly these, replacing what was known. */
  saveBiosSettings(settings: readonly BiosSettingReport[]): Promise<void>;
}

/** What inspection knows of a port it found. */
export interface NewNodePort {
  /** The MAC address, lower case with colons. */
  readonly address: string;
  readonly pxeEnabled?: boolean;
  readonly extra?: JsonObject;
}

/** A BIOS setting as hardware reports it (the registry fields are optional). */
export interface BiosSettingReport {
  readonly name: string;
  readonly value: string | null;
  readonly attributeType?: string | null;
  readonly allowableValues?: string[] | null;
  readonly readOnly?: boolean | null;
  readonly resetRequired?: boolean | null;
}

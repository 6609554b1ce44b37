import type { JsonObject } from '../../common/json.ts';
import type { Port, Portgroup } from '../../common/records.ts';
import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/** A virtual interface to attach; `id` is required, the rest pins it to one port. */
export interface VifInfo {
  readonly id: string;
  readonly port_uuid?: string;
  readonly portgroup_uuid?: string;
  readonly [key: string]: unknown;
}

/** Which networks a node is plugged into as it moves through provisioning. */
export interface NetworkInterface extends BaseInterface {
  readonly interfaceType: 'network';
  /** Reacts to a port update (e.g. refreshes DHCP); throws Conflict or FailedToUpdateDHCPOptOnPort. */
  portChanged(task: Task, port: Port): Promise<void>;
  portgroupChanged(task: Task, portgroup: Portgroup): Promise<void>;
  /** Throws NetworkError, VifAlreadyAttached or NoFreePhysicalPorts. */
  vifAttach(task: Task, vifInfo: VifInfo): Promise<void>;
  /** Throws VifNotAttached. */
  vifDetach(task: Task, vifId: string): Promise<void>;
  vifList(task: Task): Promise<{ id: string }[]>;
  /** The VIF in use on a port or portgroup right now (cleaning, provisioning, then tenant). */
  getCurrentVif(task: Task, portLike: Port | Portgroup): Promise<string | null>;
  addProvisioningNetwork(task: Task): Promise<void>;
  removeProvisioningNetwork(task: Task): Promise<void>;
  configureTenantNetworks(task: Task): Promise<void>;
  unconfigureTenantNetworks(task: Task): Promise<void>;
  /** Returns port uuid → cleaning VIF id. */
  addCleaningNetwork(task: Task): Promise<Record<string, string>>;
  removeCleaningNetwork(task: Task): Promise<void>;
  validateRescue?(task: Task): Promise<void>;
  addRescuingNetwork?(task: Task): Promise<Record<string, string>>;
  removeRescuingNetwork?(task: Task): Promise<void>;
  validateInspection?(task: Task): Promise<void>;
  addInspectionNetwork?(task: Task): Promise<Record<string, string>>;
  removeInspectionNetwork?(task: Task): Promise<void>;
  /** Whether switching networks needs the node powered on (smart NICs). */
  needPowerOn?(task: Task): boolean;
  /** Network configuration for the instance's config drive. */
  getNodeNetworkData?(task: Task): Promise<JsonObject>;
}

export abstract class NetworkBase extends InterfaceBase implements NetworkInterface {
  readonly interfaceType = 'network' as const;
  abstract portChanged(task: Task, port: Port): Promise<void>;
  abstract portgroupChanged(task: Task, portgroup: Portgroup): Promise<void>;
  abstract vifAttach(task: Task, vifInfo: VifInfo): Promise<void>;
  abstract vifDetach(task: Task, vifId: string): Promise<void>;
  abstract vifList(task: Task): Promise<{ id: string }[]>;
  abstract getCurrentVif(task: Task, portLike: Port | Portgroup): Promise<string | null>;
  abstract addProvisioningNetwork(task: Task): Promise<void>;
  abstract removeProvisioningNetwork(task: Task): Promise<void>;
  abstract configureTenantNetworks(task: Task): Promise<void>;
  abstract unconfigureTenantNetworks(task: Task): Promise<void>;
  abstract addCleaningNetwork(task: Task): Promise<Record<string, string>>;
  abstract removeCleaningNetwork(task: Task): Promise<void>;
}

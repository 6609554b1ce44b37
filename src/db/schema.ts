/**
 * The tables as Kysely sees them: snake_case columns holding only what both
 * SQLite and PostgreSQL store the same way. JSON is `text` (serialised by the
 * repositories), booleans are `integer` 0/1 (better-sqlite3 cannot bind JS
 * booleans and PostgreSQL refuses 0/1 for `boolean`), timestamps are `text`
 * ISO-8601 UTC with milliseconds (fixed width, so text order is time order).
 */

/** 0 or 1: a boolean as both databases store it. */
export type IntBool = number;
/** `Date.toISOString()`. */
export type IsoTimestamp = string;
/** `JSON.stringify` of an object. */
export type JsonText = string;

/** One `<iface>_interface` column per driver interface. */
export interface NodeInterfaceColumns {
  boot_interface: string | null;
  console_interface: string | null;
  deploy_interface: string | null;
  inspect_interface: string | null;
  management_interface: string | null;
  network_interface: string | null;
  power_interface: string | null;
  raid_interface: string | null;
  rescue_interface: string | null;
  storage_interface: string | null;
  vendor_interface: string | null;
}

export interface NodesTable extends NodeInterfaceColumns {
  uuid: string;
  /** Changes with every update of the row (a trigger keeps it); see migration 0003. */
  revision: number;
  name: string | null;
  description: string | null;
  driver: string;
  driver_info: JsonText;
  driver_internal_info: JsonText;
  instance_info: JsonText;
  instance_uuid: string | null;
  properties: JsonText;
  extra: JsonText;
  provision_state: string;
  target_provision_state: string | null;
  power_state: string | null;
  target_power_state: string | null;
  maintenance: IntBool;
  maintenance_reason: string | null;
  fault: string | null;
  last_error: string | null;
  reservation: string | null;
  conductor_affinity: string | null;
  conductor_group: string;
  console_enabled: IntBool;
  clean_step: JsonText | null;
  deploy_step: JsonText | null;
  raid_config: JsonText;
  target_raid_config: JsonText;
  resource_class: string | null;
  owner: string | null;
  lessee: string | null;
  automated_clean: IntBool | null;
  protected: IntBool;
  protected_reason: string | null;
  retired: IntBool;
  retired_reason: string | null;
  chassis_uuid: string | null;
  inspection_started_at: IsoTimestamp | null;
  inspection_finished_at: IsoTimestamp | null;
  provision_updated_at: IsoTimestamp | null;
  network_data: JsonText;
  boot_mode: string | null;
  secure_boot: IntBool | null;
  shard: string | null;
  /** Maintained by the allocations repository; no foreign key (see migration 0002). */
  allocation_uuid: string | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface NodeTraitsTable {
  node_uuid: string;
  trait: string;
}

export interface PortsTable {
  uuid: string;
  node_uuid: string;
  address: string;
  name: string | null;
  local_link_connection: JsonText;
  pxe_enabled: IntBool;
  physical_network: string | null;
  portgroup_uuid: string | null;
  internal_info: JsonText;
  extra: JsonText;
  is_smartnic: IntBool;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface PortgroupsTable {
  uuid: string;
  node_uuid: string;
  name: string | null;
  address: string | null;
  mode: string | null;
  properties: JsonText;
  standalone_ports_supported: IntBool;
  internal_info: JsonText;
  extra: JsonText;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface ChassisTable {
  uuid: string;
  description: string | null;
  extra: JsonText;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface ConductorsTable {
  hostname: string;
  conductor_group: string;
  online: IntBool;
  /** JSON array of hardware type names. */
  drivers: JsonText;
  created_at: IsoTimestamp;
  /** The last heartbeat. */
  updated_at: IsoTimestamp;
}

export interface ConductorHardwareInterfacesTable {
  conductor_hostname: string;
  hardware_type: string;
  interface_type: string;
  interface_name: string;
  is_default: IntBool;
}

export interface VolumeConnectorsTable {
  uuid: string;
  node_uuid: string;
  type: string;
  connector_id: string;
  extra: JsonText;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface VolumeTargetsTable {
  uuid: string;
  node_uuid: string;
  volume_type: string;
  volume_id: string;
  boot_index: number;
  properties: JsonText;
  extra: JsonText;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface AllocationsTable {
  uuid: string;
  name: string | null;
  node_uuid: string | null;
  state: string;
  last_error: string | null;
  resource_class: string | null;
  /** JSON array of trait names. */
  traits: JsonText;
  /** JSON array of node uuids. */
  candidate_nodes: JsonText;
  extra: JsonText;
  owner: string | null;
  conductor_affinity: string | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface DeployTemplatesTable {
  uuid: string;
  name: string;
  extra: JsonText;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface DeployTemplateStepsTable {
  template_uuid: string;
  /** 0-based place in the template's list: the order the steps were given in. */
  position: number;
  interface: string;
  step: string;
  args: JsonText;
  priority: number;
}

export interface NodeHistoryTable {
  uuid: string;
  node_uuid: string;
  conductor: string | null;
  event: string;
  event_type: string;
  severity: string;
  user: string | null;
  created_at: IsoTimestamp;
}

export interface BiosSettingsTable {
  node_uuid: string;
  name: string;
  value: string | null;
  attribute_type: string | null;
  /** JSON array of strings, or NULL. */
  allowable_values: JsonText | null;
  lower_bound: number | null;
  upper_bound: number | null;
  min_length: number | null;
  max_length: number | null;
  read_only: IntBool | null;
  reset_required: IntBool | null;
  unique: IntBool | null;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface NodeInventoryTable {
  node_uuid: string;
  inventory: JsonText;
  plugin_data: JsonText;
  created_at: IsoTimestamp;
  updated_at: IsoTimestamp | null;
}

export interface Database {
  nodes: NodesTable;
  node_traits: NodeTraitsTable;
  ports: PortsTable;
  portgroups: PortgroupsTable;
  chassis: ChassisTable;
  conductors: ConductorsTable;
  conductor_hardware_interfaces: ConductorHardwareInterfacesTable;
  volume_connectors: VolumeConnectorsTable;
  volume_targets: VolumeTargetsTable;
  allocations: AllocationsTable;
  deploy_templates: DeployTemplatesTable;
  deploy_template_steps: DeployTemplateStepsTable;
  node_history: NodeHistoryTable;
  bios_settings: BiosSettingsTable;
  node_inventory: NodeInventoryTable;
}

export type TableName = keyof Database;

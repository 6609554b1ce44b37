import { deepFreeze } from '../../common/json.ts';
import type { Selectable } from 'kysely';
import type { Node } from '../../common/records.ts';
import type { PowerState, ProvisionState } from '../../common/states.ts';
import type { NodeChanges } from '../store.ts';
import { bool, boolOrNull, date, dateOrNull, encodeFields, json, jsonOrNull } from '../codec.ts';
import type { FieldSpec } from '../codec.ts';
import type { NodesTable } from '../schema.ts';

type NodeColumn = keyof NodesTable;

/**
 * How every writable node field is stored. uuid, reservation, created_at and
 * updated_at are absent on purpose: the store owns them, and `update` must
 * never write the lock. Traits live in node_traits.
 */
export const NODE_FIELDS: {
  readonly [K in Exclude<keyof NodeChanges, 'traits'>]-?: FieldSpec<NodeColumn>;
} = {
  name: ['name', 'plain'],
  description: ['description', 'plain'],
  driver: ['driver', 'plain'],
  driverInfo: ['driver_info', 'json'],
  driverInternalInfo: ['driver_internal_info', 'json'],
  instanceInfo: ['instance_info', 'json'],
  instanceUuid: ['instance_uuid', 'plain'],
  properties: ['properties', 'json'],
  extra: ['extra', 'json'],
  provisionState: ['provision_state', 'plain'],
  targetProvisionState: ['target_provision_state', 'plain'],
  powerState: ['power_state', 'plain'],
  targetPowerState: ['target_power_state', 'plain'],
  maintenance: ['maintenance', 'bool'],
  maintenanceReason: ['maintenance_reason', 'plain'],
  fault: ['fault', 'plain'],
  lastError: ['last_error', 'plain'],
  conductorAffinity: ['conductor_affinity', 'plain'],
  conductorGroup: ['conductor_group', 'plain'],
  consoleEnabled: ['console_enabled', 'bool'],
  cleanStep: ['clean_step', 'jsonOrNull'],
  deployStep: ['deploy_step', 'jsonOrNull'],
  raidConfig: ['raid_config', 'json'],
  targetRaidConfig: ['target_raid_config', 'json'],
  resourceClass: ['resource_class', 'plain'],
  owner: ['owner', 'plain'],
  lessee: ['lessee', 'plain'],
  automatedClean: ['automated_clean', 'boolOrNull'],
  protected: ['protected', 'bool'],
  protectedReason: ['protected_reason', 'plain'],
  retired: ['retired', 'bool'],
  retiredReason: ['retired_reason', 'plain'],
  chassisUuid: ['chassis_uuid', 'plain'],
  inspectionStartedAt: ['inspection_started_at', 'date'],
  inspectionFinishedAt: ['inspection_finished_at', 'date'],
  provisionUpdatedAt: ['provision_updated_at', 'date'],
  bootInterface: ['boot_interface', 'plain'],
  consoleInterface: ['console_interface', 'plain'],
  deployInterface: ['deploy_interface', 'plain'],
  inspectInterface: ['inspect_interface', 'plain'],
  managementInterface: ['management_interface', 'plain'],
  networkInterface: ['network_interface', 'plain'],
  powerInterface: ['power_interface', 'plain'],
  raidInterface: ['raid_interface', 'plain'],
  rescueInterface: ['rescue_interface', 'plain'],
  storageInterface: ['storage_interface', 'plain'],
  vendorInterface: ['vendor_interface', 'plain'],
};

/** The columns for the given node fields, encoded; fields the store owns are dropped. */
export function nodeColumns(changes: NodeChanges): Partial<NodesTable> {
  return encodeFields<NodesTable>(NODE_FIELDS, changes);
}

/** A row as read back, with its traits (sorted). Written out field by field: it runs for every row of every sweep. */
export function nodeFromRow(row: Selectable<NodesTable>, traits: string[]): Node {
  return {
    uuid: row.uuid,
    name: row.name,
    description: row.description,
    driver: row.driver,
    driverInfo: json(row.driver_info),
    driverInternalInfo: json(row.driver_internal_info),
    instanceInfo: json(row.instance_info),
    instanceUuid: row.instance_uuid,
    properties: json(row.properties),
    extra: json(row.extra),
    provisionState: row.provision_state as ProvisionState,
    targetProvisionState: row.target_provision_state as ProvisionState | null,
    powerState: row.power_state as PowerState | null,
    targetPowerState: row.target_power_state as PowerState | null,
    maintenance: bool(row.maintenance),
    maintenanceReason: row.maintenance_reason,
    fault: row.fault,
    lastError: row.last_error,
    reservation: row.reservation,
    conductorAffinity: row.conductor_affinity,
    conductorGroup: row.conductor_group,
    consoleEnabled: bool(row.console_enabled),
    cleanStep: jsonOrNull(row.clean_step),
    deployStep: jsonOrNull(row.deploy_step),
    raidConfig: json(row.raid_config),
    targetRaidConfig: json(row.target_raid_config),
    resourceClass: row.resource_class,
    owner: row.owner,
    lessee: row.lessee,
    automatedClean: boolOrNull(row.automated_clean),
    protected: bool(row.protected),
    protectedReason: row.protected_reason,
    retired: bool(row.retired),
    retiredReason: row.retired_reason,
    traits,
    chassisUuid: row.chassis_uuid,
    inspectionStartedAt: dateOrNull(row.inspection_started_at),
    inspectionFinishedAt: dateOrNull(row.inspection_finished_at),
    provisionUpdatedAt: dateOrNull(row.provision_updated_at),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
    bootInterface: row.boot_interface,
    consoleInterface: row.console_interface,
    deployInterface: row.deploy_interface,
    inspectInterface: row.inspect_interface,
    managementInterface: row.management_interface,
    networkInterface: row.network_interface,
    powerInterface: row.power_interface,
    raidInterface: row.raid_interface,
    rescueInterface: row.rescue_interface,
    storageInterface: row.storage_interface,
    vendorInterface: row.vendor_interface,
  };
}

/** The defaults of a node created with only a driver (Ironic's enrolment defaults). */
/** Deep-frozen: a caller that spreads it must not be able to change it for everyone. */
export const NODE_DEFAULTS: Readonly<Omit<Node, 'uuid' | 'driver' | 'createdAt'>> = deepFreeze({
  name: null,
  description: null,
  driverInfo: {},
  driverInternalInfo: {},
  instanceInfo: {},
  instanceUuid: null,
  properties: {},
  extra: {},
  provisionState: 'enroll',
  targetProvisionState: null,
  powerState: null,
  targetPowerState: null,
  maintenance: false,
  maintenanceReason: null,
  fault: null,
  lastError: null,
  reservation: null,
  conductorAffinity: null,
  conductorGroup: '',
  consoleEnabled: false,
  cleanStep: null,
  deployStep: null,
  raidConfig: {},
  targetRaidConfig: {},
  resourceClass: null,
  owner: null,
  lessee: null,
  automatedClean: null,
  protected: false,
  protectedReason: null,
  retired: false,
  retiredReason: null,
  traits: [],
  chassisUuid: null,
  inspectionStartedAt: null,
  inspectionFinishedAt: null,
  provisionUpdatedAt: null,
  updatedAt: null,
  bootInterface: null,
  consoleInterface: null,
  deployInterface: null,
  inspectInterface: null,
  managementInterface: null,
  networkInterface: null,
  powerInterface: null,
  raidInterface: null,
  rescueInterface: null,
  storageInterface: null,
  vendorInterface: null,
});

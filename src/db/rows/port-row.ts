import { deepFreeze } from '../../common/json.ts';
import type { Selectable } from 'kysely';
import type { Port, Portgroup } from '../../common/records.ts';
import { bool, date, dateOrNull, encodeFields, json } from '../codec.ts';
import type { FieldSpec } from '../codec.ts';
import type { PortgroupsTable, PortsTable } from '../schema.ts';
import type { PortChanges, PortgroupChanges } from '../store.ts';

/** How every writable port field is stored (uuid is fixed at creation). */
export const PORT_FIELDS: {
  readonly [K in keyof PortChanges]-?: FieldSpec<keyof PortsTable>;
} = {
  nodeUuid: ['node_uuid', 'plain'],
  address: ['address', 'plain'],
  name: ['name', 'plain'],
  localLinkConnection: ['local_link_connection', 'json'],
  pxeEnabled: ['pxe_enabled', 'bool'],
  physicalNetwork: ['physical_network', 'plain'],
  portgroupUuid: ['portgroup_uuid', 'plain'],
  internalInfo: ['internal_info', 'json'],
  extra: ['extra', 'json'],
  isSmartnic: ['is_smartnic', 'bool'],
};

/** The store sets createdAt and updatedAt. */
export const PORT_DEFAULTS: Readonly<
  Omit<Port, 'uuid' | 'nodeUuid' | 'address' | 'createdAt' | 'updatedAt'>
> = deepFreeze({
  name: null,
  localLinkConnection: {},
  pxeEnabled: true,
  physicalNetwork: null,
  portgroupUuid: null,
  internalInfo: {},
  extra: {},
  isSmartnic: false,
});

export function portColumns(changes: PortChanges): Partial<PortsTable> {
  return encodeFields<PortsTable>(PORT_FIELDS, changes);
}

export function portFromRow(row: Selectable<PortsTable>): Port {
  return {
    uuid: row.uuid,
    nodeUuid: row.node_uuid,
    address: row.address,
    name: row.name,
    localLinkConnection: json(row.local_link_connection),
    pxeEnabled: bool(row.pxe_enabled),
    physicalNetwork: row.physical_network,
    portgroupUuid: row.portgroup_uuid,
    internalInfo: json(row.internal_info),
    extra: json(row.extra),
    isSmartnic: bool(row.is_smartnic),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

/** How every writable portgroup field is stored. */
export const PORTGROUP_FIELDS: {
  readonly [K in keyof PortgroupChanges]-?: FieldSpec<keyof PortgroupsTable>;
} = {
  nodeUuid: ['node_uuid', 'plain'],
  name: ['name', 'plain'],
  address: ['address', 'plain'],
  mode: ['mode', 'plain'],
  properties: ['properties', 'json'],
  standalonePortsSupported: ['standalone_ports_supported', 'bool'],
  internalInfo: ['internal_info', 'json'],
  extra: ['extra', 'json'],
};

export const PORTGROUP_DEFAULTS: Readonly<
  Omit<Portgroup, 'uuid' | 'nodeUuid' | 'createdAt' | 'updatedAt'>
> = deepFreeze({
  name: null,
  address: null,
  mode: null,
  properties: {},
  standalonePortsSupported: true,
  internalInfo: {},
  extra: {},
});

export function portgroupColumns(changes: PortgroupChanges): Partial<PortgroupsTable> {
  return encodeFields<PortgroupsTable>(PORTGROUP_FIELDS, changes);
}

export function portgroupFromRow(row: Selectable<PortgroupsTable>): Portgroup {
  return {
    uuid: row.uuid,
    nodeUuid: row.node_uuid,
    name: row.name,
    address: row.address,
    mode: row.mode,
    properties: json(row.properties),
    standalonePortsSupported: bool(row.standalone_ports_supported),
    internalInfo: json(row.internal_info),
    extra: json(row.extra),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

import type { Selectable } from 'kysely';
import type { VolumeConnector, VolumeTarget } from '../../common/records.ts';
import { date, dateOrNull, encodeFields, json } from '../codec.ts';
import type { FieldSpec } from '../codec.ts';
import type { VolumeConnectorsTable, VolumeTargetsTable } from '../schema.ts';

type ConnectorChanges = Partial<Omit<VolumeConnector, 'uuid' | 'createdAt' | 'updatedAt'>>;
type TargetChanges = Partial<Omit<VolumeTarget, 'uuid' | 'createdAt' | 'updatedAt'>>;

export const CONNECTOR_FIELDS: {
  readonly [K in keyof ConnectorChanges]-?: FieldSpec<keyof VolumeConnectorsTable>;
} = {
  nodeUuid: ['node_uuid', 'plain'],
  type: ['type', 'plain'],
  connectorId: ['connector_id', 'plain'],
  extra: ['extra', 'json'],
};

export const TARGET_FIELDS: {
  readonly [K in keyof TargetChanges]-?: FieldSpec<keyof VolumeTargetsTable>;
} = {
  nodeUuid: ['node_uuid', 'plain'],
  volumeType: ['volume_type', 'plain'],
  volumeId: ['volume_id', 'plain'],
  bootIndex: ['boot_index', 'plain'],
  properties: ['properties', 'json'],
  extra: ['extra', 'json'],
};

export function connectorColumns(changes: ConnectorChanges): Partial<VolumeConnectorsTable> {
  return encodeFields<VolumeConnectorsTable>(CONNECTOR_FIELDS, changes);
}

export function targetColumns(changes: TargetChanges): Partial<VolumeTargetsTable> {
  return encodeFields<VolumeTargetsTable>(TARGET_FIELDS, changes);
}

export function connectorFromRow(row: Selectable<VolumeConnectorsTable>): VolumeConnector {
  return {
    uuid: row.uuid,
    nodeUuid: row.node_uuid,
    type: row.type,
    connectorId: row.connector_id,
    extra: json(row.extra),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

export function targetFromRow(row: Selectable<VolumeTargetsTable>): VolumeTarget {
  return {
    uuid: row.uuid,
    nodeUuid: row.node_uuid,
    volumeType: row.volume_type,
    volumeId: row.volume_id,
    bootIndex: row.boot_index,
    properties: json(row.properties),
    extra: json(row.extra),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

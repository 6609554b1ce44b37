import type { FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { VolumeConnector, VolumeTarget } from '../../common/records.ts';
import { renderView, viewField } from '../collection.ts';
import type { ListingSpec, ViewTable } from '../collection.ts';
import { integerReader, objectReader, stringReader, uuidReader } from '../input.ts';
import type { WritableTable } from '../input.ts';
import { resourceLinks } from '../routes/root.ts';
import { apiTime } from './time.ts';

/** Volume connectors and targets appeared together, at API 1.32. */
export const VOLUME_MINOR = 32;

/** Sort keys are record keys, sorted in memory; `position` is the store's order: creation order. */
export type VolumeSortKey = string;

export const CONNECTOR_VIEW: ViewTable<VolumeConnector> = [
  viewField('uuid', VOLUME_MINOR, (c) => c.uuid),
  viewField('type', VOLUME_MINOR, (c) => c.type),
  viewField('connector_id', VOLUME_MINOR, (c) => c.connectorId),
  viewField('node_uuid', VOLUME_MINOR, (c) => c.nodeUuid),
  viewField('extra', VOLUME_MINOR, (c) => c.extra),
  viewField('created_at', VOLUME_MINOR, (c) => apiTime(c.createdAt)),
  viewField('updated_at', VOLUME_MINOR, (c) => apiTime(c.updatedAt)),
  viewField('links', VOLUME_MINOR, (c, r) => resourceLinks(r, `volume/connectors/${c.uuid}`)),
];

export const TARGET_VIEW: ViewTable<VolumeTarget> = [
  viewField('uuid', VOLUME_MINOR, (t) => t.uuid),
  viewField('volume_type', VOLUME_MINOR, (t) => t.volumeType),
  viewField('properties', VOLUME_MINOR, (t) => t.properties),
  viewField('boot_index', VOLUME_MINOR, (t) => t.bootIndex),
  viewField('volume_id', VOLUME_MINOR, (t) => t.volumeId),
  viewField('extra', VOLUME_MINOR, (t) => t.extra),
  viewField('node_uuid', VOLUME_MINOR, (t) => t.nodeUuid),
  viewField('created_at', VOLUME_MINOR, (t) => apiTime(t.createdAt)),
  viewField('updated_at', VOLUME_MINOR, (t) => apiTime(t.updatedAt)),
  viewField('links', VOLUME_MINOR, (t, r) => resourceLinks(r, `volume/targets/${t.uuid}`)),
];

export const CONNECTOR_LISTING: ListingSpec<VolumeConnector, VolumeSortKey> = {
  path: 'volume/connectors',
  table: CONNECTOR_VIEW,
  defaults: ['uuid', 'node_uuid', 'type', 'connector_id', 'links'],
  sortKeys: {
    id: 'position',
    created_at: 'position',
    uuid: 'uuid',
    node_uuid: 'nodeUuid',
    type: 'type',
    connector_id: 'connectorId',
  },
  unsortable: ['extra'],
  detailMinor: VOLUME_MINOR,
  markerIsUuid: true,
};

export const TARGET_LISTING: ListingSpec<VolumeTarget, VolumeSortKey> = {
  path: 'volume/targets',
  table: TARGET_VIEW,
  defaults: ['uuid', 'node_uuid', 'volume_type', 'boot_index', 'volume_id', 'links'],
  sortKeys: {
    id: 'position',
    created_at: 'position',
    uuid: 'uuid',
    node_uuid: 'nodeUuid',
    volume_type: 'volumeType',
    volume_id: 'volumeId',
    boot_index: 'bootIndex',
  },
  unsortable: ['extra', 'properties'],
  detailMinor: VOLUME_MINOR,
  markerIsUuid: true,
};

export const CONNECTOR_WRITABLE: WritableTable<VolumeConnector> = {
  uuid: { minor: VOLUME_MINOR, key: 'uuid', read: uuidReader, empty: undefined, patchable: false },
  node_uuid: { minor: VOLUME_MINOR, key: 'nodeUuid', read: uuidReader, empty: undefined },
  type: { minor: VOLUME_MINOR, key: 'type', read: stringReader(32), empty: undefined },
  connector_id: {
    minor: VOLUME_MINOR,
    key: 'connectorId',
    read: stringReader(255),
    empty: undefined,
  },
  extra: { minor: VOLUME_MINOR, key: 'extra', read: objectReader, empty: {} },
};

export const TARGET_WRITABLE: WritableTable<VolumeTarget> = {
  uuid: { minor: VOLUME_MINOR, key: 'uuid', read: uuidReader, empty: undefined, patchable: false },
  node_uuid: { minor: VOLUME_MINOR, key: 'nodeUuid', read: uuidReader, empty: undefined },
  volume_type: { minor: VOLUME_MINOR, key: 'volumeType', read: stringReader(64), empty: undefined },
  volume_id: { minor: VOLUME_MINOR, key: 'volumeId', read: stringReader(36), empty: undefined },
  boot_index: { minor: VOLUME_MINOR, key: 'bootIndex', read: integerReader, empty: undefined },
  properties: { minor: VOLUME_MINOR, key: 'properties', read: objectReader, empty: {} },
  extra: { minor: VOLUME_MINOR, key: 'extra', read: objectReader, empty: {} },
};

export const CONNECTOR_CREATE_SCHEMA = {
  type: 'object',
  required: ['node_uuid', 'type', 'connector_id'],
  properties: {
    uuid: { type: ['string', 'null'] },
    node_uuid: { type: 'string' },
    type: { type: 'string' },
    connector_id: { type: 'string' },
    extra: { type: ['object', 'null'] },
  },
  additionalProperties: false,
} as const;

export const TARGET_CREATE_SCHEMA = {
  type: 'object',
  required: ['node_uuid', 'volume_type', 'volume_id', 'boot_index'],
  properties: {
    uuid: { type: ['string', 'null'] },
    node_uuid: { type: 'string' },
    volume_type: { type: 'string' },
    volume_id: { type: 'string' },
    boot_index: { type: 'integer' },
    properties: { type: ['object', 'null'] },
    extra: { type: ['object', 'null'] },
  },
  additionalProperties: false,
} as const;

export function connectorView(
  connector: VolumeConnector,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  return renderView(CONNECTOR_VIEW, connector, request, shown);
}

export function targetView(
  target: VolumeTarget,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  return renderView(TARGET_VIEW, target, request, shown);
}

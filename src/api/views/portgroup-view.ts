import type { FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { Portgroup } from '../../common/records.ts';
import { renderView, viewField } from '../collection.ts';
import type { ListingSpec, ViewTable } from '../collection.ts';
import {
  booleanReader,
  macReader,
  nameReader,
  nullable,
  objectReader,
  stringReader,
  uuidReader,
} from '../input.ts';
import type { WritableTable } from '../input.ts';
import { resourceLinks } from '../routes/root.ts';
import { apiTime } from './time.ts';

type PortgroupSortKey = 'uuid' | 'address' | 'createdAt';

/** Every field of a portgroup (API 1.23+), with the version that introduced it. */
export const PORTGROUP_VIEW: ViewTable<Portgroup> = [
  viewField('uuid', 23, (g) => g.uuid),
  viewField('address', 23, (g) => g.address),
  viewField('name', 23, (g) => g.name),
  viewField('node_uuid', 23, (g) => g.nodeUuid),
  viewField('standalone_ports_supported', 23, (g) => g.standalonePortsSupported),
  viewField('internal_info', 23, (g) => g.internalInfo),
  viewField('extra', 23, (g) => g.extra),
  viewField('mode', 26, (g) => g.mode),
  viewField('properties', 26, (g) => g.properties),
  viewField('ports', 24, (g, r) => resourceLinks(r, `portgroups/${g.uuid}/ports`)),
  viewField('created_at', 23, (g) => apiTime(g.createdAt)),
  viewField('updated_at', 23, (g) => apiTime(g.updatedAt)),
  viewField('links', 23, (g, r) => resourceLinks(r, `portgroups/${g.uuid}`)),
];

export const PORTGROUP_LISTING: ListingSpec<Portgroup, PortgroupSortKey> = {
  path: 'portgroups',
  table: PORTGROUP_VIEW,
  defaults: ['uuid', 'address', 'name', 'links'],
  sortKeys: { id: 'createdAt', created_at: 'createdAt', uuid: 'uuid', address: 'address' },
  unsortable: ['extra', 'internal_info', 'properties'],
  detailMinor: 43,
  markerIsUuid: true,
};

/** Bonding mode of a new portgroup that names none (Ironic's default_portgroup_mode). */
export const DEFAULT_PORTGROUP_MODE = 'active-backup';

/** Every portgroup field a client may write, by API name. */
export const PORTGROUP_WRITABLE: WritableTable<Portgroup> = {
  uuid: { minor: 23, key: 'uuid', read: uuidReader, empty: undefined, patchable: false },
  node_uuid: { minor: 23, key: 'nodeUuid', read: uuidReader, empty: undefined },
  address: { minor: 23, key: 'address', read: nullable(macReader), empty: null },
  name: { minor: 23, key: 'name', read: nullable(nameReader), empty: null },
  standalone_ports_supported: {
    minor: 23,
    key: 'standalonePortsSupported',
    read: booleanReader,
    empty: true,
  },
  extra: { minor: 23, key: 'extra', read: objectReader, empty: {} },
  // Every portgroup has a bonding mode: it can be replaced, never removed.
  mode: { minor: 26, key: 'mode', read: nullable(stringReader()), empty: undefined },
  properties: { minor: 26, key: 'properties', read: objectReader, empty: {} },
};

export const PORTGROUP_CREATE_SCHEMA = {
  type: 'object',
  required: ['node_uuid'],
  properties: {
    uuid: { type: ['string', 'null'] },
    node_uuid: { type: 'string' },
    address: { type: ['string', 'null'] },
    name: { type: ['string', 'null'] },
    standalone_ports_supported: { type: ['boolean', 'string'] },
    extra: { type: ['object', 'null'] },
    mode: { type: ['string', 'null'] },
    properties: { type: ['object', 'null'] },
  },
  additionalProperties: false,
} as const;

export function portgroupView(
  portgroup: Portgroup,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  return renderView(PORTGROUP_VIEW, portgroup, request, shown);
}

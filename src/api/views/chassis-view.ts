import type { FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { Chassis } from '../../common/records.ts';
import { renderView, viewField } from '../collection.ts';
import type { ListingSpec, ViewTable } from '../collection.ts';
import { nullable, objectReader, stringReader, uuidReader } from '../input.ts';
import type { WritableTable } from '../input.ts';
import { resourceLinks } from '../routes/root.ts';
import { apiTime } from './time.ts';

/** Every field of a chassis. */
export const CHASSIS_VIEW: ViewTable<Chassis> = [
  viewField('uuid', 1, (c) => c.uuid),
  viewField('description', 1, (c) => c.description),
  viewField('extra', 1, (c) => c.extra),
  viewField('created_at', 1, (c) => apiTime(c.createdAt)),
  viewField('updated_at', 1, (c) => apiTime(c.updatedAt)),
  viewField('nodes', 1, (c, r) => resourceLinks(r, `chassis/${c.uuid}/nodes`)),
  viewField('links', 1, (c, r) => resourceLinks(r, `chassis/${c.uuid}`)),
];

export const CHASSIS_LISTING: ListingSpec<Chassis, 'uuid' | 'createdAt'> = {
  path: 'chassis',
  table: CHASSIS_VIEW,
  defaults: ['uuid', 'description', 'links'],
  sortKeys: { id: 'createdAt', created_at: 'createdAt', uuid: 'uuid' },
  unsortable: ['extra'],
  detailMinor: 43,
  markerIsUuid: true,
};

export const CHASSIS_WRITABLE: WritableTable<Chassis> = {
  uuid: { minor: 1, key: 'uuid', read: uuidReader, empty: undefined, patchable: false },
  description: { minor: 1, key: 'description', read: nullable(stringReader(255)), empty: null },
  extra: { minor: 1, key: 'extra', read: objectReader, empty: {} },
};

export const CHASSIS_CREATE_SCHEMA = {
  type: 'object',
  properties: {
    uuid: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    extra: { type: ['object', 'null'] },
  },
  additionalProperties: false,
} as const;

export function chassisView(
  chassis: Chassis,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  return renderView(CHASSIS_VIEW, chassis, request, shown);
}

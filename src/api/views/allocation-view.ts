import type { FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { Allocation } from '../../common/records.ts';
import type { AllocationSortKey } from '../../db/store.ts';
import { renderView, viewField } from '../collection.ts';
import type { ListingSpec, ViewTable } from '../collection.ts';
import { resourceLinks } from '../routes/root.ts';
import { apiTime } from './time.ts';

/** Every field of an allocation (API 1.52+), with the version that introduced it. */
export const ALLOCATION_VIEW: ViewTable<Allocation> = [
  viewField('uuid', 52, (a) => a.uuid),
  viewField('name', 52, (a) => a.name),
  viewField('node_uuid', 52, (a) => a.nodeUuid),
  viewField('state', 52, (a) => a.state),
  viewField('last_error', 52, (a) => a.lastError),
  viewField('resource_class', 52, (a) => a.resourceClass),
  viewField('candidate_nodes', 52, (a) => [...a.candidateNodes]),
  viewField('traits', 52, (a) => [...a.traits]),
  viewField('extra', 52, (a) => a.extra),
  viewField('owner', 60, (a) => a.owner),
  viewField('created_at', 52, (a) => apiTime(a.createdAt)),
  viewField('updated_at', 52, (a) => apiTime(a.updatedAt)),
  viewField('links', 52, (a, r) => resourceLinks(r, `allocations/${a.uuid}`)),
];

export const ALLOCATION_LISTING: ListingSpec<Allocation, AllocationSortKey> = {
  path: 'allocations',
  table: ALLOCATION_VIEW,
  // Allocation listings show whole allocations unless `fields` says otherwise.
  defaults: ALLOCATION_VIEW.map((f) => f.name),
  sortKeys: {
    id: 'createdAt',
    created_at: 'createdAt',
    updated_at: 'updatedAt',
    uuid: 'uuid',
    name: 'name',
    state: 'state',
    resource_class: 'resourceClass',
  },
  unsortable: ['extra', 'candidate_nodes', 'traits'],
  // Allocation listings have no `detail` argument; the query schema refuses it.
  detailMinor: 52,
  markerIsUuid: true,
};

/** Types only: what each value means is checked by the allocation input rules. */
export const ALLOCATION_CREATE_SCHEMA = {
  type: 'object',
  properties: {
    uuid: { type: ['string', 'null'] },
    name: { type: ['string', 'null'] },
    resource_class: { type: ['string', 'null'], maxLength: 80 },
    traits: { type: ['array', 'null'], items: { type: 'string' } },
    candidate_nodes: { type: ['array', 'null'], items: { type: 'string' } },
    extra: { type: ['object', 'null'] },
    node: { type: ['string', 'null'] },
    owner: { type: ['string', 'null'], maxLength: 255 },
  },
  additionalProperties: false,
} as const;

export function allocationView(
  allocation: Allocation,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  return renderView(ALLOCATION_VIEW, allocation, request, shown);
}

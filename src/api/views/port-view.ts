import type { FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { Port } from '../../common/records.ts';
import { renderView, viewField } from '../collection.ts';
import type { ListingSpec, ViewTable } from '../collection.ts';
import { resourceLinks } from '../routes/root.ts';
import { apiTime } from './time.ts';

type PortSortKey = 'uuid' | 'address' | 'createdAt';

/** Every field of a port, with the version that introduced it. */
export const PORT_VIEW: ViewTable<Port> = [
  viewField('uuid', 1, (p) => p.uuid),
  viewField('address', 1, (p) => p.address),
  viewField('node_uuid', 1, (p) => p.nodeUuid),
  viewField('extra', 1, (p) => p.extra),
  viewField('internal_info', 18, (p) => p.internalInfo),
  viewField('local_link_connection', 19, (p) => p.localLinkConnection),
  viewField('pxe_enabled', 19, (p) => p.pxeEnabled),
  viewField('portgroup_uuid', 24, (p) => p.portgroupUuid),
  viewField('physical_network', 34, (p) => p.physicalNetwork),
  viewField('is_smartnic', 53, (p) => p.isSmartnic),
  viewField('created_at', 1, (p) => apiTime(p.createdAt)),
  viewField('updated_at', 1, (p) => apiTime(p.updatedAt)),
  viewField('links', 1, (p, r) => resourceLinks(r, `ports/${p.uuid}`)),
];

export const PORT_LISTING: ListingSpec<Port, PortSortKey> = {
  path: 'ports',
  table: PORT_VIEW,
  defaults: ['uuid', 'address', 'links'],
  sortKeys: { id: 'createdAt', created_at: 'createdAt', uuid: 'uuid', address: 'address' },
  unsortable: ['extra', 'internal_info', 'local_link_connection'],
  detailMinor: 43,
  markerIsUuid: true,
};

export function portView(
  port: Port,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  return renderView(PORT_VIEW, port, request, shown);
}

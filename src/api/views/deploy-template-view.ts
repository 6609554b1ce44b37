import type { FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { DeployTemplate } from '../../common/records.ts';
import type { DeployTemplateSortKey } from '../../db/store.ts';
import { renderView, viewField } from '../collection.ts';
import type { ListingSpec, ViewTable } from '../collection.ts';
import { resourceLinks } from '../routes/root.ts';
import { maskSecrets } from './secrets.ts';
import { apiTime } from './time.ts';

/** Every field of a deploy template (API 1.55+). */
export const DEPLOY_TEMPLATE_VIEW: ViewTable<DeployTemplate> = [
  viewField('uuid', 55, (t) => t.uuid),
  viewField('name', 55, (t) => t.name),
  // Step arguments may carry passwords (BIOS settings, RAID controllers): never shown.
  viewField('steps', 55, (t) =>
    t.steps.map((s) => ({
      interface: s.interface,
      step: s.step,
      args: maskSecrets(s.args),
      priority: s.priority,
    })),
  ),
  viewField('extra', 55, (t) => t.extra),
  viewField('created_at', 55, (t) => apiTime(t.createdAt)),
  viewField('updated_at', 55, (t) => apiTime(t.updatedAt)),
  viewField('links', 55, (t, r) => resourceLinks(r, `deploy_templates/${t.uuid}`)),
];

export const DEPLOY_TEMPLATE_LISTING: ListingSpec<DeployTemplate, DeployTemplateSortKey> = {
  path: 'deploy_templates',
  table: DEPLOY_TEMPLATE_VIEW,
  defaults: ['uuid', 'name', 'links'],
  sortKeys: {
    id: 'createdAt',
    created_at: 'createdAt',
    updated_at: 'updatedAt',
    uuid: 'uuid',
    name: 'name',
  },
  unsortable: ['extra', 'steps'],
  detailMinor: 55,
  markerIsUuid: true,
};

/** Types only: names and steps are checked by the deploy template input rules. */
export const DEPLOY_TEMPLATE_CREATE_SCHEMA = {
  type: 'object',
  required: ['name', 'steps'],
  properties: {
    uuid: { type: ['string', 'null'] },
    name: { type: ['string', 'null'] },
    steps: { type: ['array', 'null'] },
    extra: { type: ['object', 'null'] },
  },
  additionalProperties: false,
} as const;

export function deployTemplateView(
  template: DeployTemplate,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  return renderView(DEPLOY_TEMPLATE_VIEW, template, request, shown);
}

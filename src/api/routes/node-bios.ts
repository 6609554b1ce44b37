import type { FastifyInstance } from 'fastify';
import type { BiosSetting } from '../../common/records.ts';
import { booleanArg, invalid, renderView, requestedFields, viewField } from '../collection.ts';
import type { ViewTable } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { atLeast } from '../microversions.ts';
import { since } from '../since.ts';
import { apiTime } from '../views/time.ts';
import { resourceLinks } from './root.ts';

/** The registry fields (1.74) tell what a setting may be set to. */
const BIOS_VIEW: ViewTable<BiosSetting> = [
  viewField('name', 40, (b) => b.name),
  viewField('value', 40, (b) => b.value),
  viewField('attribute_type', 74, (b) => b.attributeType),
  viewField('allowable_values', 74, (b) => b.allowableValues),
  viewField('lower_bound', 74, (b) => b.lowerBound),
  viewField('max_length', 74, (b) => b.maxLength),
  viewField('min_length', 74, (b) => b.minLength),
  viewField('read_only', 74, (b) => b.readOnly),
  viewField('reset_required', 74, (b) => b.resetRequired),
  viewField('unique', 74, (b) => b.unique),
  viewField('upper_bound', 74, (b) => b.upperBound),
  viewField('created_at', 40, (b) => apiTime(b.createdAt)),
  viewField('updated_at', 40, (b) => apiTime(b.updatedAt)),
  viewField('links', 40, (b, r) => resourceLinks(r, `nodes/${b.nodeUuid}/bios/${b.name}`)),
];

/** `/v1/nodes/{node}/bios` (1.40): the BIOS settings last read from the node. */
export async function nodeBiosRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', since(40));

  app.get<{ Params: { ident: string }; Querystring: { detail?: string; fields?: string } }>(
    '/nodes/:ident/bios',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { detail: { type: 'string' }, fields: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { detail: rawDetail, fields: rawFields } = request.query;
      if (
        (rawDetail !== undefined || rawFields !== undefined) &&
        !atLeast(request.apiVersion, 74)
      ) {
        throw invalid(
          'The "detail" and "fields" parameters of BIOS settings need API version 1.74.',
        );
      }
      const detail = booleanArg('detail', rawDetail) === true;
      const fields = requestedFields(request, rawFields, BIOS_VIEW);
      if (detail && fields) {
        throw invalid('Can not specify ?detail=True and fields in the same request.');
      }
      const node = await ctx.store.nodes.get(request.params.ident);
      const shown = detail ? undefined : (fields ?? new Set(['name', 'value']));
      return {
        bios: (await ctx.store.bios.list(node.uuid)).map((b) =>
          renderView(BIOS_VIEW, b, request, shown),
        ),
      };
    },
  );

  app.get<{ Params: { ident: string; name: string } }>(
    '/nodes/:ident/bios/:name',
    async (request) => {
      const node = await ctx.store.nodes.get(request.params.ident);
      const setting = await ctx.store.bios.get(node.uuid, request.params.name);
      return { [setting.name]: renderView(BIOS_VIEW, setting, request) };
    },
  );
}

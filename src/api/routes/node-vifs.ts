import type { FastifyInstance } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import { isUuid } from '../../common/uuid.ts';
import type { VifInfo } from '../../drivers/interfaces/network.ts';
import { notAcceptable } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { atLeast } from '../microversions.ts';
import { since } from '../since.ts';

/** `/v1/nodes/{node}/vifs` (1.28): virtual interfaces attached to the node's ports. */
export async function nodeVifRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', since(28));

  app.get<{ Params: { ident: string } }>('/nodes/:ident/vifs', async (request) => ({
    vifs: await ctx.conductor.vifList(request.params.ident),
  }));

  app.post<{ Params: { ident: string }; Body: VifInfo }>(
    '/nodes/:ident/vifs',
    {
      schema: {
        body: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string', minLength: 1 },
            port_uuid: { type: 'string' },
            portgroup_uuid: { type: 'string' },
          },
          // Ironic passes other keys on to the network interface.
          additionalProperties: true,
        },
      },
    },
    async (request, reply) => {
      const vif = request.body;
      for (const key of ['port_uuid', 'portgroup_uuid'] as const) {
        const value = vif[key];
        if (value === undefined) continue;
        if (!atLeast(request.apiVersion, 67)) {
          throw notAcceptable(`"${key}" needs API version 1.67 or later.`);
        }
        if (!isUuid(value)) throw new FerriteError('InvalidUUID', { uuid: value });
      }
      if (vif.port_uuid !== undefined && vif.portgroup_uuid !== undefined) {
        throw new FerriteError('InvalidParameterValue', {
          err: 'A VIF can be attached to a port or a portgroup, not both.',
        });
      }
      await ctx.conductor.vifAttach(request.params.ident, vif);
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: { ident: string; vif: string } }>(
    '/nodes/:ident/vifs/:vif',
    async (request, reply) => {
      await ctx.conductor.vifDetach(request.params.ident, request.params.vif);
      return reply.status(204).send();
    },
  );
}

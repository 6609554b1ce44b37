import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { since } from '../since.ts';
import { checkTrait } from '../traits.ts';

const TRAITS_BODY = {
  type: 'object',
  required: ['traits'],
  properties: { traits: { type: 'array', items: { type: 'string', minLength: 1 } } },
  additionalProperties: false,
} as const;

/** `/v1/nodes/{node}/traits` (1.37): the node's traits, replaced whole or one at a time. */
export async function nodeTraitRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', since(37));

  app.get<{ Params: { ident: string } }>('/nodes/:ident/traits', async (request) => ({
    traits: [...(await ctx.store.nodes.get(request.params.ident)).traits],
  }));

  app.put<{ Params: { ident: string }; Body: { traits: string[] } }>(
    '/nodes/:ident/traits',
    { schema: { body: TRAITS_BODY } },
    async (request, reply) => {
      request.body.traits.forEach(checkTrait);
      await ctx.conductor.changeTraits(request.params.ident, {
        kind: 'replace',
        traits: request.body.traits,
      });
      return reply.status(204).send();
    },
  );

  app.put<{ Params: { ident: string; trait: string } }>(
    '/nodes/:ident/traits/:trait',
    async (request, reply) => {
      checkTrait(request.params.trait);
      await ctx.conductor.changeTraits(request.params.ident, {
        kind: 'add',
        trait: request.params.trait,
      });
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: { ident: string } }>('/nodes/:ident/traits', async (request, reply) => {
    await ctx.conductor.changeTraits(request.params.ident, { kind: 'remove' });
    return reply.status(204).send();
  });

  app.delete<{ Params: { ident: string; trait: string } }>(
    '/nodes/:ident/traits/:trait',
    async (request, reply) => {
      await ctx.conductor.changeTraits(request.params.ident, {
        kind: 'remove',
        trait: request.params.trait,
      });
      return reply.status(204).send();
    },
  );
}

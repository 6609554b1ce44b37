import type { FastifyInstance } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { ApiContext } from '../context.ts';
import { since } from '../since.ts';

/**
 * A trait as Ironic accepts it: a custom one (`CUSTOM_` and A-Z, 0-9, _) or
 * a standard one. Ferrite does not ship the standard catalogue, so it takes
 * any upper-case name in the standard style (`HW_CPU_X86_AVX2`,
 * `STORAGE_DISK_SSD`).
 */
const TRAIT = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;

function checkTrait(trait: string): void {
  if (trait.length > 255 || !TRAIT.test(trait)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Invalid trait "${trait}". A valid trait must be no longer than 255 characters. A custom trait must start with the prefix CUSTOM_ and use the following characters: A-Z, 0-9 and _`,
    });
  }
}

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

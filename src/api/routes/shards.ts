import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { since } from '../since.ts';

/** `/v1/shards` (1.82): the shards nodes are divided into, with how many nodes each holds. */
export async function shardRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', since(82));

  app.get('/shards', async () => ({
    shards: (await ctx.store.nodes.shards()).map((s) => ({ name: s.name, count: s.count })),
  }));
}

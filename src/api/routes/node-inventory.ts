import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.ts';
import { since } from '../since.ts';

/** `/v1/nodes/{node}/inventory` (1.81): what inspection last found on the node. */
export async function nodeInventoryRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', since(81));

  app.get<{ Params: { ident: string } }>('/nodes/:ident/inventory', async (request) => {
    const node = await ctx.store.nodes.get(request.params.ident);
    const found = await ctx.store.inventory.get(node.uuid);
    return { inventory: found.inventory, plugin_data: found.pluginData };
  });
}

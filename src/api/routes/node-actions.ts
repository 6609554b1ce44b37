import type { FastifyInstance } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { ApiContext } from '../context.ts';
import { atLeast } from '../microversions.ts';

/** Node sub-resources that act on the node: maintenance, management, validate. */
export async function nodeActionRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.put<{ Params: { ident: string }; Body: { reason?: string } | undefined }>(
    '/nodes/:ident/maintenance',
    {
      schema: {
        body: {
          type: ['object', 'null'],
          properties: { reason: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      await ctx.conductor.setMaintenance(request.params.ident, true, request.body?.reason);
      return reply.status(202).send();
    },
  );

  app.delete<{ Params: { ident: string } }>('/nodes/:ident/maintenance', async (request, reply) => {
    await ctx.conductor.setMaintenance(request.params.ident, false);
    return reply.status(202).send();
  });

  app.get<{ Params: { ident: string } }>(
    '/nodes/:ident/management/boot_device',
    async (request) => {
      const state = await ctx.conductor.getBootDevice(request.params.ident);
      return { boot_device: state.bootDevice, persistent: state.persistent };
    },
  );

  app.get<{ Params: { ident: string } }>(
    '/nodes/:ident/management/boot_device/supported',
    async (request) => ({
      supported_boot_devices: await ctx.conductor.getSupportedBootDevices(request.params.ident),
    }),
  );

  app.put<{ Params: { ident: string }; Body: { boot_device: string; persistent?: boolean } }>(
    '/nodes/:ident/management/boot_device',
    {
      schema: {
        body: {
          type: 'object',
          required: ['boot_device'],
          properties: { boot_device: { type: 'string' }, persistent: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      await ctx.conductor.setBootDevice(
        request.params.ident,
        request.body.boot_device,
        request.body.persistent ?? false,
      );
      return reply.status(204).send();
    },
  );

  app.put<{ Params: { ident: string } }>(
    '/nodes/:ident/management/inject_nmi',
    // The request has no arguments: an empty object (or no body) only.
    { schema: { body: { type: ['object', 'null'], properties: {}, additionalProperties: false } } },
    async (request, reply) => {
      if (!atLeast(request.apiVersion, 29)) throw new FerriteError('NotFound');
      await ctx.conductor.injectNmi(request.params.ident);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: { ident: string } }>('/nodes/:ident/validate', async (request) => {
    const report = await ctx.conductor.validateNode(request.params.ident);
    const out: Record<string, { result: boolean | null; reason?: string }> = {};
    for (const [type, result] of Object.entries(report)) {
      if (type === 'rescue' && !atLeast(request.apiVersion, 38)) continue;
      if (type === 'storage' && !atLeast(request.apiVersion, 33)) continue;
      out[type] =
        result.reason === undefined
          ? { result: result.result }
          : { result: result.result, reason: result.reason };
    }
    return out;
  });
}

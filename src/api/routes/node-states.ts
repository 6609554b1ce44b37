import type { FastifyInstance } from 'fastify';
import { notAcceptable } from '../collection.ts';
import { booleanReader } from '../input.ts';
import type { JsonObject } from '../../common/json.ts';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { atLeast } from '../microversions.ts';

/** `/v1/nodes/{node}/states/…`: console, RAID target, boot mode and secure boot. */
export async function nodeStateRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Params: { ident: string } }>('/nodes/:ident/states/console', async (request) => {
    const node = await ctx.store.nodes.get(request.params.ident);
    return {
      console_enabled: node.consoleEnabled,
      console_info: node.consoleEnabled
        ? ((await ctx.conductor.getConsole(node.uuid)) as unknown as JsonObject)
        : null,
    };
  });

  app.put<{ Params: { ident: string }; Body: { enabled: boolean | string } }>(
    '/nodes/:ident/states/console',
    {
      schema: {
        body: {
          type: 'object',
          required: ['enabled'],
          properties: { enabled: { type: ['boolean', 'string'] } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const enabled = booleanReader(request.body.enabled, 'enabled') as boolean;
      await ctx.conductor.setConsoleMode(request.params.ident, enabled);
      reply.header(
        'Location',
        `${baseUrl(request)}/v1/nodes/${request.params.ident}/states/console`,
      );
      return reply.status(202).send();
    },
  );

  app.put<{ Params: { ident: string }; Body: JsonObject }>(
    '/nodes/:ident/states/raid',
    { schema: { body: { type: 'object' } } },
    async (request, reply) => {
      if (!atLeast(request.apiVersion, 12))
        throw notAcceptable('Setting the RAID target needs API version 1.12 or later.');
      await ctx.conductor.setTargetRaidConfig(request.params.ident, request.body);
      return reply.status(204).send();
    },
  );

  app.put<{ Params: { ident: string }; Body: { target: string } }>(
    '/nodes/:ident/states/boot_mode',
    {
      schema: {
        body: {
          type: 'object',
          required: ['target'],
          properties: { target: { type: 'string', enum: ['uefi', 'bios'] } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      if (!atLeast(request.apiVersion, 76))
        throw notAcceptable('Setting the boot mode needs API version 1.76 or later.');
      await ctx.conductor.setBootMode(request.params.ident, request.body.target);
      reply.header('Location', `${baseUrl(request)}/v1/nodes/${request.params.ident}/states`);
      return reply.status(202).send();
    },
  );

  app.put<{ Params: { ident: string }; Body: { target: boolean } }>(
    '/nodes/:ident/states/secure_boot',
    {
      schema: {
        body: {
          type: 'object',
          required: ['target'],
          properties: { target: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      if (!atLeast(request.apiVersion, 76))
        throw notAcceptable('Setting secure boot needs API version 1.76 or later.');
      await ctx.conductor.setSecureBoot(request.params.ident, request.body.target);
      reply.header('Location', `${baseUrl(request)}/v1/nodes/${request.params.ident}/states`);
      return reply.status(202).send();
    },
  );
}

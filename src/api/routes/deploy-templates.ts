import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { DeployTemplate } from '../../common/records.ts';
import type { NewDeployTemplate } from '../../db/store.ts';
import {
  listQuerySchema,
  pageOf,
  collectionBody,
  readListing,
  requestedFields,
} from '../collection.ts';
import type { ListQuery } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { checkPatchPaths, patchChanges, readCreateBody } from '../input.ts';
import { PATCH_BODY_SCHEMA } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import { sinceByMethod } from '../since.ts';
import { checkTemplateIdent, DEPLOY_TEMPLATE_WRITABLE } from '../views/deploy-template-input.ts';
import {
  DEPLOY_TEMPLATE_CREATE_SCHEMA,
  DEPLOY_TEMPLATE_LISTING,
  DEPLOY_TEMPLATE_VIEW,
  deployTemplateView,
} from '../views/deploy-template-view.ts';

function querySchema(detailPath: boolean) {
  return listQuerySchema(detailPath);
}

async function listTemplates(
  ctx: ApiContext,
  request: FastifyRequest<{ Querystring: ListQuery }>,
  detailPath: boolean,
): Promise<JsonObject> {
  const listing = readListing(request, request.query, DEPLOY_TEMPLATE_LISTING, detailPath);
  const templates = await ctx.store.deployTemplates.list(pageOf(listing));
  return collectionBody(
    request,
    'deploy_templates',
    `deploy_templates${detailPath ? '/detail' : ''}`,
    templates,
    listing,
    (t) => deployTemplateView(t, request, listing.shown),
    (t) => t.uuid,
  );
}

/** `/v1/deploy_templates` (API 1.55): deploy steps an instance gets by asking for a trait. */
export async function deployTemplateRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', sinceByMethod(55, 'deploy templates'));

  for (const detailPath of [false, true]) {
    app.get<{ Querystring: ListQuery }>(
      `/deploy_templates${detailPath ? '/detail' : ''}`,
      { schema: { querystring: querySchema(detailPath) } },
      (request) => listTemplates(ctx, request, detailPath),
    );
  }

  app.get<{ Params: { ident: string }; Querystring: { fields?: string } }>(
    '/deploy_templates/:ident',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { fields: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      checkTemplateIdent(request.params.ident);
      const fields = requestedFields(request, request.query.fields, DEPLOY_TEMPLATE_VIEW);
      const template = await ctx.store.deployTemplates.get(request.params.ident);
      return deployTemplateView(template, request, fields);
    },
  );

  app.post<{ Body: JsonObject }>(
    '/deploy_templates',
    { schema: { body: DEPLOY_TEMPLATE_CREATE_SCHEMA } },
    async (request, reply) => {
      const fields = readCreateBody<DeployTemplate>(
        request.body,
        DEPLOY_TEMPLATE_WRITABLE,
        request.apiVersion.minor,
        'deploy template',
      );
      // The schema requires a name and the name reader refuses null: it is there.
      const template = await ctx.store.deployTemplates.create(fields as NewDeployTemplate);
      reply.header('Location', `${baseUrl(request)}/v1/deploy_templates/${template.uuid}`);
      return reply.status(201).send(deployTemplateView(template, request));
    },
  );

  app.patch<{ Params: { ident: string }; Body: PatchOperation[] }>(
    '/deploy_templates/:ident',
    { schema: { body: PATCH_BODY_SCHEMA } },
    async (request) => {
      const ops = request.body;
      checkPatchPaths(ops, DEPLOY_TEMPLATE_WRITABLE, request.apiVersion.minor);
      checkTemplateIdent(request.params.ident);
      const template = await ctx.store.deployTemplates.get(request.params.ident);
      // The patch applies to the stored steps (not the masked view), then the result is checked whole.
      const changes = patchChanges<DeployTemplate>(template, ops, DEPLOY_TEMPLATE_WRITABLE);
      if (Object.keys(changes).length === 0) return deployTemplateView(template, request);
      const updated = await ctx.store.deployTemplates.update(template.uuid, changes);
      return deployTemplateView(updated, request);
    },
  );

  app.delete<{ Params: { ident: string } }>('/deploy_templates/:ident', async (request, reply) => {
    checkTemplateIdent(request.params.ident);
    const template = await ctx.store.deployTemplates.get(request.params.ident);
    await ctx.store.deployTemplates.delete(template.uuid);
    return reply.status(204).send();
  });
}

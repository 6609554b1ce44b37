import { NESTED_METHODS } from '../since.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { Chassis } from '../../common/records.ts';
import {
  listQuerySchema,
  pageOf,
  FIELDS_QUERY_SCHEMA,
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
import { uuidIdent } from '../references.ts';
import {
  CHASSIS_CREATE_SCHEMA,
  CHASSIS_LISTING,
  CHASSIS_VIEW,
  CHASSIS_WRITABLE,
  chassisView,
} from '../views/chassis-view.ts';
import { listNodes } from './nodes.ts';

function querySchema(detailPath: boolean) {
  return listQuerySchema(detailPath);
}

async function listChassis(
  ctx: ApiContext,
  request: FastifyRequest<{ Querystring: ListQuery }>,
  detailPath: boolean,
): Promise<JsonObject> {
  const listing = readListing(request, request.query, CHASSIS_LISTING, detailPath);
  const chassis = await ctx.store.chassis.list(pageOf(listing));
  return collectionBody(
    request,
    'chassis',
    `chassis${detailPath ? '/detail' : ''}`,
    chassis,
    listing,
    (c) => chassisView(c, request, listing.shown),
    (c) => c.uuid,
  );
}

async function listChassisNodes(
  ctx: ApiContext,
  request: FastifyRequest<{ Params: { uuid: string }; Querystring: ListQuery }>,
  detailPath: boolean,
): Promise<Buffer> {
  const chassis = await ctx.store.chassis.get(uuidIdent(request.params.uuid));
  return listNodes(ctx, request, {
    path: `chassis/${chassis.uuid}/nodes${detailPath ? '/detail' : ''}`,
    detailPath,
    scope: { chassisUuid: chassis.uuid },
  });
}

/** `/v1/chassis`: racks and enclosures, and the nodes each holds. */
export async function chassisRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  for (const detailPath of [false, true]) {
    app.get<{ Querystring: ListQuery }>(
      `/chassis${detailPath ? '/detail' : ''}`,
      { schema: { querystring: querySchema(detailPath) } },
      (request) => listChassis(ctx, request, detailPath),
    );
    app.get<{ Params: { uuid: string }; Querystring: ListQuery }>(
      `/chassis/:uuid/nodes${detailPath ? '/detail' : ''}`,
      { schema: { querystring: querySchema(detailPath) } },
      async (request, reply) =>
        reply.type('application/json').send(await listChassisNodes(ctx, request, detailPath)),
    );
  }
  // A chassis's nodes are a read-only listing: nodes are managed at /v1/nodes.
  app.route({
    method: [...NESTED_METHODS],
    url: '/chassis/:uuid/nodes/:node',
    handler: async () => {
      throw new FerriteError('OperationNotPermitted');
    },
  });

  app.get<{ Params: { uuid: string }; Querystring: { fields?: string } }>(
    '/chassis/:uuid',
    { schema: { querystring: FIELDS_QUERY_SCHEMA } },
    async (request) => {
      const fields = requestedFields(request, request.query.fields, CHASSIS_VIEW);
      const chassis = await ctx.store.chassis.get(uuidIdent(request.params.uuid));
      return chassisView(chassis, request, fields);
    },
  );

  app.post<{ Body: JsonObject }>(
    '/chassis',
    { schema: { body: CHASSIS_CREATE_SCHEMA } },
    async (request, reply) => {
      const fields = readCreateBody<Chassis>(
        request.body,
        CHASSIS_WRITABLE,
        request.apiVersion.minor,
        'chassis',
      );
      const chassis = await ctx.store.chassis.create(fields);
      reply.header('Location', `${baseUrl(request)}/v1/chassis/${chassis.uuid}`);
      return reply.status(201).send(chassisView(chassis, request));
    },
  );

  app.patch<{ Params: { uuid: string }; Body: PatchOperation[] }>(
    '/chassis/:uuid',
    { schema: { body: PATCH_BODY_SCHEMA } },
    async (request) => {
      const ops = request.body;
      checkPatchPaths(ops, CHASSIS_WRITABLE, request.apiVersion.minor);
      const chassis = await ctx.store.chassis.get(uuidIdent(request.params.uuid));
      const changes = patchChanges<Chassis>(chassis, ops, CHASSIS_WRITABLE);
      if (Object.keys(changes).length === 0) return chassisView(chassis, request);
      return chassisView(await ctx.store.chassis.update(chassis.uuid, changes), request);
    },
  );

  app.delete<{ Params: { uuid: string } }>('/chassis/:uuid', async (request, reply) => {
    await ctx.store.chassis.delete(uuidIdent(request.params.uuid));
    return reply.status(204).send();
  });
}

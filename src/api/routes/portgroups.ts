import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { Portgroup } from '../../common/records.ts';
import type { NewPortgroup, PortgroupFilter } from '../../db/store.ts';
import {
  pageOf,
  FIELDS_QUERY_SCHEMA,
  collectionBody,
  DETAIL_QUERY_PROPERTIES,
  LIST_QUERY_PROPERTIES,
  readListing,
  requestedFields,
} from '../collection.ts';
import type { ListQuery } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { checkPatchPaths, normaliseMac, patchChanges, readCreateBody } from '../input.ts';
import { PATCH_BODY_SCHEMA } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import { referencedNode } from '../references.ts';
import { since, NESTED_METHODS } from '../since.ts';
import {
  DEFAULT_PORTGROUP_MODE,
  PORTGROUP_CREATE_SCHEMA,
  PORTGROUP_LISTING,
  PORTGROUP_VIEW,
  PORTGROUP_WRITABLE,
  portgroupView,
} from '../views/portgroup-view.ts';
import { checkNodeIdent } from './ports.ts';

interface PortgroupQuery extends ListQuery {
  readonly node?: string;
  readonly address?: string;
}

function querySchema(detailPath: boolean, nested: boolean) {
  return {
    type: 'object',
    properties: {
      ...(detailPath ? DETAIL_QUERY_PROPERTIES : LIST_QUERY_PROPERTIES),
      ...(nested ? {} : { node: { type: 'string' } }),
      address: { type: 'string' },
    },
    additionalProperties: false,
  } as const;
}

async function listPortgroups(
  ctx: ApiContext,
  request: FastifyRequest<{ Querystring: PortgroupQuery }>,
  path: string,
  nodeUuid: string | undefined,
  detailPath: boolean,
): Promise<JsonObject> {
  const query = request.query;
  const listing = readListing(request, query, PORTGROUP_LISTING, detailPath);
  const filter: { -readonly [K in keyof PortgroupFilter]: PortgroupFilter[K] } = {};
  if (nodeUuid !== undefined) filter.nodeUuid = nodeUuid;
  else if (query.node !== undefined) {
    checkNodeIdent(request, query.node);
    filter.nodeUuid = (await ctx.store.nodes.get(query.node)).uuid;
  }
  if (query.address !== undefined) filter.address = normaliseMac(query.address);
  const portgroups = await ctx.store.portgroups.list(filter, pageOf(listing));
  return collectionBody(
    request,
    'portgroups',
    `${path}${detailPath ? '/detail' : ''}`,
    portgroups,
    listing,
    (g) => portgroupView(g, request, listing.shown),
    (g) => g.uuid,
  );
}

async function newPortgroupFrom(
  ctx: ApiContext,
  request: FastifyRequest,
  body: JsonObject,
): Promise<NewPortgroup> {
  const fields = readCreateBody(body, PORTGROUP_WRITABLE, request.apiVersion.minor, 'portgroup');
  const node = await referencedNode(ctx, String(fields.nodeUuid));
  return { ...fields, nodeUuid: node.uuid, mode: fields.mode ?? DEFAULT_PORTGROUP_MODE };
}

async function patchedPortgroup(
  ctx: ApiContext,
  current: Readonly<Portgroup>,
  ops: readonly PatchOperation[],
): Promise<Partial<Portgroup>> {
  const changes = patchChanges<Portgroup>(current, ops, PORTGROUP_WRITABLE);
  if (changes.nodeUuid !== undefined) {
    changes.nodeUuid = (await referencedNode(ctx, changes.nodeUuid)).uuid;
  }
  return changes;
}

/** `/v1/portgroups` (API 1.23) and a node's portgroups (`/v1/nodes/{node}/portgroups`, 1.24). */
export async function portgroupRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  for (const detailPath of [false, true]) {
    app.get<{ Querystring: PortgroupQuery }>(
      `/portgroups${detailPath ? '/detail' : ''}`,
      { onRequest: since(23), schema: { querystring: querySchema(detailPath, false) } },
      (request) => listPortgroups(ctx, request, 'portgroups', undefined, detailPath),
    );
    app.get<{ Params: { ident: string }; Querystring: PortgroupQuery }>(
      `/nodes/:ident/portgroups${detailPath ? '/detail' : ''}`,
      { onRequest: since(24), schema: { querystring: querySchema(detailPath, true) } },
      async (request) => {
        const node = await ctx.store.nodes.get(request.params.ident);
        const path = `nodes/${request.params.ident}/portgroups`;
        return listPortgroups(ctx, request, path, node.uuid, detailPath);
      },
    );
  }
  app.route({
    method: [...NESTED_METHODS],
    url: '/nodes/:ident/portgroups/:portgroup',
    onRequest: since(24),
    handler: async () => {
      throw new FerriteError('OperationNotPermitted');
    },
  });

  app.get<{ Params: { ident: string }; Querystring: { fields?: string } }>(
    '/portgroups/:ident',
    {
      onRequest: since(23),
      schema: { querystring: FIELDS_QUERY_SCHEMA },
    },
    async (request) => {
      const fields = requestedFields(request, request.query.fields, PORTGROUP_VIEW);
      return portgroupView(await ctx.store.portgroups.get(request.params.ident), request, fields);
    },
  );

  app.post<{ Body: JsonObject }>(
    '/portgroups',
    { onRequest: since(23), schema: { body: PORTGROUP_CREATE_SCHEMA } },
    async (request, reply) => {
      const portgroup = await ctx.store.portgroups.create(
        await newPortgroupFrom(ctx, request, request.body),
      );
      reply.header('Location', `${baseUrl(request)}/v1/portgroups/${portgroup.uuid}`);
      return reply.status(201).send(portgroupView(portgroup, request));
    },
  );

  app.patch<{ Params: { ident: string }; Body: PatchOperation[] }>(
    '/portgroups/:ident',
    { onRequest: since(23), schema: { body: PATCH_BODY_SCHEMA } },
    async (request) => {
      const minor = request.apiVersion.minor;
      const ops = request.body;
      checkPatchPaths(ops, PORTGROUP_WRITABLE, minor);
      const portgroup = await ctx.store.portgroups.get(request.params.ident);
      const updated = await ctx.conductor.updatePortgroup(
        portgroup,
        (current) => patchedPortgroup(ctx, current, ops),
        { allowWhileInspecting: minor < 39 },
      );
      return portgroupView(updated, request);
    },
  );

  app.delete<{ Params: { ident: string } }>(
    '/portgroups/:ident',
    { onRequest: since(23) },
    async (request, reply) => {
      const portgroup = await ctx.store.portgroups.get(request.params.ident);
      await ctx.conductor.deletePortgroup(portgroup);
      return reply.status(204).send();
    },
  );
}

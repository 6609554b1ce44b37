import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { Port } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import type { NewPort, PortFilter } from '../../db/store.ts';
import {
  pageOf,
  FIELDS_QUERY_SCHEMA,
  collectionBody,
  DETAIL_QUERY_PROPERTIES,
  LIST_QUERY_PROPERTIES,
  notAcceptable,
  readListing,
  requestedFields,
} from '../collection.ts';
import type { ListQuery } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { checkPatchPaths, normaliseMac, patchChanges, readCreateBody } from '../input.ts';
import { PATCH_BODY_SCHEMA } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import { atLeast } from '../microversions.ts';
import { referencedNode, referencedPortgroup, uuidIdent } from '../references.ts';
import { since, NESTED_METHODS } from '../since.ts';
import {
  checkNetworkTypeInBody,
  checkNetworkTypeInPatch,
  checkSmartNic,
  PORT_CREATE_SCHEMA,
  PORT_WRITABLE,
} from '../views/port-input.ts';
import { PORT_LISTING, PORT_VIEW, portView } from '../views/port-view.ts';

interface PortQuery extends ListQuery {
  readonly node?: string;
  readonly node_uuid?: string;
  readonly address?: string;
  readonly portgroup?: string;
}

const FILTER_PROPERTIES = {
  node: { type: 'string' },
  node_uuid: { type: 'string' },
  address: { type: 'string' },
  portgroup: { type: 'string' },
} as const;

function querySchema(detailPath: boolean) {
  return {
    type: 'object',
    properties: {
      ...(detailPath ? DETAIL_QUERY_PROPERTIES : LIST_QUERY_PROPERTIES),
      ...FILTER_PROPERTIES,
    },
    additionalProperties: false,
  } as const;
}

/** Where a listing comes from: all ports, or those of one node or one portgroup. */
interface PortScope {
  /** The collection's path below /v1, for the `next` link. */
  readonly path: string;
  readonly nodeUuid?: string;
  readonly portgroupUuid?: string;
}

/** Node names in query arguments exist from API 1.5. */
export function checkNodeIdent(request: FastifyRequest, ident: string): void {
  if (!isUuid(ident) && !atLeast(request.apiVersion, 5)) {
    throw notAcceptable('Node names need API version 1.5 or later; use the node UUID.');
  }
}

async function filterOf(
  ctx: ApiContext,
  request: FastifyRequest,
  query: PortQuery,
  scope: PortScope,
): Promise<PortFilter> {
  if (query.portgroup !== undefined && !atLeast(request.apiVersion, 24)) {
    throw notAcceptable('The "portgroup" argument needs API version 1.24 or later.');
  }
  const filter: { -readonly [K in keyof PortFilter]: PortFilter[K] } = {};
  const nodeIdent = query.node_uuid ?? query.node;
  if (query.node_uuid !== undefined) uuidIdent(query.node_uuid);
  if (nodeIdent !== undefined) checkNodeIdent(request, nodeIdent);
  const portgroupIdent = scope.portgroupUuid ?? query.portgroup;
  if ((scope.nodeUuid ?? nodeIdent) !== undefined && portgroupIdent !== undefined) {
    // Ironic refuses a listing by node and by portgroup at once.
    throw new FerriteError('OperationNotPermitted');
  }
  if (scope.nodeUuid !== undefined) filter.nodeUuid = scope.nodeUuid;
  else if (nodeIdent !== undefined) filter.nodeUuid = (await ctx.store.nodes.get(nodeIdent)).uuid;
  if (portgroupIdent !== undefined) {
    filter.portgroupUuid = (await ctx.store.portgroups.get(portgroupIdent)).uuid;
  }
  if (query.address !== undefined) filter.address = normaliseMac(query.address);
  return filter;
}

async function listPorts(
  ctx: ApiContext,
  request: FastifyRequest<{ Querystring: PortQuery }>,
  scope: PortScope,
  detailPath: boolean,
): Promise<JsonObject> {
  const listing = readListing(request, request.query, PORT_LISTING, detailPath);
  const filter = await filterOf(ctx, request, request.query, scope);
  const ports = await ctx.store.ports.list(filter, pageOf(listing));
  return collectionBody(
    request,
    'ports',
    `${scope.path}${detailPath ? '/detail' : ''}`,
    ports,
    listing,
    (p) => portView(p, request, listing.shown),
    (p) => p.uuid,
  );
}

/** The port a new one would be, checked before the conductor sees it. */
async function newPortFrom(
  ctx: ApiContext,
  request: FastifyRequest,
  body: JsonObject,
): Promise<NewPort> {
  const minor = request.apiVersion.minor;
  checkNetworkTypeInBody(body, minor);
  const fields = readCreateBody(body, PORT_WRITABLE, minor, 'port');
  const node = await referencedNode(ctx, String(fields.nodeUuid));
  if (fields.portgroupUuid) await referencedPortgroup(ctx, fields.portgroupUuid);
  const port = { ...fields, nodeUuid: node.uuid, address: String(fields.address) };
  checkSmartNic({
    isSmartnic: port.isSmartnic ?? false,
    localLinkConnection: port.localLinkConnection ?? {},
  });
  return port;
}

/** The changes a patch makes to a port, computed under its node's lock. */
async function patchedPort(
  ctx: ApiContext,
  current: Readonly<Port>,
  ops: readonly PatchOperation[],
): Promise<Partial<Port>> {
  const changes = patchChanges<Port>(current, ops, PORT_WRITABLE);
  if (changes.nodeUuid !== undefined) {
    changes.nodeUuid = (await referencedNode(ctx, changes.nodeUuid)).uuid;
  }
  if (changes.portgroupUuid) await referencedPortgroup(ctx, changes.portgroupUuid);
  checkSmartNic({ ...current, ...changes });
  return changes;
}

/** `/v1/ports`, and the read-only port listings of a node (`/v1/nodes/{node}/ports`). */
export async function portRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: PortQuery }>(
    '/ports',
    { schema: { querystring: querySchema(false) } },
    (request) => listPorts(ctx, request, { path: 'ports' }, false),
  );
  app.get<{ Querystring: PortQuery }>(
    '/ports/detail',
    { schema: { querystring: querySchema(true) } },
    (request) => listPorts(ctx, request, { path: 'ports' }, true),
  );

  app.get<{ Params: { uuid: string }; Querystring: { fields?: string } }>(
    '/ports/:uuid',
    { schema: { querystring: FIELDS_QUERY_SCHEMA } },
    async (request) => {
      const fields = requestedFields(request, request.query.fields, PORT_VIEW);
      const port = await ctx.store.ports.get(uuidIdent(request.params.uuid));
      return portView(port, request, fields);
    },
  );

  app.post<{ Body: JsonObject }>(
    '/ports',
    { schema: { body: PORT_CREATE_SCHEMA } },
    async (request, reply) => {
      const port = await ctx.conductor.createPort(await newPortFrom(ctx, request, request.body));
      reply.header('Location', `${baseUrl(request)}/v1/ports/${port.uuid}`);
      return reply.status(201).send(portView(port, request));
    },
  );

  app.patch<{ Params: { uuid: string }; Body: PatchOperation[] }>(
    '/ports/:uuid',
    { schema: { body: PATCH_BODY_SCHEMA } },
    async (request) => {
      const minor = request.apiVersion.minor;
      const ops = request.body;
      checkPatchPaths(ops, PORT_WRITABLE, minor);
      checkNetworkTypeInPatch(ops, minor);
      const port = await ctx.store.ports.get(uuidIdent(request.params.uuid));
      const updated = await ctx.conductor.updatePort(
        port,
        (current) => patchedPort(ctx, current, ops),
        { allowWhileInspecting: minor < 39 },
      );
      return portView(updated, request);
    },
  );

  app.delete<{ Params: { uuid: string } }>('/ports/:uuid', async (request, reply) => {
    const port = await ctx.store.ports.get(uuidIdent(request.params.uuid));
    await ctx.conductor.deletePort(port);
    return reply.status(204).send();
  });

  // A node's ports: a read-only view of /v1/ports.
  for (const detailPath of [false, true]) {
    app.get<{ Params: { ident: string }; Querystring: PortQuery }>(
      `/nodes/:ident/ports${detailPath ? '/detail' : ''}`,
      { schema: { querystring: querySchema(detailPath) } },
      async (request) => {
        const node = await ctx.store.nodes.get(request.params.ident);
        return listPorts(
          ctx,
          request,
          { path: `nodes/${request.params.ident}/ports`, nodeUuid: node.uuid },
          detailPath,
        );
      },
    );
  }
  app.route({
    method: [...NESTED_METHODS],
    url: '/nodes/:ident/ports/:uuid',
    handler: async () => {
      throw new FerriteError('OperationNotPermitted');
    },
  });
}

/** `/v1/portgroups/{portgroup}/ports` (API 1.24): the ports of one portgroup. */
export async function portgroupPortRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  for (const detailPath of [false, true]) {
    app.get<{ Params: { ident: string }; Querystring: PortQuery }>(
      `/portgroups/:ident/ports${detailPath ? '/detail' : ''}`,
      { onRequest: since(24), schema: { querystring: querySchema(detailPath) } },
      async (request) => {
        const group = await ctx.store.portgroups.get(request.params.ident);
        return listPorts(
          ctx,
          request,
          { path: `portgroups/${request.params.ident}/ports`, portgroupUuid: group.uuid },
          detailPath,
        );
      },
    );
  }
}

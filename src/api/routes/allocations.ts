import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { Allocation, AllocationState } from '../../common/records.ts';
import type { AllocationFilter } from '../../db/store.ts';
import {
  pageOf,
  collectionBody,
  notAcceptable,
  readListing,
  requestedFields,
} from '../collection.ts';
import type { ListQuery } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { patchChanges } from '../input.ts';
import { PATCH_BODY_SCHEMA } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import { atLeast } from '../microversions.ts';
import { referencedNode } from '../references.ts';
import { since, sinceByMethod } from '../since.ts';
import {
  ALLOCATION_PATCHABLE,
  checkAllocationIdent,
  checkAllocationPatch,
  newAllocationFrom,
} from '../views/allocation-input.ts';
import {
  ALLOCATION_CREATE_SCHEMA,
  ALLOCATION_LISTING,
  ALLOCATION_VIEW,
  allocationView,
} from '../views/allocation-view.ts';

interface AllocationQuery extends ListQuery {
  readonly node?: string;
  readonly resource_class?: string;
  readonly state?: string;
  readonly owner?: string;
}

const STATES: readonly AllocationState[] = ['allocating', 'active', 'error'];

/** Allocation listings take no `detail`: they show whole allocations already. */
const LIST_QUERY_SCHEMA = {
  type: 'object',
  properties: {
    fields: { type: 'string' },
    limit: { type: 'integer' },
    marker: { type: 'string' },
    sort_key: { type: 'string' },
    sort_dir: { type: 'string' },
    node: { type: 'string' },
    resource_class: { type: 'string' },
    state: { type: 'string' },
    owner: { type: 'string' },
  },
  additionalProperties: false,
} as const;

const FIELDS_QUERY_SCHEMA = {
  type: 'object',
  properties: { fields: { type: 'string' } },
  additionalProperties: false,
} as const;

async function listAllocations(
  ctx: ApiContext,
  request: FastifyRequest<{ Querystring: AllocationQuery }>,
): Promise<JsonObject> {
  const query = request.query;
  const listing = readListing(request, query, ALLOCATION_LISTING, false);
  if (query.owner !== undefined && !atLeast(request.apiVersion, 60)) {
    throw notAcceptable('The "owner" argument needs API version 1.60 or later.');
  }
  const filter: { -readonly [K in keyof AllocationFilter]: AllocationFilter[K] } = {};
  // A node named in the query that does not exist is the client's mistake (400).
  if (query.node !== undefined) filter.nodeUuid = (await referencedNode(ctx, query.node)).uuid;
  if (query.resource_class !== undefined) filter.resourceClass = query.resource_class;
  if (query.owner !== undefined) filter.owner = query.owner;
  const state = STATES.find((s) => s === query.state);
  if (state !== undefined) filter.state = state;
  // No allocation is ever in a state Ferrite does not know.
  const allocations =
    query.state !== undefined && state === undefined
      ? []
      : await ctx.store.allocations.list(filter, pageOf(listing));
  const filters = (['node', 'resource_class', 'state', 'owner'] as const)
    .filter((name) => query[name] !== undefined)
    .map((name) => `${name}=${encodeURIComponent(String(query[name]))}`);
  return collectionBody(
    request,
    'allocations',
    'allocations',
    allocations,
    { ...listing, nextParams: [...listing.nextParams, ...filters] },
    (a) => allocationView(a, request, listing.shown),
    (a) => a.uuid,
  );
}

/** The allocation holding a node; 404 when it has none. */
async function allocationOfNode(
  ctx: ApiContext,
  nodeUuid: string,
  ident: string,
): Promise<Allocation> {
  const [allocation] = await ctx.store.allocations.list({ nodeUuid }, { limit: 1 });
  if (allocation === undefined) {
    throw new FerriteError('AllocationNotFound', { allocation: `for node ${ident}` });
  }
  return allocation;
}

/** `/v1/allocations` (API 1.52): requests for a node, matched in the background or backfilled. */
export async function allocationRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const gate = sinceByMethod(52, 'allocations');

  app.get<{ Querystring: AllocationQuery }>(
    '/allocations',
    { onRequest: gate, schema: { querystring: LIST_QUERY_SCHEMA } },
    (request) => listAllocations(ctx, request),
  );

  app.get<{ Params: { ident: string }; Querystring: { fields?: string } }>(
    '/allocations/:ident',
    { onRequest: gate, schema: { querystring: FIELDS_QUERY_SCHEMA } },
    async (request) => {
      checkAllocationIdent(request.params.ident);
      const fields = requestedFields(request, request.query.fields, ALLOCATION_VIEW);
      const allocation = await ctx.store.allocations.get(request.params.ident);
      return allocationView(allocation, request, fields);
    },
  );

  app.post<{ Body: JsonObject }>(
    '/allocations',
    { onRequest: gate, schema: { body: ALLOCATION_CREATE_SCHEMA } },
    async (request, reply) => {
      const fields = await newAllocationFrom(ctx, request, request.body);
      const allocation = await ctx.conductor.createAllocation(fields);
      reply.header('Location', `${baseUrl(request)}/v1/allocations/${allocation.uuid}`);
      return reply.status(201).send(allocationView(allocation, request));
    },
  );

  app.patch<{ Params: { ident: string }; Body: PatchOperation[] }>(
    '/allocations/:ident',
    {
      onRequest: [gate, sinceByMethod(57, 'updating allocations')],
      schema: { body: PATCH_BODY_SCHEMA },
    },
    async (request) => {
      const ops = request.body;
      checkAllocationPatch(ops);
      const allocation = await ctx.store.allocations.get(request.params.ident);
      const changes = patchChanges<Allocation>(allocation, ops, ALLOCATION_PATCHABLE);
      if (Object.keys(changes).length === 0) return allocationView(allocation, request);
      const updated = await ctx.store.allocations.update(allocation.uuid, changes);
      return allocationView(updated, request);
    },
  );

  app.delete<{ Params: { ident: string } }>(
    '/allocations/:ident',
    { onRequest: gate },
    async (request, reply) => {
      checkAllocationIdent(request.params.ident);
      await ctx.conductor.deleteAllocation(request.params.ident);
      return reply.status(204).send();
    },
  );

  // A node's allocation (a node has at most one): before 1.52 every method is 404 here.
  app.get<{ Params: { ident: string }; Querystring: { fields?: string } }>(
    '/nodes/:ident/allocation',
    {
      onRequest: since(52),
      schema: { querystring: FIELDS_QUERY_SCHEMA },
    },
    async (request) => {
      const fields = requestedFields(request, request.query.fields, ALLOCATION_VIEW);
      // As for the listing's node filter, a missing node is a bad argument (400).
      const node = await referencedNode(ctx, request.params.ident);
      return allocationView(
        await allocationOfNode(ctx, node.uuid, request.params.ident),
        request,
        fields,
      );
    },
  );

  app.delete<{ Params: { ident: string } }>(
    '/nodes/:ident/allocation',
    { onRequest: since(52) },
    async (request, reply) => {
      const node = await ctx.store.nodes.get(request.params.ident);
      const allocation = await allocationOfNode(ctx, node.uuid, request.params.ident);
      await ctx.conductor.deleteAllocation(allocation.uuid);
      return reply.status(204).send();
    },
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROVISION_VERBS } from '../../common/fsm.ts';
import type { ProvisionVerb } from '../../common/fsm.ts';
import type { JsonObject } from '../../common/json.ts';
import { FerriteError } from '../../common/errors.ts';
import type { Node } from '../../common/records.ts';
import type { RequestablePowerState } from '../../common/states.ts';
import type { NewNode, NodeFilter } from '../../db/store.ts';
import type { StepRequest } from '../../drivers/steps.ts';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { atLeast } from '../microversions.ts';
import { NODE_LISTING, NODE_VIEW, nodeView } from '../views/node-view.ts';
import {
  pageOf,
  FIELDS_QUERY_SCHEMA,
  booleanArg,
  nextLink,
  invalid,
  LIST_QUERY_PROPERTIES,
  readListing,
  requestedFields,
  notAcceptable,
} from '../collection.ts';
import type { ListQuery } from '../collection.ts';
import { resourceLinks } from './root.ts';
import { checkChassis } from './node-update.ts';
import { NODE_CREATE_SCHEMA, readNodeFields } from '../views/node-input.ts';

/** The listing arguments every collection takes, and the node filters. */
interface NodeQuery extends ListQuery {
  provision_state?: string;
  driver?: string;
  maintenance?: string;
  associated?: string;
  resource_class?: string;
  conductor_group?: string;
  fault?: string;
  owner?: string;
  lessee?: string;
  chassis_uuid?: string;
  instance_uuid?: string;
  conductor?: string;
  description_contains?: string;
  retired?: string;
  shard?: string;
  sharded?: string;
}

const LIST_QUERY_SCHEMA = {
  type: 'object',
  properties: {
    ...LIST_QUERY_PROPERTIES,
    provision_state: { type: 'string' },
    driver: { type: 'string' },
    maintenance: { type: 'string' },
    associated: { type: 'string' },
    resource_class: { type: 'string' },
    conductor_group: { type: 'string' },
    fault: { type: 'string' },
    owner: { type: 'string' },
    lessee: { type: 'string' },
    chassis_uuid: { type: 'string' },
    instance_uuid: { type: 'string' },
    conductor: { type: 'string' },
    description_contains: { type: 'string' },
    retired: { type: 'string' },
    shard: { type: 'string' },
    sharded: { type: 'string' },
  },
  additionalProperties: false,
} as const;

/** Filters that appeared after 1.1, with their version. */
const NEWER_FILTERS: readonly (readonly [keyof NodeQuery, number])[] = [
  ['driver', 16],
  ['resource_class', 21],
  ['fault', 42],
  ['conductor_group', 46],
  ['conductor', 49],
  ['owner', 50],
  ['description_contains', 51],
  ['retired', 61],
  ['lessee', 65],
  ['shard', 82],
  ['sharded', 82],
];

function filterOf(request: FastifyRequest, query: NodeQuery): NodeFilter {
  for (const [name, minor] of NEWER_FILTERS) {
    if (query[name] !== undefined && !atLeast(request.apiVersion, minor)) {
      throw notAcceptable(`The "${name}" filter needs API version 1.${minor} or later.`);
    }
  }
  const filter: { -readonly [K in keyof NodeFilter]: NodeFilter[K] } = {};
  if (query.conductor !== undefined) filter.conductorAffinity = query.conductor;
  if (query.description_contains !== undefined)
    filter.descriptionContains = query.description_contains;
  const retired = booleanArg('retired', query.retired);
  if (retired !== undefined) filter.retired = retired;
  if (query.shard !== undefined) {
    filter.shard = query.shard
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  const sharded = booleanArg('sharded', query.sharded);
  if (sharded !== undefined) filter.sharded = sharded;
  if (query.provision_state !== undefined)
    filter.provisionState = query.provision_state as Node['provisionState'];
  if (query.driver !== undefined) filter.driver = query.driver;
  const maintenance = booleanArg('maintenance', query.maintenance);
  if (maintenance !== undefined) filter.maintenance = maintenance;
  const associated = booleanArg('associated', query.associated);
  if (associated !== undefined) filter.associated = associated;
  if (query.resource_class !== undefined) filter.resourceClass = query.resource_class;
  if (query.conductor_group !== undefined) filter.conductorGroup = query.conductor_group;
  if (query.fault !== undefined) filter.fault = query.fault;
  if (query.owner !== undefined) filter.owner = query.owner;
  if (query.lessee !== undefined) filter.lessee = query.lessee;
  if (query.chassis_uuid !== undefined) filter.chassisUuid = query.chassis_uuid;
  if (query.instance_uuid !== undefined) filter.instanceUuid = query.instance_uuid;
  return filter;
}

/** What a node's JSON depends on besides the node: the version, the fields shown, the base URL. */
function viewVariant(request: FastifyRequest, shown: ReadonlySet<string> | undefined): string {
  return `${request.apiVersion.minor}|${shown ? [...shown].join(',') : '*'}|${baseUrl(request)}`;
}

/**
 * One node's JSON text, from the cache while the node's revision has not
 * moved: a read of one node costs a lookup of its revision.
 */
async function nodeJson(
  ctx: ApiContext,
  request: FastifyRequest,
  ident: string,
  shown: ReadonlySet<string> | undefined,
): Promise<Buffer> {
  const revised = await ctx.store.nodes.revisionOf(ident);
  if (revised === undefined) throw new FerriteError('NodeNotFound', { node: ident });
  const variant = viewVariant(request, shown);
  const cached = ctx.nodeJson.get(revised.uuid, revised.revision, variant);
  if (cached !== undefined) return cached;
  const [fresh] = await ctx.store.nodes.getWithRevisions([revised.uuid]);
  // Deleted in between.
  if (fresh === undefined) throw new FerriteError('NodeNotFound', { node: ident });
  const json = Buffer.from(JSON.stringify(nodeView(fresh.node, request, shown)));
  ctx.nodeJson.set(fresh.node.uuid, fresh.revision, variant, json);
  return json;
}

const NODES_OPEN = Buffer.from('{"nodes":[');
const COMMA = Buffer.from(',');

/**
 * One page of nodes, as `/v1/nodes`, `/v1/nodes/detail` and the nodes of a
 * chassis list them: filtered by the query and by `scope`, with `next`; the
 * answer's JSON text. The page is read as uuids and revisions; only nodes
 * changed since their view was last written are read and viewed again.
 */
export async function listNodes(
  ctx: ApiContext,
  request: FastifyRequest<{ Querystring: NodeQuery }>,
  options: { readonly path: string; readonly detailPath: boolean; readonly scope?: NodeFilter },
): Promise<Buffer> {
  const q = request.query;
  if (q.detail !== undefined && options.detailPath) {
    throw invalid('The "detail" parameter is for /v1/nodes, not /v1/nodes/detail.');
  }
  const listing = readListing(request, q, NODE_LISTING, options.detailPath);
  const rows = await ctx.store.nodes.revisions(
    { ...filterOf(request, q), ...options.scope },
    pageOf(listing),
  );
  const more = rows.length > listing.limit;
  const page = more ? rows.slice(0, listing.limit) : rows;
  const variant = viewVariant(request, listing.shown);
  const cache = ctx.nodeJson;
  const stale = page.filter((r) => cache.get(r.uuid, r.revision, variant) === undefined);
  const fresh = new Map<string, Buffer>();
  for (const { node, revision } of await ctx.store.nodes.getWithRevisions(
    stale.map((r) => r.uuid),
  )) {
    const json = Buffer.from(JSON.stringify(nodeView(node, request, listing.shown)));
    cache.set(node.uuid, revision, variant, json);
    fresh.set(node.uuid, json);
  }
  const parts: Buffer[] = [NODES_OPEN];
  for (const r of page) {
    // A node deleted since the page was read is left out; one changed since is shown as it is now.
    const json = cache.get(r.uuid, r.revision, variant) ?? fresh.get(r.uuid);
    if (json === undefined) continue;
    if (parts.length > 1) parts.push(COMMA);
    parts.push(json);
  }
  const last = page[page.length - 1];
  const next =
    more && last !== undefined
      ? `,"next":${JSON.stringify(nextLink(request, options.path, listing, last.uuid))}`
      : '';
  parts.push(Buffer.from(`]${next}}`));
  return Buffer.concat(parts);
}

function newNodeFrom(request: FastifyRequest, body: JsonObject): NewNode {
  const fields = readNodeFields(body, request.apiVersion.minor) as NewNode;
  return {
    ...fields,
    // Before 1.11 a node starts available, as it did in Ironic then.
    provisionState: atLeast(request.apiVersion, 11) ? 'enroll' : 'available',
  };
}

/** `/v1/nodes`: the fleet. */
export async function nodeRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Querystring: NodeQuery }>(
    '/nodes',
    { schema: { querystring: LIST_QUERY_SCHEMA } },
    async (request, reply) =>
      reply
        .type('application/json')
        .send(await listNodes(ctx, request, { path: 'nodes', detailPath: false })),
  );
  app.get<{ Querystring: NodeQuery }>(
    '/nodes/detail',
    { schema: { querystring: LIST_QUERY_SCHEMA } },
    async (request, reply) =>
      reply
        .type('application/json')
        .send(await listNodes(ctx, request, { path: 'nodes/detail', detailPath: true })),
  );

  app.get<{ Params: { ident: string }; Querystring: { fields?: string } }>(
    '/nodes/:ident',
    { schema: { querystring: FIELDS_QUERY_SCHEMA } },
    async (request, reply) => {
      const fields = requestedFields(request, request.query.fields, NODE_VIEW);
      const json = await nodeJson(ctx, request, request.params.ident, fields);
      return reply.type('application/json').send(json);
    },
  );

  app.post<{ Body: JsonObject }>(
    '/nodes',
    { schema: { body: NODE_CREATE_SCHEMA } },
    async (request, reply) => {
      const fields = newNodeFrom(request, request.body);
      if (fields.chassisUuid) await checkChassis(ctx, fields.chassisUuid);
      const node = await ctx.conductor.createNode(fields);
      reply.header('Location', `${baseUrl(request)}/v1/nodes/${node.uuid}`);
      return reply.status(201).send(nodeView(node, request));
    },
  );

  app.delete<{ Params: { ident: string } }>('/nodes/:ident', async (request, reply) => {
    await ctx.conductor.deleteNode(request.params.ident);
    return reply.status(204).send();
  });

  app.get<{ Params: { ident: string } }>('/nodes/:ident/states', async (request) => {
    const node = await ctx.store.nodes.get(request.params.ident);
    const view = nodeView(
      node,
      request,
      new Set([
        'power_state',
        'target_power_state',
        'provision_state',
        'target_provision_state',
        'provision_updated_at',
        'last_error',
        'console_enabled',
        'raid_config',
        'target_raid_config',
        'boot_mode',
        'secure_boot',
      ]),
    );
    return atLeast(request.apiVersion, 14)
      ? { ...view, links: resourceLinks(request, `nodes/${node.uuid}/states`) }
      : view;
  });

  app.put<{ Params: { ident: string }; Body: { target: string; timeout?: number } }>(
    '/nodes/:ident/states/power',
    {
      schema: {
        body: {
          type: 'object',
          required: ['target'],
          properties: { target: { type: 'string' }, timeout: { type: 'integer' } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { target, timeout } = request.body;
      const known = ['power on', 'power off', 'rebooting', 'soft power off', 'soft rebooting'];
      if (!known.includes(target))
        throw invalid(`Invalid power state ${target}; valid are: ${known.join(', ')}`);
      if (
        (target.startsWith('soft') || timeout !== undefined) &&
        !atLeast(request.apiVersion, 27)
      ) {
        throw invalid('Soft power actions and the timeout need API version 1.27 or later.');
      }
      await ctx.conductor.changePowerState(
        request.params.ident,
        target as RequestablePowerState,
        timeout,
      );
      reply.header('Location', `${baseUrl(request)}/v1/nodes/${request.params.ident}/states`);
      return reply.status(202).send();
    },
  );

  app.put<{
    Params: { ident: string };
    Body: {
      target: string;
      clean_steps?: StepRequest[];
      deploy_steps?: StepRequest[];
      service_steps?: StepRequest[];
      configdrive?: JsonObject | string;
      rescue_password?: string;
    };
  }>(
    '/nodes/:ident/states/provision',
    {
      schema: {
        body: {
          type: 'object',
          required: ['target'],
          properties: {
            target: { type: 'string' },
            clean_steps: { type: 'array', items: { type: 'object' } },
            deploy_steps: { type: 'array', items: { type: 'object' } },
            service_steps: { type: 'array', items: { type: 'object' } },
            configdrive: { type: ['object', 'string'] },
            rescue_password: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!(body.target in PROVISION_VERBS))
        throw invalid(`"${body.target}" is not a valid provision state target.`);
      await ctx.conductor.changeProvisionState(request.params.ident, body.target as ProvisionVerb, {
        ...(body.clean_steps ? { cleanSteps: body.clean_steps } : {}),
        ...(body.deploy_steps ? { deploySteps: body.deploy_steps } : {}),
        ...(body.service_steps ? { serviceSteps: body.service_steps } : {}),
        ...(body.configdrive !== undefined ? { configdrive: body.configdrive } : {}),
        ...(body.rescue_password !== undefined ? { rescuePassword: body.rescue_password } : {}),
      });
      reply.header('Location', `${baseUrl(request)}/v1/nodes/${request.params.ident}/states`);
      return reply.status(202).send();
    },
  );
}

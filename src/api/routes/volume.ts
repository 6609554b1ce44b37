import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { VolumeConnector, VolumeTarget } from '../../common/records.ts';
import type { Conductor } from '../../conductor/conductor.ts';
import type { Store } from '../../db/store.ts';
import {
  FIELDS_QUERY_SCHEMA,
  collectionBody,
  LIST_QUERY_PROPERTIES,
  pageInMemory,
  readListing,
  requestedFields,
} from '../collection.ts';
import type { ListingSpec, ListQuery } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { checkPatchPaths, patchChanges, readCreateBody } from '../input.ts';
import type { WritableTable } from '../input.ts';
import { PATCH_BODY_SCHEMA } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import { referencedNode, uuidIdent } from '../references.ts';
import { since, NESTED_METHODS } from '../since.ts';
import {
  CONNECTOR_CREATE_SCHEMA,
  CONNECTOR_LISTING,
  CONNECTOR_WRITABLE,
  connectorView,
  TARGET_CREATE_SCHEMA,
  TARGET_LISTING,
  TARGET_WRITABLE,
  targetView,
  VOLUME_MINOR,
} from '../views/volume-view.ts';
import { checkNodeIdent } from './ports.ts';
import { resourceLinks } from './root.ts';

type VolumeRecord = VolumeConnector | VolumeTarget;

/** What differs between connectors and targets; the routes are the same. */
interface VolumeKind<R extends VolumeRecord> {
  /** `connectors` or `targets`: the path segment and the listing's key. */
  readonly name: string;
  /** For "Unknown attribute for argument …". */
  readonly argument: string;
  readonly listing: ListingSpec<R, string>;
  readonly writable: WritableTable<R>;
  readonly createSchema: object;
  readonly view: (record: R, request: FastifyRequest, shown?: ReadonlySet<string>) => JsonObject;
  readonly list: (store: Store, nodeUuid?: string) => Promise<R[]>;
  readonly get: (store: Store, uuid: string) => Promise<R>;
  readonly create: (store: Store, fields: Partial<R>) => Promise<R>;
  readonly update: (
    conductor: Conductor,
    record: R,
    update: (current: Readonly<R>) => Promise<Partial<R>>,
  ) => Promise<R>;
  readonly remove: (conductor: Conductor, record: R) => Promise<void>;
  readonly notFound: (uuid: string) => FerriteError;
}

const CONNECTORS: VolumeKind<VolumeConnector> = {
  name: 'connectors',
  argument: 'volume_connector',
  listing: CONNECTOR_LISTING,
  writable: CONNECTOR_WRITABLE,
  createSchema: CONNECTOR_CREATE_SCHEMA,
  view: connectorView,
  list: (store, nodeUuid) =>
    store.volumes.listConnectors(nodeUuid === undefined ? {} : { nodeUuid }),
  get: (store, uuid) => store.volumes.getConnector(uuid),
  create: (store, fields) =>
    store.volumes.createConnector({
      ...fields,
      nodeUuid: String(fields.nodeUuid),
      type: String(fields.type),
      connectorId: String(fields.connectorId),
    }),
  update: (conductor, record, update) => conductor.updateVolumeConnector(record, update),
  remove: (conductor, record) => conductor.deleteVolumeConnector(record),
  notFound: (uuid) => new FerriteError('VolumeConnectorNotFound', { connector: uuid }),
};

const TARGETS: VolumeKind<VolumeTarget> = {
  name: 'targets',
  argument: 'volume_target',
  listing: TARGET_LISTING,
  writable: TARGET_WRITABLE,
  createSchema: TARGET_CREATE_SCHEMA,
  view: targetView,
  list: (store, nodeUuid) => store.volumes.listTargets(nodeUuid === undefined ? {} : { nodeUuid }),
  get: (store, uuid) => store.volumes.getTarget(uuid),
  create: (store, fields) =>
    store.volumes.createTarget({
      ...fields,
      nodeUuid: String(fields.nodeUuid),
      volumeType: String(fields.volumeType),
      volumeId: String(fields.volumeId),
      bootIndex: Number(fields.bootIndex),
    }),
  update: (conductor, record, update) => conductor.updateVolumeTarget(record, update),
  remove: (conductor, record) => conductor.deleteVolumeTarget(record),
  notFound: (uuid) => new FerriteError('VolumeTargetNotFound', { target: uuid }),
};

interface VolumeQuery extends ListQuery {
  readonly node?: string;
}

function querySchema(nested: boolean) {
  return {
    type: 'object',
    properties: { ...LIST_QUERY_PROPERTIES, ...(nested ? {} : { node: { type: 'string' } }) },
    additionalProperties: false,
  } as const;
}

/** The value a record sorts by: its place in the store's (creation) order, or a field. */
function sortValue(
  positions: ReadonlyMap<string, number>,
): (record: VolumeRecord, key: string) => string | number | null {
  return (record, key) => {
    if (key === 'position') return positions.get(record.uuid) ?? 0;
    const value = (record as unknown as Record<string, unknown>)[key];
    return typeof value === 'string' || typeof value === 'number' ? value : null;
  };
}

async function listVolume<R extends VolumeRecord>(
  ctx: ApiContext,
  kind: VolumeKind<R>,
  request: FastifyRequest<{ Querystring: VolumeQuery }>,
  path: string,
  nodeIdent: string | undefined,
): Promise<JsonObject> {
  const listing = readListing(request, request.query, kind.listing, false);
  let nodeUuid: string | undefined;
  if (nodeIdent !== undefined) {
    checkNodeIdent(request, nodeIdent);
    nodeUuid = (await ctx.store.nodes.get(nodeIdent)).uuid;
  }
  // Volume records are few per node: the store returns them whole, in creation order.
  const all = await kind.list(ctx.store, nodeUuid);
  const positions = new Map(all.map((r, i) => [r.uuid, i]));
  const page = pageInMemory(all, listing, sortValue(positions), (r) => r.uuid, kind.notFound);
  return collectionBody(
    request,
    kind.name,
    path,
    page,
    listing,
    (r) => kind.view(r, request, listing.shown),
    (r) => r.uuid,
  );
}

/** The changes a patch makes, with a node it moves to checked (400 if missing). */
async function patched<R extends VolumeRecord>(
  ctx: ApiContext,
  kind: VolumeKind<R>,
  current: Readonly<R>,
  ops: readonly PatchOperation[],
): Promise<Partial<R>> {
  const changes = patchChanges<R>(current, ops, kind.writable);
  const moved = (changes as Partial<VolumeRecord>).nodeUuid;
  if (moved !== undefined) {
    (changes as Partial<VolumeRecord>).nodeUuid = (await referencedNode(ctx, moved)).uuid;
  }
  return changes;
}

function kindRoutes<R extends VolumeRecord>(
  app: FastifyInstance,
  ctx: ApiContext,
  kind: VolumeKind<R>,
): void {
  const base = `/volume/${kind.name}`;
  const onRequest = since(VOLUME_MINOR);
  app.get<{ Querystring: VolumeQuery }>(
    base,
    { onRequest, schema: { querystring: querySchema(false) } },
    (request) => listVolume(ctx, kind, request, `volume/${kind.name}`, request.query.node),
  );
  app.get<{ Params: { ident: string }; Querystring: VolumeQuery }>(
    `/nodes/:ident/volume/${kind.name}`,
    { onRequest, schema: { querystring: querySchema(true) } },
    (request) =>
      listVolume(
        ctx,
        kind,
        request,
        `nodes/${request.params.ident}/volume/${kind.name}`,
        request.params.ident,
      ),
  );
  app.route({
    method: [...NESTED_METHODS],
    url: `/nodes/:ident/volume/${kind.name}/:uuid`,
    onRequest,
    handler: async () => {
      throw new FerriteError('OperationNotPermitted');
    },
  });

  app.get<{ Params: { uuid: string }; Querystring: { fields?: string } }>(
    `${base}/:uuid`,
    {
      onRequest,
      schema: { querystring: FIELDS_QUERY_SCHEMA },
    },
    async (request) => {
      const fields = requestedFields(request, request.query.fields, kind.listing.table);
      const record = await kind.get(ctx.store, uuidIdent(request.params.uuid));
      return kind.view(record, request, fields);
    },
  );

  app.post<{ Body: JsonObject }>(
    base,
    { onRequest, schema: { body: kind.createSchema } },
    async (request, reply) => {
      const fields = readCreateBody(
        request.body,
        kind.writable,
        request.apiVersion.minor,
        kind.argument,
      );
      const node = await referencedNode(ctx, String((fields as Partial<VolumeRecord>).nodeUuid));
      const record = await kind.create(ctx.store, { ...fields, nodeUuid: node.uuid });
      reply.header('Location', `${baseUrl(request)}/v1${base}/${record.uuid}`);
      return reply.status(201).send(kind.view(record, request));
    },
  );

  app.patch<{ Params: { uuid: string }; Body: PatchOperation[] }>(
    `${base}/:uuid`,
    { onRequest, schema: { body: PATCH_BODY_SCHEMA } },
    async (request) => {
      const ops = request.body;
      checkPatchPaths(ops, kind.writable, request.apiVersion.minor);
      const record = await kind.get(ctx.store, uuidIdent(request.params.uuid));
      const updated = await kind.update(ctx.conductor, record, (current) =>
        patched(ctx, kind, current, ops),
      );
      return kind.view(updated, request);
    },
  );

  app.delete<{ Params: { uuid: string } }>(
    `${base}/:uuid`,
    { onRequest },
    async (request, reply) => {
      const record = await kind.get(ctx.store, uuidIdent(request.params.uuid));
      await kind.remove(ctx.conductor, record);
      return reply.status(204).send();
    },
  );
}

/** The links of a volume root: itself, its connectors and its targets. */
function volumeRoot(request: FastifyRequest, path: string): JsonObject {
  return {
    connectors: resourceLinks(request, `${path}/connectors`),
    targets: resourceLinks(request, `${path}/targets`),
    links: resourceLinks(request, `${path}/`),
  };
}

/** `/v1/volume` (API 1.32): how nodes reach remote storage — connectors and targets. */
export async function volumeRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const onRequest = since(VOLUME_MINOR);
  app.get('/volume', { onRequest }, async (request) => volumeRoot(request, 'volume'));
  app.get<{ Params: { ident: string } }>('/nodes/:ident/volume', { onRequest }, async (request) => {
    const node = await ctx.store.nodes.get(request.params.ident);
    return volumeRoot(request, `nodes/${node.uuid}/volume`);
  });
  kindRoutes(app, ctx, CONNECTORS);
  kindRoutes(app, ctx, TARGETS);
}

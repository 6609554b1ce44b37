import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import type { Conductor as ConductorRecord } from '../../common/records.ts';
import { FerriteError } from '../../common/errors.ts';
import {
  FIELDS_QUERY_SCHEMA,
  collectionBody,
  LIST_QUERY_PROPERTIES,
  pageInMemory,
  readListing,
  renderView,
  requestedFields,
  viewField,
} from '../collection.ts';
import type { ListingSpec, ListQuery, ViewTable } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { since } from '../since.ts';
import { resourceLinks } from './root.ts';
import { apiTime } from '../views/time.ts';

/** Conductors appeared at API 1.49. */
const CONDUCTORS_MINOR = 49;

/** A conductor with whether it is alive, which the view needs besides the stored row. */
interface ConductorState {
  readonly record: ConductorRecord;
  readonly alive: boolean;
}

const CONDUCTOR_VIEW: ViewTable<ConductorState> = [
  viewField('hostname', CONDUCTORS_MINOR, (c) => c.record.hostname),
  viewField('conductor_group', CONDUCTORS_MINOR, (c) => c.record.conductorGroup),
  viewField('alive', CONDUCTORS_MINOR, (c) => c.alive),
  viewField('drivers', CONDUCTORS_MINOR, (c) => [...c.record.drivers]),
  viewField('created_at', CONDUCTORS_MINOR, (c) => apiTime(c.record.createdAt)),
  viewField('updated_at', CONDUCTORS_MINOR, (c) => apiTime(c.record.updatedAt)),
  viewField('links', CONDUCTORS_MINOR, (c, r) =>
    resourceLinks(r, `conductors/${encodeURIComponent(c.record.hostname)}`),
  ),
];

const CONDUCTOR_LISTING: ListingSpec<ConductorState, string> = {
  path: 'conductors',
  table: CONDUCTOR_VIEW,
  defaults: ['hostname', 'conductor_group', 'alive', 'links'],
  sortKeys: {
    id: 'createdAt',
    created_at: 'createdAt',
    updated_at: 'updatedAt',
    hostname: 'hostname',
    conductor_group: 'conductorGroup',
  },
  unsortable: ['alive', 'drivers'],
  detailMinor: CONDUCTORS_MINOR,
  // A conductor is known by its hostname: the marker is one.
  markerIsUuid: false,
};

/** Alive: online, with a heartbeat within the conductor's heartbeat timeout. */
function stateOf(ctx: ApiContext, record: ConductorRecord): ConductorState {
  const conductor = ctx.conductor;
  const oldest = conductor.clock.now() - conductor.config.heartbeatTimeoutMs;
  return { record, alive: record.online && record.updatedAt.getTime() >= oldest };
}

function sortValue(state: ConductorState, key: string): string | number {
  const r = state.record;
  if (key === 'createdAt') return r.createdAt.getTime();
  if (key === 'updatedAt') return r.updatedAt.getTime();
  if (key === 'conductorGroup') return r.conductorGroup;
  return r.hostname;
}

async function listConductors(
  ctx: ApiContext,
  request: FastifyRequest<{ Querystring: ListQuery }>,
): Promise<JsonObject> {
  const listing = readListing(request, request.query, CONDUCTOR_LISTING, false);
  // Conductors are few: the store returns them all and the page is cut here.
  const all = (await ctx.store.conductors.list()).map((c) => stateOf(ctx, c));
  const page = pageInMemory(
    all,
    listing,
    sortValue,
    (c) => c.record.hostname,
    (marker) => new FerriteError('ConductorNotFound', { conductor: marker }),
  );
  return collectionBody(
    request,
    'conductors',
    'conductors',
    page,
    listing,
    (c) => renderView(CONDUCTOR_VIEW, c, request, listing.shown),
    (c) => c.record.hostname,
  );
}

/** `/v1/conductors` (API 1.49): the conductors registered, and which are alive. */
export async function conductorRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const onRequest = since(CONDUCTORS_MINOR);
  app.get<{ Querystring: ListQuery }>(
    '/conductors',
    {
      onRequest,
      schema: {
        querystring: {
          type: 'object',
          properties: LIST_QUERY_PROPERTIES,
          additionalProperties: false,
        },
      },
    },
    (request) => listConductors(ctx, request),
  );
  app.get<{ Params: { hostname: string }; Querystring: { fields?: string } }>(
    '/conductors/:hostname',
    {
      onRequest,
      schema: { querystring: FIELDS_QUERY_SCHEMA },
    },
    async (request) => {
      const fields = requestedFields(request, request.query.fields, CONDUCTOR_VIEW);
      const record = await ctx.store.conductors.get(request.params.hostname);
      return renderView(CONDUCTOR_VIEW, stateOf(ctx, record), request, fields);
    },
  );
}

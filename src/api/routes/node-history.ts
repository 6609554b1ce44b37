import type { FastifyInstance } from 'fastify';
import type { NodeHistoryEvent } from '../../common/records.ts';
import { booleanArg, collectionBody, MAX_LIMIT, renderView, viewField } from '../collection.ts';
import type { Listing, ViewTable } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { since } from '../since.ts';
import { apiTime } from '../views/time.ts';
import { resourceLinks } from './root.ts';

const HISTORY_VIEW: ViewTable<NodeHistoryEvent> = [
  viewField('uuid', 78, (e) => e.uuid),
  viewField('created_at', 78, (e) => apiTime(e.createdAt)),
  viewField('severity', 78, (e) => e.severity),
  viewField('event', 78, (e) => e.event),
  viewField('event_type', 78, (e) => e.eventType),
  viewField('conductor', 78, (e) => e.conductor),
  viewField('user', 78, (e) => e.user),
  viewField('links', 78, (e, r) => resourceLinks(r, `nodes/${e.nodeUuid}/history/${e.uuid}`)),
];

/** What a history listing shows without `detail`. */
const SUMMARY = new Set(['uuid', 'created_at', 'severity', 'event']);

/** `/v1/nodes/{node}/history` (1.78): the events recorded for a node, oldest first. */
export async function nodeHistoryRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', since(78));

  app.get<{
    Params: { ident: string };
    Querystring: { detail?: string; limit?: number; marker?: string };
  }>(
    '/nodes/:ident/history',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            detail: { type: 'string' },
            limit: { type: 'integer', minimum: 1 },
            marker: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const node = await ctx.store.nodes.get(request.params.ident);
      const detail = booleanArg('detail', request.query.detail) === true;
      const limit = Math.min(request.query.limit ?? MAX_LIMIT, MAX_LIMIT);
      const events = await ctx.store.nodeHistory.list(node.uuid, {
        limit: limit + 1,
        ...(request.query.marker !== undefined ? { marker: request.query.marker } : {}),
      });
      const listing: Listing<string> = {
        shown: detail ? undefined : SUMMARY,
        limit,
        fetch: limit + 1,
        marker: request.query.marker,
        sortKey: 'createdAt',
        sortDir: 'asc',
        nextParams: detail ? ['detail=True'] : [],
      };
      return collectionBody(
        request,
        'history',
        `nodes/${node.uuid}/history`,
        events,
        listing,
        (e) => renderView(HISTORY_VIEW, e, request, listing.shown),
        (e) => e.uuid,
      );
    },
  );

  app.get<{ Params: { ident: string; event: string } }>(
    '/nodes/:ident/history/:event',
    async (request) => {
      const node = await ctx.store.nodes.get(request.params.ident);
      const event = await ctx.store.nodeHistory.get(node.uuid, request.params.event);
      return renderView(HISTORY_VIEW, event, request);
    },
  );
}

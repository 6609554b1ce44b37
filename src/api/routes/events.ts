import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../../common/json.ts';
import { isUuid } from '../../common/uuid.ts';
import { invalid } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { normaliseMac } from '../input.ts';
import { since } from '../since.ts';

const NETWORK_EVENTS = ['network.bind_port', 'network.unbind_port', 'network.delete_port'];

/** One network event, as a network service (Neutron) reports it. */
const NETWORK_EVENT_SCHEMA = {
  type: 'object',
  required: ['event', 'port_id', 'mac_address', 'status'],
  properties: {
    event: { type: 'string', enum: NETWORK_EVENTS },
    port_id: { type: 'string' },
    mac_address: { type: 'string' },
    status: { type: 'string' },
    device_id: { type: ['string', 'null'] },
    'binding:host_id': { type: ['string', 'null'] },
    'binding:vnic_type': { type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

const EVENTS_SCHEMA = {
  type: 'object',
  required: ['events'],
  properties: { events: { type: 'array', minItems: 1, items: NETWORK_EVENT_SCHEMA } },
  additionalProperties: false,
} as const;

/** What the schema cannot say: identifiers are UUIDs, the address a MAC. */
function checkEvent(event: JsonObject, index: number): void {
  for (const key of ['port_id', 'device_id', 'binding:host_id']) {
    const value = event[key];
    if (typeof value === 'string' && !isUuid(value)) {
      throw invalid(`Event ${index}: "${key}" must be a UUID, got "${value}"`);
    }
  }
  const mac = event['mac_address'];
  if (typeof mac === 'string') normaliseMac(mac);
}

/** `POST /v1/events` (API 1.54): external events, acknowledged with 204. */
export async function eventRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.post<{ Body: { events: JsonObject[] } }>(
    '/events',
    { onRequest: since(54), schema: { body: EVENTS_SCHEMA } },
    async (request, reply) => {
      const events = request.body.events;
      events.forEach((event, i) => {
        checkEvent(event, i);
      });
      ctx.conductor.receiveEvents(events);
      return reply.status(204).send();
    },
  );
}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../common/json.ts';
import type { Port } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import type { ApiContext } from '../context.ts';
import { atLeast } from '../microversions.ts';
import { resourceLinks } from './root.ts';

const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

/** A MAC address as Ironic stores it: lower case, colon-separated. InvalidMAC otherwise. */
export function normaliseMac(address: string): string {
  if (!MAC.test(address)) throw new FerriteError('InvalidMAC', { mac: address });
  return address.toLowerCase().replaceAll('-', ':');
}

const PORT_FIELDS: readonly (readonly [
  name: string,
  minor: number,
  read: (p: Port, r: FastifyRequest) => JsonValue,
])[] = [
  ['uuid', 1, (p) => p.uuid],
  ['address', 1, (p) => p.address],
  ['node_uuid', 1, (p) => p.nodeUuid],
  ['extra', 1, (p) => p.extra],
  ['internal_info', 18, (p) => p.internalInfo],
  ['local_link_connection', 19, (p) => p.localLinkConnection],
  ['pxe_enabled', 19, (p) => p.pxeEnabled],
  ['portgroup_uuid', 24, (p) => p.portgroupUuid],
  ['physical_network', 34, (p) => p.physicalNetwork],
  ['is_smartnic', 53, (p) => p.isSmartnic],
  ['links', 1, (p, r) => resourceLinks(r, `ports/${p.uuid}`)],
];

function portView(port: Port, request: FastifyRequest, detail: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [name, minor, read] of PORT_FIELDS) {
    if (!atLeast(request.apiVersion, minor)) continue;
    if (!detail && !['uuid', 'address', 'links'].includes(name)) continue;
    out[name] = read(port, request);
  }
  return out;
}

const CREATE_FIELDS: Readonly<Record<string, readonly [minor: number, camel: keyof Port]>> = {
  node_uuid: [1, 'nodeUuid'],
  address: [1, 'address'],
  uuid: [1, 'uuid'],
  extra: [1, 'extra'],
  local_link_connection: [19, 'localLinkConnection'],
  pxe_enabled: [19, 'pxeEnabled'],
  portgroup_uuid: [24, 'portgroupUuid'],
  physical_network: [34, 'physicalNetwork'],
  is_smartnic: [53, 'isSmartnic'],
};

/** `/v1/ports`: the nodes' network ports, by MAC address. */
export async function portRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.post<{ Body: JsonObject }>(
    '/ports',
    {
      schema: {
        body: {
          type: 'object',
          required: ['node_uuid', 'address'],
          properties: {
            node_uuid: { type: 'string' },
            address: { type: 'string' },
            uuid: { type: 'string' },
            extra: { type: 'object' },
            local_link_connection: { type: 'object' },
            pxe_enabled: { type: 'boolean' },
            portgroup_uuid: { type: ['string', 'null'] },
            physical_network: { type: ['string', 'null'] },
            is_smartnic: { type: 'boolean' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(request.body)) {
        const spec = CREATE_FIELDS[key];
        if (!spec || !atLeast(request.apiVersion, spec[0])) {
          throw new FerriteError('InvalidParameterValue', {
            err: `Unknown attribute for argument port: ${key}`,
          });
        }
        fields[spec[1]] = value;
      }
      const nodeUuid = String(fields['nodeUuid']);
      if (!isUuid(nodeUuid)) throw new FerriteError('InvalidUUID', { uuid: nodeUuid });
      const node = await ctx.store.nodes.get(nodeUuid);
      const port = await ctx.store.ports.create({
        ...(fields as Partial<Port>),
        nodeUuid: node.uuid,
        address: normaliseMac(String(fields['address'])),
      });
      return reply.status(201).send(portView(port, request, true));
    },
  );

  app.get<{
    Querystring: { address?: string; node?: string; node_uuid?: string; detail?: string };
  }>(
    '/ports',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            address: { type: 'string' },
            node: { type: 'string' },
            node_uuid: { type: 'string' },
            detail: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const ident = q.node ?? q.node_uuid;
      const nodeUuid = ident === undefined ? undefined : (await ctx.store.nodes.get(ident)).uuid;
      const ports = await ctx.store.ports.list({
        ...(nodeUuid !== undefined ? { nodeUuid } : {}),
        ...(q.address !== undefined ? { address: normaliseMac(q.address) } : {}),
      });
      const detail =
        q.detail !== undefined && ['true', '1', 'yes'].includes(q.detail.toLowerCase());
      return { ports: ports.map((p) => portView(p, request, detail)) };
    },
  );

  app.get<{ Params: { uuid: string } }>('/ports/detail', async (request) => ({
    ports: (await ctx.store.ports.list()).map((p) => portView(p, request, true)),
  }));

  app.get<{ Params: { uuid: string } }>('/ports/:uuid', async (request) =>
    portView(await ctx.store.ports.get(request.params.uuid), request, true),
  );

  app.delete<{ Params: { uuid: string } }>('/ports/:uuid', async (request, reply) => {
    await ctx.store.ports.delete(request.params.uuid);
    return reply.status(204).send();
  });
}

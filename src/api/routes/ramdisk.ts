import type { FastifyInstance } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import { LOOKUP_ALLOWED_STATES } from '../../common/fsm.ts';
import type { Node } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import { notAcceptable } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { atLeast } from '../microversions.ts';
import { since } from '../since.ts';
import { maskSecrets } from '../views/secrets.ts';
import { normaliseMac } from '../input.ts';

/** How often the agent is told to heartbeat, in seconds. */
const HEARTBEAT_TIMEOUT_S = 300;

interface HeartbeatBody {
  callback_url: string;
  agent_version?: string;
  agent_token?: string;
  agent_verify_ca?: string;
  agent_status?: string;
  agent_status_message?: string;
}

/** Heartbeat fields and the version that introduced each. */
const HEARTBEAT_FIELDS: readonly (readonly [keyof HeartbeatBody, number])[] = [
  ['agent_version', 36],
  ['agent_token', 62],
  ['agent_verify_ca', 68],
  ['agent_status', 72],
  ['agent_status_message', 72],
];

/** The node as the ramdisk agent sees it: what it needs to do its work, secrets masked. */
function agentView(node: Node) {
  return {
    uuid: node.uuid,
    properties: node.properties,
    instance_info: maskSecrets(node.instanceInfo),
    driver_internal_info: maskSecrets(node.driverInternalInfo),
  };
}

/**
 * The ramdisk agent's endpoints (1.22): lookup by MAC address or node UUID,
 * and heartbeat. Both validate their input here and hand the node to the
 * conductor, which keeps the agent token.
 */
export async function ramdiskRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.addHook('onRequest', since(22));

  app.get<{ Querystring: { addresses?: string; node_uuid?: string } }>(
    '/lookup',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { addresses: { type: 'string' }, node_uuid: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const { addresses, node_uuid: nodeUuid } = request.query;
      if (!addresses && !nodeUuid) throw new FerriteError('IncompleteLookup');
      let node: Node | undefined;
      if (nodeUuid !== undefined) {
        if (!isUuid(nodeUuid)) throw new FerriteError('InvalidUUID', { uuid: nodeUuid });
        node = await ctx.store.nodes.get(nodeUuid);
      } else {
        const macs = (addresses ?? '')
          .split(',')
          .map((a) => a.trim())
          .filter((a) => a !== '')
          .map(normaliseMac);
        const owners = new Set<string>();
        for (const address of macs) {
          for (const port of await ctx.store.ports.list({ address })) owners.add(port.nodeUuid);
        }
        // A MAC shared by several nodes does not say which one is asking.
        if (owners.size === 1) node = await ctx.store.nodes.get([...owners][0] ?? '');
      }
      if (!node || !LOOKUP_ALLOWED_STATES.includes(node.provisionState)) {
        throw new FerriteError('NotFound');
      }
      // The conductor hands the operation's token out once (and refuses a locked node).
      const found = await ctx.conductor.agentLookup(node.uuid);
      return {
        node: agentView(found.node),
        config: {
          heartbeat_timeout: HEARTBEAT_TIMEOUT_S,
          agent_token_required: true,
          ...(atLeast(request.apiVersion, 62) ? { agent_token: found.token } : {}),
        },
      };
    },
  );

  app.post<{ Params: { ident: string }; Body: HeartbeatBody }>(
    '/heartbeat/:ident',
    {
      schema: {
        body: {
          type: 'object',
          required: ['callback_url'],
          properties: {
            callback_url: { type: 'string', minLength: 1 },
            agent_version: { type: 'string' },
            agent_token: { type: 'string' },
            agent_verify_ca: { type: 'string' },
            agent_status: { type: 'string', enum: ['start', 'end', 'error'] },
            agent_status_message: { type: 'string' },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      for (const [field, minor] of HEARTBEAT_FIELDS) {
        if (body[field] !== undefined && !atLeast(request.apiVersion, minor)) {
          throw notAcceptable(`"${field}" needs API version 1.${minor} or later.`);
        }
      }
      let url: URL;
      try {
        url = new URL(body.callback_url);
      } catch {
        throw new FerriteError('InvalidParameterValue', {
          err: `Invalid callback_url "${body.callback_url}": not a URL`,
        });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new FerriteError('InvalidParameterValue', {
          err: `Invalid callback_url "${body.callback_url}": the agent is reached over http or https`,
        });
      }
      await ctx.conductor.agentHeartbeat(request.params.ident, {
        callbackUrl: body.callback_url,
        ...(body.agent_token !== undefined ? { token: body.agent_token } : {}),
        ...(body.agent_version !== undefined ? { agentVersion: body.agent_version } : {}),
        ...(body.agent_status !== undefined ? { agentStatus: body.agent_status } : {}),
        ...(body.agent_status_message !== undefined
          ? { agentStatusMessage: body.agent_status_message }
          : {}),
      });
      return reply.status(202).send();
    },
  );
}

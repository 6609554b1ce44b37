import { jsonPointer, parseBool, parsePairs } from '../client/args.ts';
import { runGroup } from '../client/command.ts';
import type { ActionSpec, CommandContext } from '../client/command.ts';
import { ApiError, UsageError } from '../client/errors.ts';
import { formatList, formatRecord } from '../client/format.ts';
import type { CommandIo } from '../output.ts';

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

/** A port's UUID: as given, or looked up by its MAC address. */
async function portUuid(ctx: CommandContext, ident: string): Promise<string> {
  if (!MAC.test(ident)) return ident;
  const [port] = await ctx.client().list('ports', 'ports', { address: ident });
  const uuid = port?.['uuid'];
  if (typeof uuid !== 'string') throw new ApiError(`Port ${ident} could not be found.`, 404);
  return uuid;
}

/** A node's UUID, from its name or UUID (ports name their node by UUID). */
export async function nodeUuid(ctx: CommandContext, ident: string): Promise<string> {
  const node = await ctx.client().get(`nodes/${encodeURIComponent(ident)}`, { fields: 'uuid' });
  return String(node['uuid']);
}

function portPath(uuid: string): string {
  return `ports/${encodeURIComponent(uuid)}`;
}

const list: ActionSpec = {
  summary: 'List ports',
  usage: `[--node NODE] [--address MAC] [--long | --fields F1,F2] [--limit N]

  --node NODE              only the ports of this node (name or UUID)
  --address MAC            only the port with this address
  --long                   every field
  --fields F1,F2           these fields (repeatable)
  --limit N                at most N ports
`,
  flags: {
    node: { type: 'string' },
    address: { type: 'string' },
    long: { type: 'boolean' },
    fields: { type: 'string', multiple: true },
    limit: { type: 'string' },
  },
  run: async (ctx) => {
    const fields = ctx.fields();
    if (fields && ctx.flag('long')) throw new UsageError('give --long or --fields, not both');
    const query = {
      node: ctx.string('node'),
      address: ctx.string('address'),
      fields: fields?.join(','),
    };
    const ports = await ctx
      .client()
      .list(ctx.flag('long') ? 'ports/detail' : 'ports', 'ports', query, ctx.limit());
    const columns = ctx.flag('long') ? undefined : (fields ?? ['uuid', 'address']);
    ctx.print(formatList(ports, ctx.format, columns));
    return 0;
  },
};

const show: ActionSpec = {
  summary: 'Show a port',
  usage: `PORT [--fields F1,F2]

  PORT                     its UUID or MAC address
`,
  flags: { fields: { type: 'string', multiple: true } },
  args: ['PORT'],
  run: async (ctx) => {
    const uuid = await portUuid(ctx, ctx.arg(0));
    const port = await ctx.client().get(portPath(uuid), { fields: ctx.fields()?.join(',') });
    ctx.print(formatRecord(port, ctx.format));
    return 0;
  },
};

const create: ActionSpec = {
  summary: 'Create a port of a node',
  usage: `ADDRESS --node NODE [--pxe-enabled true|false] [--extra K=V]…
       [--local-link-connection K=V]… [--physical-network NET] [--uuid U]

  ADDRESS                  its MAC address
  --node NODE              its node (name or UUID)
  --pxe-enabled true|false whether the node PXE boots from it (default true)
  --extra K=V              anything else (repeatable; JSON values)
  --local-link-connection K=V
                           switch_id, port_id, switch_info (repeatable)
  --physical-network NET   the physical network it is on
`,
  flags: {
    node: { type: 'string' },
    'pxe-enabled': { type: 'string' },
    extra: { type: 'string', multiple: true },
    'local-link-connection': { type: 'string', multiple: true },
    'physical-network': { type: 'string' },
    uuid: { type: 'string' },
  },
  args: ['ADDRESS'],
  run: async (ctx) => {
    const node = ctx.string('node');
    if (node === undefined) throw new UsageError('--node is required');
    const body: Record<string, unknown> = {
      address: ctx.arg(0),
      node_uuid: await nodeUuid(ctx, node),
    };
    const pxe = ctx.string('pxe-enabled');
    if (pxe !== undefined) body['pxe_enabled'] = parseBool(pxe, 'pxe-enabled');
    const extra = ctx.strings('extra');
    if (extra.length > 0) body['extra'] = parsePairs(extra, 'extra');
    const link = ctx.strings('local-link-connection');
    if (link.length > 0) {
      body['local_link_connection'] = parsePairs(link, 'local-link-connection', true);
    }
    const network = ctx.string('physical-network');
    if (network !== undefined) body['physical_network'] = network;
    const uuid = ctx.string('uuid');
    if (uuid !== undefined) body['uuid'] = uuid;
    ctx.print(formatRecord(await ctx.client().post('ports', body), ctx.format));
    return 0;
  },
};

const set: ActionSpec = {
  summary: "Change a port's fields",
  usage: `PORT [--address MAC] [--node NODE] [--pxe-enabled true|false]
       [--extra K=V]… [--physical-network NET]
`,
  flags: {
    address: { type: 'string' },
    node: { type: 'string' },
    'pxe-enabled': { type: 'string' },
    extra: { type: 'string', multiple: true },
    'physical-network': { type: 'string' },
  },
  args: ['PORT'],
  run: async (ctx) => {
    const ops: { op: 'add'; path: string; value: unknown }[] = [];
    const address = ctx.string('address');
    if (address !== undefined) ops.push({ op: 'add', path: '/address', value: address });
    const node = ctx.string('node');
    if (node !== undefined) {
      ops.push({ op: 'add', path: '/node_uuid', value: await nodeUuid(ctx, node) });
    }
    const pxe = ctx.string('pxe-enabled');
    if (pxe !== undefined) {
      ops.push({ op: 'add', path: '/pxe_enabled', value: parseBool(pxe, 'pxe-enabled') });
    }
    const network = ctx.string('physical-network');
    if (network !== undefined) ops.push({ op: 'add', path: '/physical_network', value: network });
    for (const [key, value] of Object.entries(parsePairs(ctx.strings('extra'), 'extra'))) {
      ops.push({
        op: 'add',
        path: `/extra/${jsonPointer(key)}`,
        value,
      });
    }
    if (ops.length === 0) throw new UsageError('nothing to set');
    const port = await ctx.client().patch(portPath(await portUuid(ctx, ctx.arg(0))), ops);
    if (ctx.format === 'json') ctx.print(formatRecord(port, 'json'));
    return 0;
  },
};

const remove: ActionSpec = {
  summary: 'Delete ports',
  usage: `PORT...

  PORT                     a UUID or MAC address
`,
  args: ['PORT...'],
  run: async (ctx) => {
    let failed = 0;
    for (const ident of ctx.positionals) {
      try {
        await ctx.client().delete(portPath(await portUuid(ctx, ident)));
        ctx.print(`Deleted port ${ident}`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failed++;
        ctx.io.err.write(`${ctx.name}: ${ident}: ${error.message} (HTTP ${error.status})\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  },
};

/** `ferrite port list|show|create|set|delete`. */
export function portCommand(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return runGroup('ferrite port', { list, show, create, set, delete: remove }, argv, io, env);
}

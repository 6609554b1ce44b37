import { jsonPointer, parseBool, parsePairs } from '../../client/args.ts';
import type { ActionSpec } from '../../client/command.ts';
import { ApiError, UsageError } from '../../client/errors.ts';
import { formatRecord } from '../../client/format.ts';
import {
  INTERFACE_FLAGS,
  INTERFACE_USAGE,
  interfacesOf,
  NODE_INTERFACES,
  nodePath,
} from './fields.ts';

const create: ActionSpec = {
  summary: 'Enrol a node',
  usage: `--driver D [--name N] [--driver-info K=V]… [--property K=V]…
       [--extra K=V]… [--<iface>-interface NAME]… [--resource-class RC] [--uuid U]

  --driver D               its hardware type (see \`ferrite driver list\`)
  --name N                 a unique name
  --driver-info K=V        how to reach its BMC (repeatable; values are text
                           unless they start with { or [)
  --property K=V           its properties, e.g. cpus=8 (repeatable; JSON values)
  --extra K=V              anything else (repeatable; JSON values)
${INTERFACE_USAGE}
  --resource-class RC      its resource class
  --uuid U                 its UUID (default: a new one)
  --description TEXT       a description
`,
  flags: {
    driver: { type: 'string' },
    name: { type: 'string' },
    'driver-info': { type: 'string', multiple: true },
    property: { type: 'string', multiple: true },
    extra: { type: 'string', multiple: true },
    'resource-class': { type: 'string' },
    uuid: { type: 'string' },
    description: { type: 'string' },
    ...INTERFACE_FLAGS,
  },
  run: async (ctx) => {
    const driver = ctx.string('driver');
    if (driver === undefined) throw new UsageError('--driver is required');
    const body: Record<string, unknown> = { driver, ...interfacesOf(ctx) };
    const optional = {
      name: 'name',
      uuid: 'uuid',
      'resource-class': 'resource_class',
      description: 'description',
    } as const;
    for (const [flag, field] of Object.entries(optional)) {
      const value = ctx.string(flag);
      if (value !== undefined) body[field] = value;
    }
    const driverInfo = ctx.strings('driver-info');
    if (driverInfo.length > 0) body['driver_info'] = parsePairs(driverInfo, 'driver-info', true);
    const properties = ctx.strings('property');
    if (properties.length > 0) body['properties'] = parsePairs(properties, 'property');
    const extra = ctx.strings('extra');
    if (extra.length > 0) body['extra'] = parsePairs(extra, 'extra');
    const node = await ctx.client().post('nodes', body);
    ctx.print(formatRecord(node, ctx.format));
    return 0;
  },
};

/** A JSON patch operation. */
interface PatchOp {
  readonly op: 'add' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

/** The dictionaries `set`/`unset` edit key by key, with their flags. */
const DICT_FLAGS = {
  'driver-info': 'driver_info',
  property: 'properties',
  'instance-info': 'instance_info',
  extra: 'extra',
} as const;

const set: ActionSpec = {
  summary: "Change a node's fields",
  usage: `NODE [--name N] [--driver D] [--driver-info K=V]… [--property K=V]…
       [--instance-info K=V]… [--extra K=V]… [--<iface>-interface NAME]…
       [--resource-class RC] [--description TEXT] [--automated-clean true|false]

  --driver-info K=V        set a key of driver_info (repeatable; text values)
  --property K=V           set a key of properties (repeatable; JSON values)
  --instance-info K=V      set a key of instance_info (repeatable; JSON values)
  --extra K=V              set a key of extra (repeatable; JSON values)
${INTERFACE_USAGE}
  --automated-clean true|false
                           clean automatically (true), never (false)

  Prints nothing, or the changed node with --format json.
`,
  flags: {
    name: { type: 'string' },
    driver: { type: 'string' },
    'driver-info': { type: 'string', multiple: true },
    property: { type: 'string', multiple: true },
    'instance-info': { type: 'string', multiple: true },
    extra: { type: 'string', multiple: true },
    'resource-class': { type: 'string' },
    description: { type: 'string' },
    'automated-clean': { type: 'string' },
    ...INTERFACE_FLAGS,
  },
  args: ['NODE'],
  run: async (ctx) => {
    // JSON patch's "add" replaces a member that exists, as openstack baremetal's set does.
    const ops: PatchOp[] = [];
    const scalars = {
      name: 'name',
      driver: 'driver',
      'resource-class': 'resource_class',
      description: 'description',
    } as const;
    for (const [flag, field] of Object.entries(scalars)) {
      const value = ctx.string(flag);
      if (value !== undefined) ops.push({ op: 'add', path: `/${field}`, value });
    }
    for (const [field, value] of Object.entries(interfacesOf(ctx))) {
      ops.push({ op: 'add', path: `/${field}`, value });
    }
    const clean = ctx.string('automated-clean');
    if (clean !== undefined) {
      ops.push({ op: 'add', path: '/automated_clean', value: parseBool(clean, 'automated-clean') });
    }
    for (const [flag, field] of Object.entries(DICT_FLAGS)) {
      const pairs = parsePairs(ctx.strings(flag), flag, flag === 'driver-info');
      for (const [key, value] of Object.entries(pairs)) {
        ops.push({ op: 'add', path: `/${field}/${jsonPointer(key)}`, value });
      }
    }
    if (ops.length === 0) throw new UsageError('nothing to set');
    const node = await ctx.client().patch(nodePath(ctx.arg(0)), ops);
    if (ctx.format === 'json') ctx.print(formatRecord(node, 'json'));
    return 0;
  },
};

const unset: ActionSpec = {
  summary: "Remove a node's fields or keys",
  usage: `NODE [--driver-info K]… [--property K]… [--instance-info K]… [--extra K]…
       [--name] [--resource-class] [--description] [--automated-clean]
       [--<iface>-interface]…

  --driver-info K          remove a key of driver_info (repeatable)
  --property K             remove a key of properties (repeatable)
  --instance-info K        remove a key of instance_info (repeatable)
  --extra K                remove a key of extra (repeatable)
  --name, --resource-class, --description, --automated-clean
                           clear the field
  --<iface>-interface      back to the hardware type's default implementation
`,
  flags: {
    'driver-info': { type: 'string', multiple: true },
    property: { type: 'string', multiple: true },
    'instance-info': { type: 'string', multiple: true },
    extra: { type: 'string', multiple: true },
    name: { type: 'boolean' },
    'resource-class': { type: 'boolean' },
    description: { type: 'boolean' },
    'automated-clean': { type: 'boolean' },
    ...Object.fromEntries(NODE_INTERFACES.map((i) => [`${i}-interface`, { type: 'boolean' }])),
  },
  args: ['NODE'],
  run: async (ctx) => {
    const ops: PatchOp[] = [];
    for (const [flag, field] of Object.entries(DICT_FLAGS)) {
      for (const key of ctx.strings(flag)) {
        ops.push({ op: 'remove', path: `/${field}/${jsonPointer(key)}` });
      }
    }
    const fields = [
      'name',
      'resource-class',
      'description',
      'automated-clean',
      ...NODE_INTERFACES.map((i) => `${i}-interface`),
    ];
    for (const flag of fields) {
      if (ctx.flag(flag)) ops.push({ op: 'remove', path: `/${flag.replaceAll('-', '_')}` });
    }
    if (ops.length === 0) throw new UsageError('nothing to unset');
    const node = await ctx.client().patch(nodePath(ctx.arg(0)), ops);
    if (ctx.format === 'json') ctx.print(formatRecord(node, 'json'));
    return 0;
  },
};

const remove: ActionSpec = {
  summary: 'Delete nodes',
  usage: `NODE...

  Deletes each node; reports those it could not delete and exits 1.
`,
  args: ['NODE...'],
  run: async (ctx) => {
    let failed = 0;
    for (const ident of ctx.positionals) {
      try {
        await ctx.client().delete(nodePath(ident));
        ctx.print(`Deleted node ${ident}`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failed++;
        ctx.io.err.write(`${ctx.name}: ${ident}: ${error.message} (HTTP ${error.status})\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  },
};

/** `ferrite node create|set|unset|delete`. */
export const NODE_WRITE_ACTIONS: Readonly<Record<string, ActionSpec>> = {
  create,
  set,
  unset,
  delete: remove,
};

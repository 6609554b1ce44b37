import type { ActionSpec } from '../../client/command.ts';
import { UsageError } from '../../client/errors.ts';
import { formatList, formatRecord } from '../../client/format.ts';
import { nodePath } from './fields.ts';

/** What `node list` shows without --long or --fields, as `openstack baremetal node list` does. */
const LIST_COLUMNS = [
  'uuid',
  'name',
  'instance_uuid',
  'power_state',
  'provision_state',
  'maintenance',
] as const;

const list: ActionSpec = {
  summary: 'List nodes',
  usage: `[--long | --fields F1,F2] [--provision-state S] [--driver D]
       [--maintenance | --no-maintenance] [--resource-class RC] [--limit N]

  --long                   every field
  --fields F1,F2           these fields (repeatable)
  --provision-state S      only nodes in this provision state
  --driver D               only nodes of this hardware type
  --maintenance            only nodes in maintenance (--no-maintenance: only those not)
  --resource-class RC      only nodes of this resource class
  --limit N                at most N nodes (default: all, page after page)
`,
  flags: {
    long: { type: 'boolean' },
    fields: { type: 'string', multiple: true },
    'provision-state': { type: 'string' },
    driver: { type: 'string' },
    maintenance: { type: 'boolean' },
    'no-maintenance': { type: 'boolean' },
    'resource-class': { type: 'string' },
    limit: { type: 'string' },
  },
  run: async (ctx) => {
    const fields = ctx.fields();
    const long = ctx.flag('long');
    if (fields && long) throw new UsageError('give --long or --fields, not both');
    const maintenance = ctx.flag('maintenance')
      ? true
      : ctx.flag('no-maintenance')
        ? false
        : undefined;
    const query = {
      provision_state: ctx.string('provision-state'),
      driver: ctx.string('driver'),
      maintenance,
      resource_class: ctx.string('resource-class'),
      fields: fields?.join(','),
    };
    const path = long ? 'nodes/detail' : 'nodes';
    const nodes = await ctx.client().list(path, 'nodes', query, ctx.limit());
    ctx.print(formatList(nodes, ctx.format, long ? undefined : (fields ?? LIST_COLUMNS)));
    return 0;
  },
};

const show: ActionSpec = {
  summary: 'Show a node',
  usage: `NODE [--fields F1,F2]

  NODE                     the node's name or UUID
  --fields F1,F2           only these fields (repeatable)
`,
  flags: { fields: { type: 'string', multiple: true } },
  args: ['NODE'],
  run: async (ctx) => {
    const fields = ctx.fields();
    const node = await ctx.client().get(nodePath(ctx.arg(0)), { fields: fields?.join(',') });
    ctx.print(formatRecord(node, ctx.format));
    return 0;
  },
};

/** `ferrite node list|show`. */
export const NODE_READ_ACTIONS: Readonly<Record<string, ActionSpec>> = { list, show };

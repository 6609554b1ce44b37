import { runGroup } from '../client/command.ts';
import type { ActionSpec } from '../client/command.ts';
import { formatList, formatRecord } from '../client/format.ts';
import type { CommandIo } from '../output.ts';

const list: ActionSpec = {
  summary: 'List the hardware types the service offers',
  usage: `[--long]

  --long                   with the default and enabled implementation of each interface
`,
  flags: { long: { type: 'boolean' } },
  run: async (ctx) => {
    const long = ctx.flag('long');
    const drivers = await ctx.client().list('drivers', 'drivers', long ? { detail: true } : {});
    ctx.print(formatList(drivers, ctx.format, long ? undefined : ['name', 'hosts']));
    return 0;
  },
};

const show: ActionSpec = {
  summary: 'Show a hardware type',
  usage: `NAME
`,
  args: ['NAME'],
  run: async (ctx) => {
    const driver = await ctx.client().get(`drivers/${encodeURIComponent(ctx.arg(0))}`);
    ctx.print(formatRecord(driver, ctx.format));
    return 0;
  },
};

/**
 * `ferrite driver list|show`: the API's /v1/drivers (what a running service
 * offers), unlike `ferrite drivers`, which describes this installation's
 * hardware types without a server.
 */
export function driverCommand(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return runGroup('ferrite driver', { list, show }, argv, io, env);
}

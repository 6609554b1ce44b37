import { argumentText, parseJsonArgument, parseSeconds } from '../../client/args.ts';
import type { ActionSpec, CommandContext, Flags } from '../../client/command.ts';
import { UsageError } from '../../client/errors.ts';
import { formatList, formatRecord } from '../../client/format.ts';
import { waitForNode } from '../../client/wait.ts';
import type { WaitOptions } from '../../client/wait.ts';
import { nodePath } from './fields.ts';

/** Seconds between polls of `--wait` unless `--poll-interval` says otherwise. */
const DEFAULT_POLL_S = 1;

const WAIT_FLAGS: Flags = {
  wait: { type: 'boolean' },
  'wait-timeout': { type: 'string' },
  'poll-interval': { type: 'string' },
};

const WAIT_USAGE = `  --wait [SECONDS]         wait until the node gets there, printing each state
                           change (on standard error); at most SECONDS (default:
                           no limit); exit 1 if it fails
  --poll-interval SECONDS  how often --wait looks (default ${DEFAULT_POLL_S})
`;

/**
 * What `--wait` asks for, read before any request so that a bad value stops
 * the command before it changes anything; undefined without `--wait`.
 */
function waitOptions(ctx: CommandContext): WaitOptions | undefined {
  if (!ctx.flag('wait')) return undefined;
  const timeout = ctx.string('wait-timeout');
  const interval = ctx.string('poll-interval');
  return {
    timeoutS: timeout === undefined ? 0 : parseSeconds(timeout, 'wait'),
    intervalMs:
      (interval === undefined ? DEFAULT_POLL_S : parseSeconds(interval, 'poll-interval')) * 1000,
    progress: ctx.io.err,
  };
}

/**
 * A provision action: the verb the API takes (`target`) and where the node
 * should rest afterwards (null: wherever it stops, as after `abort`).
 */
function provisionAction(
  summary: string,
  target: string,
  expected: string | null,
  extra: ProvisionExtra = { synopsis: '', details: '', flags: {}, body: () => ({}) },
): ActionSpec {
  return {
    summary,
    usage: `NODE ${extra.synopsis}[--wait [SECONDS]]\n\n${extra.details}${WAIT_USAGE}`,
    flags: { ...WAIT_FLAGS, ...extra.flags },
    args: ['NODE'],
    run: async (ctx) => {
      const ident = ctx.arg(0);
      const wait = waitOptions(ctx);
      await ctx.client().put(nodePath(ident, 'states/provision'), { target, ...extra.body(ctx) });
      if (wait) await waitForNode(ctx.client(), ident, { kind: 'provision', expected }, wait);
      return 0;
    },
  };
}

/** What a provision action takes beyond NODE and --wait. */
interface ProvisionExtra {
  /** Its options in the Usage line, ending in a space. */
  readonly synopsis: string;
  /** Their help lines. */
  readonly details: string;
  readonly flags: Flags;
  /** The request fields they make. */
  readonly body: (ctx: CommandContext) => Record<string, unknown>;
}

/** A config drive: JSON (inline or @FILE) is sent as an object, anything else as text. */
function configDrive(text: string): unknown {
  const source = argumentText(text);
  if (/^\s*\{/.test(source)) return parseJsonArgument(source, 'config-drive');
  return source.trim();
}

/** What deploy and rebuild take: a config drive and deploy steps. */
const INSTANCE_EXTRA: ProvisionExtra = {
  synopsis: '[--config-drive DRIVE] [--deploy-steps JSON|@FILE] ',
  details: `  --config-drive DRIVE     a URL, a gzipped base64 ISO, or JSON of meta_data/
                           user_data/network_data (inline, @FILE)
  --deploy-steps JSON      extra deploy steps (inline, @FILE or -)
`,
  flags: { 'config-drive': { type: 'string' }, 'deploy-steps': { type: 'string' } },
  body: (ctx) => {
    const body: Record<string, unknown> = {};
    const drive = ctx.string('config-drive');
    if (drive !== undefined) body['configdrive'] = configDrive(drive);
    const steps = ctx.string('deploy-steps');
    if (steps !== undefined) body['deploy_steps'] = parseJsonArgument(steps, 'deploy-steps');
    return body;
  },
};

const deploy = provisionAction('Deploy an instance on a node', 'active', 'active', INSTANCE_EXTRA);

const clean = provisionAction('Run clean steps on a manageable node', 'clean', 'manageable', {
  synopsis: '--clean-steps JSON|@FILE [--disable-ramdisk] ',
  details: `  --clean-steps JSON       the steps, e.g. [{"interface":"deploy","step":"erase_devices"}]
                           (inline, @FILE or -)
  --disable-ramdisk        run them without booting the ramdisk
`,
  flags: { 'clean-steps': { type: 'string' }, 'disable-ramdisk': { type: 'boolean' } },
  body: (ctx) => {
    const steps = ctx.string('clean-steps');
    if (steps === undefined) throw new UsageError('--clean-steps is required');
    return {
      clean_steps: parseJsonArgument(steps, 'clean-steps'),
      ...(ctx.flag('disable-ramdisk') ? { disable_ramdisk: true } : {}),
    };
  },
});

/** `power on|off|reboot`: the API's target for each, and the state a wait ends in. */
const POWER_TARGETS = {
  on: { hard: 'power on', soft: undefined, expected: 'power on' },
  off: { hard: 'power off', soft: 'soft power off', expected: 'power off' },
  reboot: { hard: 'rebooting', soft: 'soft rebooting', expected: 'power on' },
} as const;

const power: ActionSpec = {
  summary: 'Power a node on, off, or reboot it',
  usage: `on|off|reboot NODE [--soft] [--power-timeout SECONDS] [--wait [SECONDS]]

  --soft                   ask the OS to shut down (off, reboot)
  --power-timeout SECONDS  how long the conductor gives the power action
${WAIT_USAGE}`,
  flags: { ...WAIT_FLAGS, soft: { type: 'boolean' }, 'power-timeout': { type: 'string' } },
  args: ['on|off|reboot', 'NODE'],
  run: async (ctx) => {
    const verb = ctx.arg(0);
    if (verb !== 'on' && verb !== 'off' && verb !== 'reboot') {
      throw new UsageError(`power wants on, off or reboot, not "${verb}"`);
    }
    const choice = POWER_TARGETS[verb];
    const target = ctx.flag('soft') ? choice.soft : choice.hard;
    if (target === undefined) throw new UsageError('--soft is for off and reboot');
    const body: Record<string, unknown> = { target };
    const timeout = ctx.string('power-timeout');
    if (timeout !== undefined) body['timeout'] = parseSeconds(timeout, 'power-timeout');
    const ident = ctx.arg(1);
    const wait = waitOptions(ctx);
    await ctx.client().put(nodePath(ident, 'states/power'), body);
    if (wait)
      await waitForNode(ctx.client(), ident, { kind: 'power', expected: choice.expected }, wait);
    return 0;
  },
};

const bootDevice: ActionSpec = {
  summary: "Set or show a node's boot device",
  usage: `set NODE DEVICE [--persistent] | show NODE [--supported]

  DEVICE                   pxe, disk, cdrom, bios, safe, wanboot
  --persistent             for every boot, not only the next
  --supported              show the devices the node can boot from instead
`,
  flags: { persistent: { type: 'boolean' }, supported: { type: 'boolean' } },
  args: ['set|show', 'NODE', 'DEVICE?'],
  run: async (ctx) => {
    const [verb, ident] = [ctx.arg(0), ctx.arg(1)];
    const path = nodePath(ident, 'management/boot_device');
    if (verb === 'set') {
      const device = ctx.positionals[2];
      if (device === undefined) throw new UsageError('missing DEVICE');
      await ctx.client().put(path, { boot_device: device, persistent: ctx.flag('persistent') });
      return 0;
    }
    if (verb !== 'show') throw new UsageError(`boot-device wants set or show, not "${verb}"`);
    if (ctx.positionals.length > 2) throw new UsageError('show takes only NODE');
    const answer = await ctx.client().get(ctx.flag('supported') ? `${path}/supported` : path);
    ctx.print(formatRecord(answer, ctx.format));
    return 0;
  },
};

const consoleAction: ActionSpec = {
  summary: "Enable, disable or show a node's serial console",
  usage: `enable|disable|show NODE
`,
  args: ['enable|disable|show', 'NODE'],
  run: async (ctx) => {
    const [verb, ident] = [ctx.arg(0), ctx.arg(1)];
    const path = nodePath(ident, 'states/console');
    if (verb === 'enable' || verb === 'disable') {
      await ctx.client().put(path, { enabled: verb === 'enable' });
      return 0;
    }
    if (verb !== 'show')
      throw new UsageError(`console wants enable, disable or show, not "${verb}"`);
    ctx.print(formatRecord(await ctx.client().get(path), ctx.format));
    return 0;
  },
};

const maintenance: ActionSpec = {
  summary: 'Put a node in maintenance or take it out',
  usage: `set|unset NODE [--reason TEXT]

  --reason TEXT            why (set)
`,
  flags: { reason: { type: 'string' } },
  args: ['set|unset', 'NODE'],
  run: async (ctx) => {
    const [verb, ident] = [ctx.arg(0), ctx.arg(1)];
    const path = nodePath(ident, 'maintenance');
    if (verb === 'set') {
      const reason = ctx.string('reason');
      await ctx.client().put(path, reason === undefined ? {} : { reason });
    } else if (verb === 'unset') {
      if (ctx.string('reason') !== undefined) throw new UsageError('--reason is for set');
      await ctx.client().delete(path);
    } else {
      throw new UsageError(`maintenance wants set or unset, not "${verb}"`);
    }
    return 0;
  },
};

const validate: ActionSpec = {
  summary: "Check a node's driver interfaces",
  usage: `NODE

  One row per interface: whether it validates, and why not.
`,
  args: ['NODE'],
  run: async (ctx) => {
    const answer = await ctx.client().get(nodePath(ctx.arg(0), 'validate'));
    const rows = Object.keys(answer)
      .sort()
      .map((iface) => {
        const r = (answer[iface] ?? {}) as { result?: unknown; reason?: unknown };
        return { interface: iface, result: r.result ?? null, reason: r.reason ?? null };
      });
    ctx.print(formatList(rows, ctx.format, ['interface', 'result', 'reason']));
    return 0;
  },
};

/** The node's provision, power, management and console actions. */
export const NODE_STATE_ACTIONS: Readonly<Record<string, ActionSpec>> = {
  manage: provisionAction('Make a node manageable (verifying its BMC)', 'manage', 'manageable'),
  provide: provisionAction('Make a node available (cleaning it)', 'provide', 'available'),
  deploy,
  undeploy: provisionAction('Tear down the instance on a node', 'deleted', 'available'),
  rebuild: provisionAction('Redeploy the instance on a node', 'rebuild', 'active', INSTANCE_EXTRA),
  inspect: provisionAction("Inspect a manageable node's hardware", 'inspect', 'manageable'),
  clean,
  abort: provisionAction('Abort what a node is waiting in', 'abort', null),
  power,
  'boot-device': bootDevice,
  console: consoleAction,
  maintenance,
  validate,
};

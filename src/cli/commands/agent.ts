import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { Agent } from '../../agent/agent.ts';
import type { InventoryDisk } from '../../agent/inventory.ts';
import { parseKernelParams } from '../../agent/kernel-params.ts';
import { createLogger } from '../../common/logging.ts';
import type { LogLevel } from '../../common/logging.ts';
import { commandFlags, untilStopped } from '../command-args.ts';
import type { CommandIo } from '../output.ts';
import { ferriteVersion } from '../version.ts';

/** The exit code after standby.run_image: whoever runs the agent restarts the machine. */
export const AGENT_REBOOT_EXIT_CODE = 10;

const FLAGS = {
  'api-url': { type: 'string' },
  'kernel-cmdline': { type: 'string' },
  listen: { type: 'string' },
  'advertise-host': { type: 'string' },
  disk: { type: 'string', multiple: true },
  mac: { type: 'string', multiple: true },
  'node-uuid': { type: 'string' },
  'agent-token': { type: 'string' },
  'heartbeat-interval': { type: 'string' },
  'tmp-dir': { type: 'string' },
  'allow-md5': { type: 'boolean' },
  'power-action': { type: 'string' },
  standalone: { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean' },
} as const;

const HELP = `Usage: ferrite agent [options]

The in-band agent a deploy ramdisk runs: looks its node up in Ferrite's (or
Ironic's) API, heartbeats, and serves ironic-python-agent's command API
(image writing, disk cleaning, inventory).

  --api-url URL            the /v1 API (or ipa-api-url from --kernel-cmdline)
  --kernel-cmdline FILE    read ipa-api-url, ipa-agent-token, ipa-node-uuid,
                           ipa-heartbeat-interval from a kernel command line
                           (e.g. /proc/cmdline)
  --listen HOST:PORT       where the command API listens (default 0.0.0.0:9999)
  --advertise-host HOST    the address the conductor calls back (default: the listen host)
  --disk PATH[,serial=S][,model=M]
                           report this file or device as a disk instead of
                           /sys's (repeatable; tests and labs)
  --mac MAC                report this MAC address instead of /sys's NICs (repeatable)
  --node-uuid UUID         look the node up by UUID too
  --agent-token TOKEN      a token handed over out of band
  --heartbeat-interval S   seconds between heartbeats (default: 0.3 to 0.6 of the
                           heartbeat_timeout the lookup answered)
  --tmp-dir DIR            where qcow2 images are staged (default: the system's)
  --allow-md5              accept images checked with MD5
  --power-action exit|system
                           what powering off or rebooting does: end this
                           process (default; exit code 0, or 10 for a reboot)
                           or the machine's (systemctl)
  --standalone             no API: serve commands only, without a token
  --log-level LEVEL        debug, info, warn, error (default info)
`;

function diskOf(spec: string): InventoryDisk {
  const [path = '', ...pairs] = spec.split(',');
  const fields = new Map(pairs.map((p) => p.split('=', 2) as [string, string]));
  const name = resolve(path);
  return {
    name,
    model: fields.get('model') ?? null,
    vendor: fields.get('vendor') ?? null,
    size: statSync(name).size,
    rotational: false,
    serial: fields.get('serial') ?? null,
    wwn: fields.get('wwn') ?? null,
  };
}

function hostPort(value: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(value);
  if (!match) throw new Error(`--listen wants HOST:PORT, got "${value}"`);
  return { host: (match[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
}

/** `ferrite agent`: runs until SIGINT/SIGTERM, `signal`, or a power action ends it. */
export async function agentCommand(
  argv: readonly string[],
  io: CommandIo,
  signal?: AbortSignal,
): Promise<number> {
  const values = commandFlags('agent', argv, FLAGS, HELP, io);
  if (typeof values === 'number') return values;
  const kernel = values['kernel-cmdline']
    ? parseKernelParams(readFileSync(values['kernel-cmdline'], 'utf8'))
    : new Map<string, string>();
  const apiUrl = values['api-url'] ?? kernel.get('ipa-api-url');
  if (apiUrl === undefined && values.standalone !== true) {
    io.err.write(
      'ferrite agent: give --api-url (or ipa-api-url in --kernel-cmdline), or --standalone\n',
    );
    return 2;
  }
  const powerAction = values['power-action'] ?? 'exit';
  if (powerAction !== 'exit' && powerAction !== 'system') {
    io.err.write(`ferrite agent: --power-action is exit or system, not "${powerAction}"\n`);
    return 2;
  }
  const interval = values['heartbeat-interval'] ?? kernel.get('ipa-heartbeat-interval');
  const listen = hostPort(values.listen ?? '0.0.0.0:9999');
  const logger = createLogger((values['log-level'] ?? 'info') as LogLevel);
  let finished: (code: number) => void = () => {};
  const ended = new Promise<number>((done) => {
    finished = done;
  });
  const nodeUuid = values['node-uuid'] ?? kernel.get('ipa-node-uuid');
  const token = values['agent-token'] ?? kernel.get('ipa-agent-token');
  const agent = new Agent({
    ...(values.standalone === true || apiUrl === undefined ? {} : { apiUrl }),
    listenHost: listen.host,
    listenPort: listen.port,
    ...(values['advertise-host'] ? { advertiseHost: values['advertise-host'] } : {}),
    ...(nodeUuid ? { nodeUuid } : {}),
    ...(token ? { agentToken: token } : {}),
    ...(interval ? { heartbeatIntervalS: Number(interval) } : {}),
    ...(values.disk ? { disks: values.disk.map(diskOf) } : {}),
    ...(values.mac ? { macs: values.mac } : {}),
    tmpDir: values['tmp-dir'] ?? tmpdir(),
    allowMd5: values['allow-md5'] === true,
    version: ferriteVersion(),
    logger,
    power: (action) => {
      if (powerAction === 'system') {
        spawn('systemctl', [action === 'off' ? 'poweroff' : 'reboot'], { stdio: 'ignore' }).unref();
        return;
      }
      // Let the command's result be read before the process goes; a reboot says so in the exit code.
      setImmediate(() => finished(action === 'reboot' ? AGENT_REBOOT_EXIT_CODE : 0));
    },
  });
  await agent.start();
  io.out.write(`Ferrite agent listening on ${agent.url}\n`);
  const stopped = new AbortController();
  void untilStopped(AbortSignal.any([stopped.signal, ...(signal ? [signal] : [])])).then(() =>
    finished(0),
  );
  const code = await ended;
  stopped.abort();
  await agent.stop();
  return code;
}

/**
 * bench/ipmi: `power status` of many BMCs, Ferrite's RMCP+ client beside the
 * tools operators know.
 *
 *   npm run bench:ipmi -- [--sizes 100,1000] [--targets ipmi_sim,emulator]
 *                         [--parallel 256] [--ipmitool-concurrency 8] [--fanout 64]
 *
 * Targets: OpenIPMI's ipmi_sim (up to 100 BMCs per simulator process, as
 * separate management controllers with their own LAN channel and port)
 * and Ferrite's own BMC emulator (src/lab/ipmi, all BMCs in one child
 * process). For each target and fleet size, one sweep each of:
 *   ferrite_cold  one IpmiClient, Get Chassis Status on every BMC, sessions
 *                 opened on the way (what a conductor's first power sync does);
 *   ferrite_warm  the same client again, its sessions kept (every later sync);
 *   ipmitool      `ipmitool -I lanplus … power status` forked per BMC at
 *                 concurrency 8: the model of Ironic's ipmitool driver;
 *   ipmipower     FreeIPMI's asynchronous ipmipower, one process for all.
 * Cipher suite 3 throughout (ipmi_sim has no 17). Prints one JSON line:
 * seconds per tool, target and size, answers counted, and the speed-ups
 * on the largest ipmi_sim fleet.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg, cpus } from 'node:os';
import { eachLimited } from '../src/conductor/periodic/schedule.ts';
import { IpmiClient } from '../src/drivers/modules/ipmi/client/ipmi-client.ts';
import { getChassisStatus } from '../src/drivers/modules/ipmi/commands/chassis.ts';
import { PrivilegeLevel } from '../src/drivers/modules/ipmi/types.ts';
import type { BmcTarget } from '../src/drivers/modules/ipmi/types.ts';
import { startIpmiSimFleet } from '../test/support/ipmi-sim.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    targets: { type: 'string', default: 'ipmi_sim,emulator' },
    parallel: { type: 'string', default: '256' },
    'ipmitool-concurrency': { type: 'string', default: '8' },
    fanout: { type: 'string', default: '64' },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const TARGETS = values.targets.split(',');
const PARALLEL = Number(values.parallel);
const IPMITOOL_CONCURRENCY = Number(values['ipmitool-concurrency']);
const FANOUT = Number(values.fanout);
const SUITE = 3;

interface Fleet {
  readonly host: string;
  readonly ports: readonly number[];
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

interface Sweep {
  readonly seconds: number;
  readonly ok: number;
  readonly failures?: string[];
}

const log = (line: string): void => {
  process.stderr.write(`bench/ipmi: ${line}\n`);
};

function seconds(start: number): number {
  return Math.round(((performance.now() - start) / 1000) * 1000) / 1000;
}

/** Ferrite's emulator fleet, in a child process of its own. */
async function startEmulatorFleet(count: number): Promise<Fleet> {
  const script = fileURLToPath(
    new URL(`./ipmi-emulator-fleet${extname(import.meta.url)}`, import.meta.url),
  );
  const child = spawn(process.execPath, [...process.execArgv, script, String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator fleet exited (${String(code)})`)));
  });
  const info = JSON.parse(first) as Omit<Fleet, 'stop'>;
  return {
    ...info,
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end();
      await exited;
    },
  };
}

async function ferriteSweep(client: IpmiClient, targets: readonly BmcTarget[]): Promise<Sweep> {
  const start = performance.now();
  let ok = 0;
  const failures: string[] = [];
  await eachLimited(targets, PARALLEL, async (target) => {
    try {
      await getChassisStatus(client.channel(target));
      ok++;
    } catch (error) {
      if (failures.length < 5) failures.push((error as Error).message);
    }
  });
  return { seconds: seconds(start), ok, ...(failures.length > 0 ? { failures } : {}) };
}

function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('close', () => resolve(out));
    child.once('error', (error) => resolve(`error: ${error.message}`));
  });
}

async function ipmitoolSweep(fleet: Fleet): Promise<Sweep> {
  const start = performance.now();
  let ok = 0;
  await eachLimited(fleet.ports, IPMITOOL_CONCURRENCY, async (port) => {
    const out = await run('ipmitool', [
      '-I',
      'lanplus',
      '-H',
      fleet.host,
      '-p',
      String(port),
      '-U',
      fleet.username,
      '-P',
      fleet.password,
      '-C',
      String(SUITE),
      'power',
      'status',
    ]);
    if (out.includes('Chassis Power is')) ok++;
  });
  return { seconds: seconds(start), ok };
}

async function ipmipowerSweep(fleet: Fleet): Promise<Sweep> {
  const hosts = fleet.ports.map((port) => `${fleet.host}:${String(port)}`).join(',');
  const start = performance.now();
  const out = await run('/usr/sbin/ipmipower', [
    '-D',
    'LAN_2_0',
    '-u',
    fleet.username,
    '-p',
    fleet.password,
    '-I',
    String(SUITE),
    // ipmi_sim needs the privilege asked for in Open Session.
    '-W',
    'opensesspriv',
    '-F',
    String(FANOUT),
    '-h',
    hosts,
    '--stat',
  ]);
  const elapsed = seconds(start);
  const ok = out.split('\n').filter((line) => /: (on|off)$/.test(line.trim())).length;
  return { seconds: elapsed, ok };
}

async function measure(target: string, size: number): Promise<Record<string, Sweep>> {
  log(`${target}: starting ${String(size)} BMCs`);
  const fleet =
    target === 'emulator' ? await startEmulatorFleet(size) : await startIpmiSimFleet(size);
  try {
    const targets: BmcTarget[] = fleet.ports.map((port) => ({
      host: fleet.host,
      port,
      username: fleet.username,
      password: fleet.password,
      privilege: PrivilegeLevel.ADMINISTRATOR,
      cipherSuite: SUITE,
    }));
    const client = new IpmiClient({ timeoutMs: 1000, retries: 3 });
    const results: Record<string, Sweep> = {};
    try {
      results['ferrite_cold'] = await ferriteSweep(client, targets);
      log(`${target} ${String(size)}: ferrite cold ${String(results['ferrite_cold'].seconds)} s`);
      results['ferrite_warm'] = await ferriteSweep(client, targets);
      log(`${target} ${String(size)}: ferrite warm ${String(results['ferrite_warm'].seconds)} s`);
    } finally {
      await client.close();
    }
    results['ipmitool'] = await ipmitoolSweep(fleet);
    log(`${target} ${String(size)}: ipmitool ${String(results['ipmitool'].seconds)} s`);
    results['ipmipower'] = await ipmipowerSweep(fleet);
    log(`${target} ${String(size)}: ipmipower ${String(results['ipmipower'].seconds)} s`);
    return results;
  } finally {
    await fleet.stop();
  }
}

const report: Record<string, unknown> = {
  bench: 'ipmi',
  cipher_suite: SUITE,
  parallel: PARALLEL,
  ipmitool_concurrency: IPMITOOL_CONCURRENCY,
  ipmipower_fanout: FANOUT,
  host_cpus: cpus().length,
  loadavg_start: loadavg().map((l) => Math.round(l * 100) / 100),
};
const all: Record<string, Record<string, Record<string, Sweep>>> = {};
for (const target of TARGETS) {
  all[target] = {};
  for (const size of SIZES)
    (all[target] as Record<string, unknown>)[String(size)] = await measure(target, size);
}
report['seconds'] = Object.fromEntries(
  Object.entries(all).map(([target, sizes]) => [
    target,
    Object.fromEntries(
      Object.entries(sizes).map(([size, tools]) => [
        size,
        Object.fromEntries(Object.entries(tools).map(([tool, sweep]) => [tool, sweep.seconds])),
      ]),
    ),
  ]),
);
report['answered'] = Object.fromEntries(
  Object.entries(all).map(([target, sizes]) => [
    target,
    Object.fromEntries(
      Object.entries(sizes).map(([size, tools]) => [
        size,
        Object.fromEntries(Object.entries(tools).map(([tool, sweep]) => [tool, sweep.ok])),
      ]),
    ),
  ]),
);
const failures = Object.values(all).flatMap((sizes) =>
  Object.values(sizes).flatMap((tools) => Object.values(tools).flatMap((s) => s.failures ?? [])),
);
if (failures.length > 0) report['ferrite_failures'] = failures.slice(0, 5);
const largest = String(Math.max(...SIZES));
const sim = all['ipmi_sim']?.[largest];
if (sim?.['ferrite_cold'] && sim['ipmitool'] && sim['ipmipower']) {
  const ratio = (a: number, b: number): number => Math.round((a / b) * 10) / 10;
  report[`speedup_ipmi_sim_${largest}`] = {
    cold_vs_ipmitool: ratio(sim['ipmitool'].seconds, sim['ferrite_cold'].seconds),
    cold_vs_ipmipower: ratio(sim['ipmipower'].seconds, sim['ferrite_cold'].seconds),
    warm_vs_ipmitool: ratio(sim['ipmitool'].seconds, sim['ferrite_warm']?.seconds ?? NaN),
  };
}
report['loadavg_end'] = loadavg().map((l) => Math.round(l * 100) / 100);
process.stdout.write(`${JSON.stringify(report)}\n`);

/**
 * OpenIPMI's `ipmi_sim` as a real BMC for tests and benchmarks: a fresh
 * state directory per simulator, its own lan.conf written here, the
 * hardware in ipmi-sim/bmc.emu and its sensor records compiled from
 * ipmi-sim/sensors.sdrs. Power, resets and the boot device go through
 * ipmi-sim/chassis-control.sh, whose state files the handle reads and
 * writes, so a test sees what the BMC was told and can change what it says.
 *
 * Quirks of the simulator (see shared/peers): cipher suites 0–3 and 6 only
 * (no 17); only the boot device selector is kept (persistent and EFI flags
 * read back cleared); no NMI.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), 'ipmi-sim');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 10_000;

/** Why the simulator cannot run here, or undefined when it can. */
export function ipmiSimMissing(): string | undefined {
  for (const program of ['ipmi_sim', 'sdrcomp']) {
    const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
    if (found.status !== 0) {
      return `${program} is not installed (Debian package openipmi; scripts/ensure-ipmi-peers.sh installs it)`;
    }
  }
  return undefined;
}

/**
 * `{ skip }` for a suite that needs ipmi_sim: a reason when it is missing,
 * except under CI=true, where the suite runs and fails instead.
 */
export function ipmiSimSuiteOptions(): { skip?: string } {
  const missing = ipmiSimMissing();
  if (missing === undefined || process.env['CI'] === 'true') return {};
  return { skip: `${missing}; with CI=true this fails instead` };
}

export interface IpmiSimOptions {
  readonly username?: string;
  readonly password?: string;
  /** Initial power: on or off (default off). */
  readonly powerOn?: boolean;
}

/** A running simulator: where it listens, and its chassis as the BMC sees it. */
export interface IpmiSim {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Whether the chassis is on. */
  powerOn(): boolean;
  /** Changes the power the BMC reports (as if someone pressed the button). */
  setPower(on: boolean): void;
  /** The boot device ipmi_sim was last told: none, pxe, default, cdrom or bios. */
  bootDevice(): string;
  /** How many hard resets it was told to do. */
  resets(): number;
  /** What the BMC was told, one "name value" line per chassis control call. */
  controlLog(): string[];
  /** Stops the simulator, keeping its state; `start()` brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its state. */
  stop(): Promise<void>;
}

/** Starts one simulated BMC on a free UDP port of 127.0.0.1. */
export async function startIpmiSim(options: IpmiSimOptions = {}): Promise<IpmiSim> {
  const missing = ipmiSimMissing();
  if (missing !== undefined) throw new Error(`ipmi_sim cannot run: ${missing}`);
  const username = options.username ?? 'admin';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2, 10)}`;
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-ipmi-sim-'));
  const chassis = join(dir, 'chassis');
  const state = join(dir, 'state');
  mkdirSync(chassis);
  mkdirSync(join(state, 'ipmi_sim', 'bmc'), { recursive: true });
  writeFileSync(join(chassis, 'power'), options.powerOn === true ? '1\n' : '0\n');
  writeFileSync(join(chassis, 'boot'), 'none\n');
  const compiled = spawnSync(
    'sdrcomp',
    ['-8', '-o', join(state, 'ipmi_sim', 'bmc', 'sdr.20.main'), join(ASSETS, 'sensors.sdrs')],
    { encoding: 'utf8' },
  );
  if (compiled.status !== 0) throw new Error(`sdrcomp failed: ${compiled.stderr}`);
  const port = await freeUdpPort();
  writeFileSync(
    join(dir, 'lan.conf'),
    [
      'name "bmc"',
      'set_working_mc 0x20',
      '  startlan 1',
      `    addr ${HOST} ${String(port)}`,
      '    priv_limit admin',
      ...['callback', 'user', 'operator', 'admin'].map(
        (level) => `    allowed_auths_${level} none md2 md5 straight`,
      ),
      '    guid a123456789abcdefa123456789abcdef',
      '  endlan',
      `  chassis_control "${join(ASSETS, 'chassis-control.sh')} ${chassis}"`,
      '  user 1 true "" "anonymous-unused" user 10 none md2 md5 straight',
      `  user 2 true "${username}" "${password}" admin 10 none md2 md5 straight`,
      '',
    ].join('\n'),
  );

  let child: ChildProcess | undefined;
  const read = (name: string, fallback: string): string => {
    try {
      return readFileSync(join(chassis, name), 'utf8').trim();
    } catch {
      return fallback;
    }
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  const start = async (): Promise<void> => {
    if (child !== undefined) return;
    const started = spawn(
      'ipmi_sim',
      ['-n', '-c', join(dir, 'lan.conf'), '-f', join(ASSETS, 'bmc.emu'), '-s', state],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let errors = '';
    started.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    child = started;
    try {
      await waitUntilAnswering(port, started, () => errors);
    } catch (error) {
      await kill();
      throw error;
    }
  };
  await start();
  return {
    host: HOST,
    port,
    username,
    password,
    powerOn: () => read('power', '0') === '1',
    setPower: (on) => writeFileSync(join(chassis, 'power'), on ? '1\n' : '0\n'),
    bootDevice: () => read('boot', 'none'),
    resets: () => Number(read('resets', '0')),
    controlLog: () => read('log', '').split('\n').filter(Boolean),
    kill,
    start,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A UDP port nothing listens on now (the simulator binds it right after). */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/**
 * An IPMI 1.5 session-less Get Channel Authentication Capabilities request
 * (RMCP header, session header with auth type none, message to the BMC at
 * 0x20, channel "this one", administrator): any answer means the simulator
 * is up. Written out so that readiness does not depend on the client under
 * test.
 */
const CHANNEL_AUTH_PROBE = Buffer.from([
  0x06, 0x00, 0xff, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x20, 0x18,
  0xc8, 0x81, 0x00, 0x38, 0x8e, 0x04, 0xb5,
]);

async function waitUntilAnswering(
  port: number,
  child: ChildProcess,
  errors: () => string,
): Promise<void> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => {
        reject(new Error(`ipmi_sim did not answer on ${HOST}:${String(port)}: ${errors()}`));
      }, READY_TIMEOUT_MS);
      const finish = (error?: Error): void => {
        clearTimeout(deadline);
        clearInterval(probing);
        child.off('exit', onExit);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onExit = (code: number | null): void => {
        finish(new Error(`ipmi_sim exited (${String(code)}) before answering: ${errors()}`));
      };
      child.once('exit', onExit);
      socket.once('message', () => finish());
      const probe = (): void => socket.send(CHANNEL_AUTH_PROBE, port, HOST);
      const probing = setInterval(probe, 50);
      probe();
    });
  } finally {
    socket.close();
  }
}

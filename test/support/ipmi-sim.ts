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
import { peerSuiteOptions } from './peer-suite.ts';

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
  return peerSuiteOptions(ipmiSimMissing());
}

export interface IpmiSimOptions {
  readonly username?: string;
  readonly password?: string;
  /** Initial power: on or off (default off). */
  readonly powerOn?: boolean;
  /**
   * SOL: a TCP port on 127.0.0.1 where the test plays the host's serial
   * port (lan.conf `sol "tcp:127.0.0.1:PORT" 115200`). ipmi_sim connects
   * to it as a client when it starts, and bridges it to SOL payload 1.
   */
  readonly solPort?: number;
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
      ...(options.solPort === undefined
        ? []
        : [`  sol "tcp:${HOST}:${String(options.solPort)}" 115200`]),
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

/** Many simulated BMCs for benchmarks: power only (no sensors), admin/password each. */
export interface IpmiSimFleet {
  readonly host: string;
  readonly ports: readonly number[];
  readonly username: string;
  readonly password: string;
  /** ipmi_sim processes running the fleet. */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

/** Management controllers per ipmi_sim process: even IPMB addresses 0x20…0xEE. */
const MCS_PER_PROCESS = 100;

/**
 * Starts `count` BMCs, up to 100 per ipmi_sim process, each a management
 * controller of its own with its own LAN channel, UDP port, user and chassis
 * state (ipmi_sim runs one MC per IPMB address).
 */
export async function startIpmiSimFleet(count: number): Promise<IpmiSimFleet> {
  const missing = ipmiSimMissing();
  if (missing !== undefined) throw new Error(`ipmi_sim cannot run: ${missing}`);
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-ipmi-fleet-'));
  const username = 'admin';
  const password = 'password';
  const ports = await freeUdpPorts(count);
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let first = 0; first < count; first += MCS_PER_PROCESS) {
      const group = ports.slice(first, first + MCS_PER_PROCESS);
      const groupDir = join(dir, `group${String(first / MCS_PER_PROCESS)}`);
      mkdirSync(join(groupDir, 'state'), { recursive: true });
      const conf: string[] = ['name "fleet"'];
      const emu: string[] = ['mc_setbmc 0x20'];
      group.forEach((port, k) => {
        const mc = `0x${(0x20 + 2 * k).toString(16)}`;
        const chassis = join(groupDir, `chassis-${String(port)}`);
        mkdirSync(chassis);
        writeFileSync(join(chassis, 'power'), '0\n');
        conf.push(
          `set_working_mc ${mc}`,
          '  startlan 1',
          `    addr ${HOST} ${String(port)}`,
          '    priv_limit admin',
          ...['callback', 'user', 'operator', 'admin'].map(
            (level) => `    allowed_auths_${level} none md2 md5 straight`,
          ),
          `    guid a123456789abcdefa1234567${port.toString(16).padStart(8, '0')}`,
          '  endlan',
          `  chassis_control "${join(ASSETS, 'chassis-control.sh')} ${chassis}"`,
          `  user 2 true "${username}" "${password}" admin 10 none md2 md5 straight`,
        );
        emu.push(`mc_add ${mc} 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0x${port.toString(16)}`);
      });
      // The other controllers first, the BMC itself (0x20) last.
      for (let k = group.length - 1; k >= 0; k--)
        emu.push(`mc_enable 0x${(0x20 + 2 * k).toString(16)}`);
      writeFileSync(join(groupDir, 'lan.conf'), `${conf.join('\n')}\n`);
      writeFileSync(join(groupDir, 'bmc.emu'), `${emu.join('\n')}\n`);
      const child = spawn(
        'ipmi_sim',
        [
          '-n',
          '-c',
          join(groupDir, 'lan.conf'),
          '-f',
          join(groupDir, 'bmc.emu'),
          '-s',
          join(groupDir, 'state'),
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
      children.push(child);
      // One readiness probe per controller, each listening for the process's exit.
      child.setMaxListeners(group.length + 10);
      await Promise.all(group.map((port) => waitUntilAnswering(port, child, () => errors)));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    host: HOST,
    ports,
    username,
    password,
    pids: children.map((child) => child.pid ?? 0),
    stop,
  };
}

/** `count` distinct UDP ports nothing listens on now, held together so none repeats. */
async function freeUdpPorts(count: number): Promise<number[]> {
  const sockets = Array.from({ length: count }, () => createSocket('udp4'));
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.bind(0, HOST, resolve))));
  const ports = sockets.map((s) => s.address().port);
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

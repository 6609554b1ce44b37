/**
 * An emulated server of the lab: NICs, a disk (a sparse file), and a host
 * that does what its BMC is told. Powered on from the network or from
 * virtual media it finds the ramdisk's parameters the way firmware would
 * and runs a real `ferrite agent` process for itself; powered on from its
 * disk it "boots" the image there (reads it and reports what it found);
 * powered off, whatever runs stops.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ferriteBin } from '../../common/package-root.ts';
import type { Logger } from '../../common/logging.ts';
import { readDiskImage } from '../image/demo-image.ts';
import type { DiskReport } from '../image/demo-image.ts';
import { mediaBoot, networkBoot } from './boot-media.ts';
import type { KernelParams } from './boot-media.ts';

/** Where the firmware boots from, as the BMC's boot override says. */
export interface BootChoice {
  readonly device: 'network' | 'cd' | 'disk' | 'default';
  /** The image in the virtual CD, if one is inserted. */
  readonly mediaUrl?: string | undefined;
}

export type MachineState = 'off' | 'booting' | 'ramdisk' | 'os' | 'no-boot-device';

/** The agent's exit code when it asked for a reboot (standby.run_image). */
export const AGENT_REBOOT_EXIT = 10;

export interface LabMachineOptions {
  readonly name: string;
  readonly macs: readonly string[];
  readonly disk: string;
  /** The boot server firmware is pointed at (DHCP's job on a real network): the conductor's HTTP root URL. */
  readonly bootUrl: string;
  /** Where an inserted ISO keeps the ramdisk parameters. */
  readonly isoParamsPath?: string;
  /** More arguments for the agent (e.g. a heartbeat interval). */
  readonly agentArgs?: readonly string[];
  /** The host went off by itself (the agent powered the machine off): the BMC must say so. */
  readonly onSelfPowerOff?: () => void;
  /** Check every byte of an image booted from disk against its label (default true). */
  readonly verifyImage?: boolean;
  readonly logger: Logger;
}

export class LabMachine {
  readonly name: string;
  readonly macs: readonly string[];
  readonly disk: string;
  state: MachineState = 'off';
  /** The ramdisk's parameters, while it runs. */
  ramdiskParams: KernelParams | undefined;
  /** What the last boot from disk found. */
  os: DiskReport | undefined;
  /** The agent's API, while it runs. */
  agentUrl: string | undefined;
  /** What happened, oldest first: power changes, boots, NMIs. */
  readonly history: string[] = [];
  nmiCount = 0;
  readonly #options: LabMachineOptions;
  #agent: ChildProcess | undefined;
  #agentLog = '';
  /** Bumped by every power change: a boot still running for an older one gives up. */
  #generation = 0;
  #work: Promise<void> = Promise.resolve();
  #poweredOn = false;
  #abort = new AbortController();

  constructor(options: LabMachineOptions) {
    this.#options = options;
    this.name = options.name;
    this.macs = options.macs;
    this.disk = options.disk;
  }

  /** The tail of the running (or last) agent's log. */
  agentLog(): string {
    return this.#agentLog;
  }

  /** Resolves once the current power change has played out (the agent listening, the OS read). */
  settled(): Promise<void> {
    return this.#work;
  }

  /** Whether the machine has power, as its BMC last set it (the host may still be catching up). */
  get poweredOn(): boolean {
    return this.#poweredOn;
  }

  powerOn(boot: BootChoice): void {
    if (this.#poweredOn) return;
    this.#poweredOn = true;
    this.#change(`power on (${boot.device})`, () => this.#boot(boot));
  }

  /** Hard (the power cut) or soft (the OS asked to shut down). */
  powerOff(soft = false): void {
    this.#poweredOn = false;
    this.#change(soft ? 'soft power off' : 'power off', async () => {});
  }

  /** A reset or power cycle: off, then booting as the override now says. */
  reset(boot: BootChoice): void {
    this.#poweredOn = true;
    this.#change(`reset (${boot.device})`, () => this.#boot(boot));
  }

  nmi(): void {
    this.nmiCount += 1;
    this.history.push('nmi');
    this.#options.logger.info({ machine: this.name, state: this.state }, 'NMI');
  }

  async close(): Promise<void> {
    this.#generation += 1;
    this.#poweredOn = false;
    this.#abort.abort();
    await this.#stopAgent(false);
    this.state = 'off';
  }

  #change(what: string, then: () => Promise<void>): void {
    const generation = ++this.#generation;
    this.#abort.abort();
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.history.push(what);
    const previous = this.#work;
    this.#work = (async () => {
      await previous.catch(() => {});
      await this.#stopAgent(what.startsWith('soft'));
      this.state = 'off';
      this.ramdiskParams = undefined;
      this.agentUrl = undefined;
      if (generation !== this.#generation || signal.aborted) return;
      await then();
    })().catch((error: unknown) => {
      if (signal.aborted) return;
      this.state = 'no-boot-device';
      this.history.push(`boot failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#options.logger.warn({ machine: this.name, error: String(error) }, 'boot failed');
    });
  }

  async #boot(boot: BootChoice): Promise<void> {
    const generation = this.#generation;
    const signal = this.#abort.signal;
    this.state = 'booting';
    let device = boot.device;
    if (device === 'default') {
      // Servers try their disk first, then the network.
      const found = await readDiskImage(this.disk, false);
      device = found.bootable ? 'disk' : 'network';
    }
    if (device === 'disk') {
      this.os = await readDiskImage(this.disk, this.#options.verifyImage ?? true);
      if (generation !== this.#generation) return;
      this.state = this.os.bootable ? 'os' : 'no-boot-device';
      this.history.push(
        this.os.bootable ? `booted ${this.os.label.name} from disk` : `disk: ${this.os.reason}`,
      );
      return;
    }
    const params =
      device === 'network'
        ? await networkBoot(this.#options.bootUrl, this.macs, signal)
        : boot.mediaUrl
          ? await mediaBoot(
              boot.mediaUrl,
              this.#options.isoParamsPath ?? '/ferrite/params.txt',
              signal,
            )
          : undefined;
    if (generation !== this.#generation) return;
    const apiUrl = params?.get('ipa-api-url');
    if (!params || apiUrl === undefined) {
      this.state = 'no-boot-device';
      this.history.push(`${device}: nothing to boot`);
      return;
    }
    this.ramdiskParams = params;
    await this.#startAgent(apiUrl, params, generation);
  }

  async #startAgent(apiUrl: string, params: KernelParams, generation: number): Promise<void> {
    const args = [
      ferriteBin(),
      'agent',
      '--api-url',
      apiUrl,
      '--listen',
      '127.0.0.1:0',
      '--disk',
      this.disk,
      ...this.macs.flatMap((mac) => ['--mac', mac]),
      '--log-level',
      'warn',
      ...(params.get('ipa-node-uuid') ? ['--node-uuid', params.get('ipa-node-uuid') ?? ''] : []),
      ...(params.get('ipa-agent-token')
        ? ['--agent-token', params.get('ipa-agent-token') ?? '']
        : []),
      ...(this.#options.agentArgs ?? []),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#agent = child;
    this.#agentLog = '';
    child.stderr.on('data', (chunk: Buffer) => {
      this.#agentLog = (this.#agentLog + chunk.toString('utf8')).slice(-20_000);
    });
    child.once('exit', (code) => {
      if (this.#agent !== child) return;
      this.#agent = undefined;
      // The ramdisk ended by itself: the agent powered the machine off, or asked for a reboot.
      if (generation !== this.#generation) return;
      if (code === AGENT_REBOOT_EXIT) {
        this.reset({ device: 'default' });
        return;
      }
      this.#generation += 1;
      this.#poweredOn = false;
      this.state = 'off';
      this.agentUrl = undefined;
      this.history.push(`ramdisk ended (${String(code)})`);
      this.#options.onSelfPowerOff?.();
    });
    const url = await new Promise<string | undefined>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /listening on (\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => resolve(undefined));
    });
    if (generation !== this.#generation || url === undefined) return;
    this.agentUrl = url;
    this.state = 'ramdisk';
    this.history.push('ramdisk running');
  }

  async #stopAgent(soft: boolean): Promise<void> {
    const child = this.#agent;
    if (!child) return;
    this.#agent = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(soft ? 'SIGTERM' : 'SIGKILL');
    await exited;
  }
}

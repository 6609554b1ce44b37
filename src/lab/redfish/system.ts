/**
 * One emulated machine as its Redfish BMC sees it: the ComputerSystem's
 * power and boot override, the Manager's virtual CD, the storage
 * controller's drives and volumes, and the Chassis sensors. Tests read and
 * set this state directly; the resource handlers answer from it.
 */
import { SystemFaults } from './faults.ts';

export type PowerState = 'On' | 'Off';

export const RESET_TYPES = [
  'On',
  'ForceOff',
  'GracefulShutdown',
  'GracefulRestart',
  'ForceRestart',
  'Nmi',
] as const;
export type ResetType = (typeof RESET_TYPES)[number];

export const BOOT_TARGETS = ['None', 'Pxe', 'Cd', 'Usb', 'Hdd', 'BiosSetup', 'UefiHttp'] as const;
export const BOOT_ENABLED = ['Disabled', 'Once', 'Continuous'] as const;
export const BOOT_MODES = ['UEFI', 'Legacy'] as const;

export interface BootOverride {
  target: (typeof BOOT_TARGETS)[number];
  enabled: (typeof BOOT_ENABLED)[number];
  mode: (typeof BOOT_MODES)[number];
}

export interface VirtualMediaState {
  image: string | null;
  inserted: boolean;
  writeProtected: boolean;
}

export interface Drive {
  readonly id: string;
  readonly capacityBytes: number;
  readonly mediaType: 'HDD' | 'SSD';
  readonly protocol: 'SATA' | 'SAS' | 'NVMe';
}

export interface Volume {
  readonly id: string;
  readonly name: string;
  readonly raidType: string;
  readonly capacityBytes: number;
  readonly drives: readonly string[];
}

export const RAID_TYPES = ['RAID0', 'RAID1', 'RAID5', 'RAID10'] as const;

export interface SystemOptions {
  /** The id in every URI of the machine (System, Manager, Chassis); default `system-<n>`. */
  readonly id?: string;
  readonly name?: string;
  readonly uuid?: string;
  readonly powerState?: PowerState;
  /** MACs of the Ethernet interfaces (default one, derived from the index). */
  readonly macs?: readonly string[];
  readonly processorCount?: number;
  readonly memoryGiB?: number;
  /** Whether GETs of the System and its VirtualMedia carry an ETag (default true). */
  readonly etags?: boolean;
  /** How many polls of a task monitor answer 202 before the result (default 2). */
  readonly taskPolls?: number;
  /** The Retry-After of a task monitor's 202, in seconds (default 1). */
  readonly retryAfterSeconds?: number;
  readonly drives?: readonly Drive[];
}

/** Something the machine was told to do, for tests that look at the order of things. */
export interface SystemEvent {
  readonly kind:
    'reset' | 'boot' | 'insert-media' | 'eject-media' | 'volume-created' | 'volume-deleted';
  readonly detail: string;
}

export class EmulatedSystem {
  readonly id: string;
  readonly name: string;
  readonly uuid: string;
  readonly macs: readonly string[];
  readonly processorCount: number;
  readonly memoryGiB: number;
  readonly taskPolls: number;
  readonly retryAfterSeconds: number;
  /** Whether GETs carry ETags; tests may switch it. */
  etags: boolean;
  powerState: PowerState;
  readonly boot: BootOverride = { target: 'None', enabled: 'Disabled', mode: 'UEFI' };
  readonly virtualMedia: VirtualMediaState = { image: null, inserted: false, writeProtected: true };
  readonly drives: readonly Drive[];
  readonly volumes = new Map<string, Volume>();
  nmiCount = 0;
  /** The If-Match of the last PATCH of the System (undefined: none sent), to see what a client sends. */
  lastIfMatch: string | undefined;
  readonly events: SystemEvent[] = [];
  readonly faults = new SystemFaults();
  #systemVersion = 1;
  #mediaVersion = 1;
  #nextVolume = 1;

  constructor(index: number, options: SystemOptions = {}) {
    this.id = options.id ?? `system-${index}`;
    this.name = options.name ?? `Emulated system ${index}`;
    const hex = index.toString(16).padStart(12, '0');
    this.uuid = options.uuid ?? `5f3a0000-0000-4000-8000-${hex}`;
    const low = (index & 0xffff).toString(16).padStart(4, '0');
    this.macs = options.macs ?? [`52:54:00:00:${low.slice(0, 2)}:${low.slice(2)}`];
    this.processorCount = options.processorCount ?? 2;
    this.memoryGiB = options.memoryGiB ?? 64;
    this.etags = options.etags ?? true;
    this.taskPolls = options.taskPolls ?? 2;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.powerState = options.powerState ?? 'Off';
    this.drives = options.drives ?? [
      { id: 'Disk0', capacityBytes: 480_103_981_056, mediaType: 'SSD', protocol: 'SATA' },
      { id: 'Disk1', capacityBytes: 480_103_981_056, mediaType: 'SSD', protocol: 'SATA' },
      { id: 'Disk2', capacityBytes: 1_999_844_147_200, mediaType: 'HDD', protocol: 'SAS' },
    ];
  }

  /** The System's ETag: changes whenever its power or boot override does. */
  get systemEtag(): string {
    return `"${this.id}-s${this.#systemVersion}"`;
  }

  get mediaEtag(): string {
    return `"${this.id}-m${this.#mediaVersion}"`;
  }

  /**
   * Hears every reset with the boot override as the boot saw it (before a
   * `Once` is used up) and whether the system was on: a lab machine's host.
   */
  onReset: ((type: ResetType, boot: BootOverride, wasOn: boolean) => void) | undefined;

  /** Applies a ComputerSystem.Reset at once (the emulator has no power-on delay). */
  reset(type: ResetType): void {
    const seen = { ...this.boot };
    const wasOn = this.powerState === 'On';
    switch (type) {
      case 'On':
      case 'GracefulRestart':
      case 'ForceRestart':
        this.powerState = 'On';
        break;
      case 'ForceOff':
      case 'GracefulShutdown':
        this.powerState = 'Off';
        break;
      case 'Nmi':
        this.nmiCount += 1;
        break;
    }
    // A boot override set to Once is used up by the boot that follows.
    if (type !== 'Nmi' && type !== 'ForceOff' && type !== 'GracefulShutdown') {
      if (this.boot.enabled === 'Once') this.boot.enabled = 'Disabled';
    }
    this.#systemVersion += 1;
    this.events.push({ kind: 'reset', detail: type });
    this.onReset?.(type, seen, wasOn);
  }

  setBoot(change: Partial<BootOverride>): void {
    Object.assign(this.boot, change);
    this.#systemVersion += 1;
    this.events.push({
      kind: 'boot',
      detail: `${this.boot.target}/${this.boot.enabled}/${this.boot.mode}`,
    });
  }

  insertMedia(image: string, writeProtected = true): void {
    this.virtualMedia.image = image;
    this.virtualMedia.inserted = true;
    this.virtualMedia.writeProtected = writeProtected;
    this.#mediaVersion += 1;
    this.events.push({ kind: 'insert-media', detail: image });
  }

  ejectMedia(): void {
    this.virtualMedia.image = null;
    this.virtualMedia.inserted = false;
    this.#mediaVersion += 1;
    this.events.push({ kind: 'eject-media', detail: '' });
  }

  addVolume(spec: Omit<Volume, 'id'>): Volume {
    const volume: Volume = { ...spec, id: String(this.#nextVolume) };
    this.#nextVolume += 1;
    this.volumes.set(volume.id, volume);
    this.events.push({ kind: 'volume-created', detail: volume.id });
    return volume;
  }

  deleteVolume(id: string): boolean {
    const found = this.volumes.delete(id);
    if (found) this.events.push({ kind: 'volume-deleted', detail: id });
    return found;
  }
}

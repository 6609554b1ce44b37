/**
 * The machine's hardware as the ramdisk agent reports it (the inventory of
 * ironic-python-agent's get_hardware_info), read from /proc and /sys. The
 * roots are parameters so tests can hand in a tree of their own.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';

export interface InventoryRoots {
  /** Default /proc. */
  readonly proc?: string;
  /** Default /sys. */
  readonly sys?: string;
}

export interface InventoryCpu {
  readonly model_name: string | null;
  readonly frequency: string | null;
  readonly count: number;
  readonly architecture: string;
  readonly flags: string[];
}

export interface InventoryDisk {
  readonly name: string;
  readonly model: string | null;
  readonly vendor: string | null;
  readonly size: number;
  readonly rotational: boolean;
  readonly serial: string | null;
  readonly wwn: string | null;
}

export interface InventoryInterface {
  readonly name: string;
  readonly mac_address: string;
  readonly ipv4_address: string | null;
  readonly has_carrier: boolean;
  readonly vendor: string | null;
  readonly product: string | null;
}

export interface Inventory {
  readonly cpu: InventoryCpu;
  readonly memory: { readonly total: number; readonly physical_mb: number };
  readonly disks: InventoryDisk[];
  readonly interfaces: InventoryInterface[];
  readonly system_vendor: {
    readonly product_name: string | null;
    readonly serial_number: string | null;
    readonly manufacturer: string | null;
  };
  readonly boot: { readonly current_boot_mode: 'uefi' | 'bios'; readonly pxe_interface: null };
  readonly hostname: string;
}

/** Node's process.arch as the kernel and Ironic name it. */
const ARCH: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  arm: 'armv7l',
  ppc64: 'ppc64le',
  s390x: 's390x',
  ia32: 'i686',
};

function text(path: string): string | null {
  try {
    const value = readFileSync(path, 'utf8').trim();
    return value === '' ? null : value;
  } catch {
    return null;
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** CPUs from /proc/cpuinfo: logical processors, the first one's model, speed and flags. */
export function readCpu(proc: string, arch: string = process.arch): InventoryCpu {
  const info = text(join(proc, 'cpuinfo')) ?? '';
  const blocks = info.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  const field = (name: string): string | null => {
    const match = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(blocks[0] ?? '');
    return match?.[1]?.trim() ?? null;
  };
  return {
    model_name: field('model name'),
    frequency: field('cpu MHz'),
    count: blocks.length,
    architecture: ARCH[arch] ?? arch,
    flags: (field('flags') ?? '').split(/\s+/).filter((f) => f !== ''),
  };
}

/** Memory from /proc/meminfo: MemTotal in bytes, and in MiB as physical_mb. */
export function readMemory(proc: string): Inventory['memory'] {
  const match = /^MemTotal:\s*(\d+)\s*kB/m.exec(text(join(proc, 'meminfo')) ?? '');
  const total = match?.[1] === undefined ? 0 : Number(match[1]) * 1024;
  return { total, physical_mb: Math.round(total / 1024 / 1024) };
}

/** Block devices from /sys/block, without loop, RAM, zram and device-mapper devices. */
export function readDisks(sys: string): InventoryDisk[] {
  const disks: InventoryDisk[] = [];
  for (const name of entries(join(sys, 'block'))) {
    if (/^(loop|ram|zram|dm-|md|sr|fd|nbd)/.test(name)) continue;
    const base = join(sys, 'block', name);
    const sectors = Number(text(join(base, 'size')) ?? '0');
    if (!(sectors > 0)) continue;
    disks.push({
      name: `/dev/${name}`,
      model: text(join(base, 'device', 'model')),
      vendor: text(join(base, 'device', 'vendor')),
      // The kernel counts in 512-byte sectors whatever the device's own sector size.
      size: sectors * 512,
      rotational: text(join(base, 'queue', 'rotational')) === '1',
      serial: text(join(base, 'device', 'serial')) ?? text(join(base, 'serial')),
      wwn: text(join(base, 'device', 'wwid')) ?? text(join(base, 'wwid')),
    });
  }
  return disks;
}

/** Network interfaces from /sys/class/net that have a MAC: not lo, not the ones reading 00:00…. */
export function readInterfaces(sys: string): InventoryInterface[] {
  const addresses = networkInterfaces();
  const result: InventoryInterface[] = [];
  for (const name of entries(join(sys, 'class', 'net'))) {
    const base = join(sys, 'class', 'net', name);
    const mac = text(join(base, 'address'))?.toLowerCase();
    if (mac === undefined || !/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) continue;
    if (mac === '00:00:00:00:00:00') continue;
    const ipv4 = (addresses[name] ?? []).find((a) => a.family === 'IPv4')?.address ?? null;
    result.push({
      name,
      mac_address: mac,
      ipv4_address: ipv4,
      has_carrier: text(join(base, 'carrier')) === '1',
      vendor: text(join(base, 'device', 'vendor')),
      product: text(join(base, 'device', 'device')),
    });
  }
  return result;
}

/** Everything the agent reports about the machine it runs on. */
export function readInventory(roots: InventoryRoots = {}): Inventory {
  const proc = roots.proc ?? '/proc';
  const sys = roots.sys ?? '/sys';
  const dmi = join(sys, 'class', 'dmi', 'id');
  return {
    cpu: readCpu(proc),
    memory: readMemory(proc),
    disks: readDisks(sys),
    interfaces: readInterfaces(sys),
    system_vendor: {
      product_name: text(join(dmi, 'product_name')),
      serial_number: text(join(dmi, 'product_serial')),
      manufacturer: text(join(dmi, 'sys_vendor')),
    },
    boot: {
      current_boot_mode: existsSync(join(sys, 'firmware', 'efi')) ? 'uefi' : 'bios',
      pxe_interface: null,
    },
    hostname: hostname(),
  };
}

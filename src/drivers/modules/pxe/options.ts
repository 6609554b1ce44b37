import { join } from 'node:path';
import type { JsonValue } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { configInvalid, familyOptions } from '../../family-options.ts';
import type { OptionReaders } from '../../family-options.ts';

/** Conductor-wide settings of the boot interfaces that serve files over HTTP (`options.pxe`). */
export interface PxeOptions {
  /** The directory served at `httpUrl`: per-node folders, MAC entries, the image cache. */
  readonly httpRoot: string;
  /**
   * The URL at which `httpRoot` is served, as nodes and BMCs reach it;
   * empty means the conductor's own API address + `/boot` (filled in by `ferrite serve`).
   */
  readonly httpUrl: string;
  /** The deploy kernel of nodes whose driver_info gives none: an http(s) URL or a file path. */
  readonly deployKernel: string;
  /** The deploy ramdisk of nodes whose driver_info gives none. */
  readonly deployRamdisk: string;
  /** Kernel command line parameters added to every ramdisk boot (e.g. a serial console). */
  readonly kernelAppendParams: string;
  /**
   * ISOLINUX's isolinux.bin on the conductor: when set, ramdisk ISOs boot
   * BIOS machines with it (ldlinux.c32 beside it is added too when present).
   */
  readonly isolinuxBin: string;
  /**
   * An EFI System Partition image (FAT, with a boot loader that reads
   * /boot/grub/grub.cfg from the ISO, e.g. GRUB) on the conductor: when
   * set, ramdisk ISOs boot UEFI machines with it.
   */
  readonly espImage: string;
}

/** The default HTTP root: `.ferrite/httpboot` under the working directory, beside the database. */
export function defaultHttpRoot(cwd: string = process.cwd()): string {
  return join(cwd, '.ferrite', 'httpboot');
}

export const DEFAULT_PXE_OPTIONS: PxeOptions = {
  httpRoot: defaultHttpRoot(),
  httpUrl: '',
  deployKernel: '',
  deployRamdisk: '',
  kernelAppendParams: '',
  isolinuxBin: '',
  espImage: '',
};

function stringOption(key: string, test: (value: string) => boolean, expected: string) {
  return (value: JsonValue): string => {
    if (typeof value !== 'string' || !test(value)) {
      throw configInvalid(`pxe.${key}: expected ${expected}, got ${JSON.stringify(value)}`);
    }
    return value;
  };
}

/** An http(s) URL, a file:// URL or an absolute path; empty for none. */
export function isImageSource(value: string): boolean {
  return /^https?:\/\/\S+$/.test(value) || /^file:\/\/\/\S*$/.test(value) || value.startsWith('/');
}

const READERS: OptionReaders<PxeOptions> = {
  httpRoot: stringOption('httpRoot', (v) => v.startsWith('/'), 'an absolute path'),
  httpUrl: (value) =>
    stringOption(
      'httpUrl',
      (v) => v === '' || /^https?:\/\/\S+$/.test(v),
      'an http(s) URL',
    )(value).replace(/\/+$/, ''),
  deployKernel: stringOption(
    'deployKernel',
    (v) => v === '' || isImageSource(v),
    'an http(s) URL, a file:// URL or an absolute path',
  ),
  deployRamdisk: stringOption(
    'deployRamdisk',
    (v) => v === '' || isImageSource(v),
    'an http(s) URL, a file:// URL or an absolute path',
  ),
  kernelAppendParams: stringOption('kernelAppendParams', () => true, 'a string'),
  isolinuxBin: stringOption(
    'isolinuxBin',
    (v) => v === '' || v.startsWith('/'),
    'an absolute path',
  ),
  espImage: stringOption('espImage', (v) => v === '' || v.startsWith('/'), 'an absolute path'),
};

/** Reads `options.pxe`, refusing unknown keys and bad values. */
export function pxeOptions(env: DriverEnvironment): PxeOptions {
  return familyOptions(env, 'pxe', DEFAULT_PXE_OPTIONS, READERS);
}

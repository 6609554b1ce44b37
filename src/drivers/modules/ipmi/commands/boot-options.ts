/**
 * The boot device through System Boot Options (IPMI 2.0 §28.12, §28.13,
 * table 28-14): parameter 5 holds the boot flags, parameter 3 says which
 * events clear their valid bit.
 */
import type { IpmiChannel } from '../types.ts';
import { byteAt, exchange, NetFn, protocolError } from './exchange.ts';

export const BootOptionsCommand = { SET: 0x08, GET: 0x09 } as const;

/** System Boot Options parameter selectors used here. */
export const BootParameter = {
  SET_IN_PROGRESS: 0,
  /** BMC boot flag valid bit clearing. */
  VALID_BIT_CLEARING: 3,
  BOOT_INFO_ACKNOWLEDGE: 4,
  BOOT_FLAGS: 5,
} as const;

/** Parameter 5 data byte 1. */
export const BootFlagBits = { VALID: 0x80, PERSISTENT: 0x40, EFI: 0x20 } as const;

/**
 * Parameter 3, bit 3: do not clear the valid bit when no Chassis Control
 * follows within 60 seconds. What Ironic sends as `raw 0x00 0x08 0x03 0x08`
 * (ipmi_disable_boot_timeout), so the flags survive a slow deployment step.
 */
export const KEEP_FLAGS_PAST_TIMEOUT = 0x08;

export type BootSelector = 'none' | 'pxe' | 'disk' | 'safe' | 'diag' | 'cdrom' | 'bios' | 'floppy';

/** Boot device selector, bits 5:2 of parameter 5 data byte 2. */
export const BOOT_SELECTOR_CODE: Readonly<Record<BootSelector, number>> = {
  none: 0,
  pxe: 1,
  disk: 2,
  safe: 3,
  diag: 4,
  cdrom: 5,
  bios: 6,
  floppy: 15,
};

const SELECTOR_OF_CODE = new Map<number, BootSelector>(
  Object.entries(BOOT_SELECTOR_CODE).map(([name, code]) => [code, name as BootSelector]),
);

export interface BootFlagsRequest {
  readonly device: BootSelector;
  readonly persistent: boolean;
  readonly efi: boolean;
}

export interface BootFlags {
  /** Undefined for selectors outside BootSelector (remote media, OEM …). */
  readonly device: BootSelector | undefined;
  readonly persistent: boolean;
  readonly efi: boolean;
  readonly valid: boolean;
  /** The five data bytes of parameter 5 as the BMC returned them. */
  readonly raw: Uint8Array;
}

/** Parameter 5's five data bytes for `flags`, with the valid bit set. */
export function encodeBootFlags(flags: BootFlagsRequest): Uint8Array {
  let first = BootFlagBits.VALID;
  if (flags.persistent) first |= BootFlagBits.PERSISTENT;
  if (flags.efi) first |= BootFlagBits.EFI;
  return Uint8Array.of(first, BOOT_SELECTOR_CODE[flags.device] << 2, 0, 0, 0);
}

export function decodeBootFlags(data: Uint8Array): BootFlags {
  if (data.length < 2) {
    throw protocolError('get boot flags', `parameter 5 of ${String(data.length)} bytes`);
  }
  const first = byteAt(data, 0);
  return {
    device: SELECTOR_OF_CODE.get((byteAt(data, 1) >> 2) & 0x0f),
    persistent: (first & BootFlagBits.PERSISTENT) !== 0,
    efi: (first & BootFlagBits.EFI) !== 0,
    valid: (first & BootFlagBits.VALID) !== 0,
    raw: data.slice(0, 5),
  };
}

export async function setBootOption(
  channel: IpmiChannel,
  parameter: number,
  value: Uint8Array,
  signal?: AbortSignal,
): Promise<void> {
  const data = new Uint8Array(1 + value.length);
  data[0] = parameter & 0x7f;
  data.set(value, 1);
  await exchange(
    channel,
    `set system boot option ${String(parameter)}`,
    { netFn: NetFn.CHASSIS, command: BootOptionsCommand.SET, data },
    0,
    signal,
  );
}

/** Parameter `parameter`'s data (after the version and selector bytes). */
export async function getBootOption(
  channel: IpmiChannel,
  parameter: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const command = `get system boot option ${String(parameter)}`;
  const data = await exchange(
    channel,
    command,
    {
      netFn: NetFn.CHASSIS,
      command: BootOptionsCommand.GET,
      data: Uint8Array.of(parameter & 0x7f, 0, 0),
    },
    2,
    signal,
  );
  if ((byteAt(data, 1) & 0x7f) !== (parameter & 0x7f)) {
    throw protocolError(command, `answer for parameter ${String(byteAt(data, 1) & 0x7f)}`);
  }
  return data.slice(2);
}

/**
 * Sets the boot device, as `ipmitool chassis bootdev … options=…` does
 * without set-in-progress (which ipmi_sim and several BMCs refuse).
 */
export async function setBootFlags(
  channel: IpmiChannel,
  flags: BootFlagsRequest,
  signal?: AbortSignal,
): Promise<void> {
  await setBootOption(channel, BootParameter.BOOT_FLAGS, encodeBootFlags(flags), signal);
}

export async function getBootFlags(channel: IpmiChannel, signal?: AbortSignal): Promise<BootFlags> {
  return decodeBootFlags(await getBootOption(channel, BootParameter.BOOT_FLAGS, signal));
}

/** Ironic's ipmi_disable_boot_timeout: parameter 3 = 0x08. */
export async function disableBootFlagTimeout(
  channel: IpmiChannel,
  signal?: AbortSignal,
): Promise<void> {
  await setBootOption(
    channel,
    BootParameter.VALID_BIT_CLEARING,
    Uint8Array.of(KEEP_FLAGS_PAST_TIMEOUT),
    signal,
  );
}

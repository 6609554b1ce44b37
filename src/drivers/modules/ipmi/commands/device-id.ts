/** Get Device ID (IPMI 2.0 §20.1): who the BMC is and which firmware it runs. */
import type { IpmiChannel } from '../types.ts';
import { byteAt, exchange, NetFn, protocolError } from './exchange.ts';

export const GET_DEVICE_ID = 0x01;

export interface DeviceId {
  readonly deviceId: number;
  readonly deviceRevision: number;
  readonly providesDeviceSdrs: boolean;
  /** "9.08": major in binary, minor in two BCD digits, as ipmitool prints it. */
  readonly firmware: string;
  readonly firmwareMajor: number;
  readonly firmwareMinor: number;
  /** The BMC is updating its firmware (or self-initializing). */
  readonly firmwareUpdating: boolean;
  /** "2.0", "1.5". */
  readonly ipmiVersion: string;
  readonly additionalDeviceSupport: number;
  /** IANA enterprise number, 20 bits. */
  readonly manufacturerId: number;
  readonly productId: number;
  /** Four bytes of auxiliary firmware revision, when the BMC sends them. */
  readonly auxFirmware?: Uint8Array;
}

export async function getDeviceId(channel: IpmiChannel, signal?: AbortSignal): Promise<DeviceId> {
  const data = await exchange(
    channel,
    'get device id',
    { netFn: NetFn.APP, command: GET_DEVICE_ID },
    11,
    signal,
  );
  return decodeDeviceId(data);
}

function bcd(value: number): number {
  return (value >> 4) * 10 + (value & 0x0f);
}

export function decodeDeviceId(data: Uint8Array): DeviceId {
  if (data.length < 11) {
    throw protocolError('get device id', `answer of ${String(data.length)} bytes, 11 expected`);
  }
  const fw1 = byteAt(data, 2);
  const fw2 = byteAt(data, 3);
  const version = byteAt(data, 4);
  const firmwareMinor = bcd(fw2);
  const id: DeviceId = {
    deviceId: byteAt(data, 0),
    deviceRevision: byteAt(data, 1) & 0x0f,
    providesDeviceSdrs: (byteAt(data, 1) & 0x80) !== 0,
    firmwareMajor: fw1 & 0x7f,
    firmwareMinor,
    firmware: `${String(fw1 & 0x7f)}.${fw2.toString(16).padStart(2, '0')}`,
    firmwareUpdating: (fw1 & 0x80) !== 0,
    ipmiVersion: `${String(version & 0x0f)}.${String(version >> 4)}`,
    additionalDeviceSupport: byteAt(data, 5),
    manufacturerId: byteAt(data, 6) | (byteAt(data, 7) << 8) | ((byteAt(data, 8) & 0x0f) << 16),
    productId: byteAt(data, 9) | (byteAt(data, 10) << 8),
  };
  return data.length >= 15 ? { ...id, auxFirmware: data.slice(11, 15) } : id;
}

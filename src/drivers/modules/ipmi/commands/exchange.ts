/**
 * What every command does around its own bytes: send, refuse a non-zero
 * completion code with a readable name, refuse an answer too short to
 * decode. Commands know bytes, not sessions (see ../types.ts).
 */
import { IpmiError } from '../types.ts';
import type { IpmiChannel, IpmiRequest } from '../types.ts';

/** Network functions (requests; responses are these + 1). IPMI 2.0 table 5-1. */
export const NetFn = {
  CHASSIS: 0x00,
  SENSOR_EVENT: 0x04,
  APP: 0x06,
  STORAGE: 0x0a,
} as const;

/** Generic completion codes, IPMI 2.0 table 5-2. */
export const CompletionCode = {
  OK: 0x00,
  NODE_BUSY: 0xc0,
  INVALID_COMMAND: 0xc1,
  INVALID_FOR_LUN: 0xc2,
  TIMEOUT: 0xc3,
  OUT_OF_SPACE: 0xc4,
  RESERVATION_CANCELLED: 0xc5,
  DATA_TRUNCATED: 0xc6,
  DATA_LENGTH_INVALID: 0xc7,
  DATA_LENGTH_EXCEEDED: 0xc8,
  PARAMETER_OUT_OF_RANGE: 0xc9,
  CANNOT_RETURN_BYTES: 0xca,
  NOT_PRESENT: 0xcb,
  INVALID_DATA_FIELD: 0xcc,
  ILLEGAL_FOR_SENSOR: 0xcd,
  NO_RESPONSE: 0xce,
  DUPLICATED_REQUEST: 0xcf,
  SDR_UPDATE_MODE: 0xd0,
  FIRMWARE_UPDATE_MODE: 0xd1,
  INITIALIZING: 0xd2,
  DESTINATION_UNAVAILABLE: 0xd3,
  INSUFFICIENT_PRIVILEGE: 0xd4,
  NOT_IN_PRESENT_STATE: 0xd5,
  COMMAND_DISABLED: 0xd6,
  UNSPECIFIED: 0xff,
} as const;

const CODE_NAMES: Readonly<Record<number, string>> = {
  0xc0: 'node busy',
  0xc1: 'invalid command',
  0xc2: 'invalid command for the LUN',
  0xc3: 'timeout while processing',
  0xc4: 'out of space',
  0xc5: 'reservation cancelled or invalid',
  0xc6: 'request data truncated',
  0xc7: 'request data length invalid',
  0xc8: 'request data field length limit exceeded',
  0xc9: 'parameter out of range',
  0xca: 'cannot return the number of requested data bytes',
  0xcb: 'requested sensor, data or record not present',
  0xcc: 'invalid data field in request',
  0xcd: 'command illegal for the sensor or record type',
  0xce: 'command response could not be provided',
  0xcf: 'cannot execute duplicated request',
  0xd0: 'SDR repository in update mode',
  0xd1: 'device in firmware update mode',
  0xd2: 'BMC initialization in progress',
  0xd3: 'destination unavailable',
  0xd4: 'insufficient privilege level',
  0xd5: 'command not supported in present state',
  0xd6: 'command sub-function disabled or unavailable',
  0xff: 'unspecified error',
};

/** "invalid command" for 0xC1, "OEM or command-specific" for 0x01–0x7E and 0x80–0xBE. */
export function completionCodeName(code: number): string {
  const known = CODE_NAMES[code];
  if (known !== undefined) return known;
  if (code >= 0x01 && code <= 0x7e) return 'OEM code';
  if (code >= 0x80 && code <= 0xbe) return 'command-specific code';
  return 'reserved code';
}

export function hex(value: number): string {
  return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

export function completionCodeError(command: string, code: number): IpmiError {
  return new IpmiError(
    'completion-code',
    `${command}: completion code ${hex(code)} (${completionCodeName(code)})`,
    code,
  );
}

export function protocolError(command: string, problem: string): IpmiError {
  return new IpmiError('protocol', `${command}: ${problem}`);
}

/**
 * Sends `request` and returns the answer's data once its completion code is
 * 0 and it holds at least `minLength` bytes.
 */
export async function exchange(
  channel: IpmiChannel,
  command: string,
  request: IpmiRequest,
  minLength: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const response = await channel.request(request, signal);
  if (response.completionCode !== CompletionCode.OK) {
    throw completionCodeError(command, response.completionCode);
  }
  return requireLength(command, response.data, minLength);
}

export function requireLength(command: string, data: Uint8Array, minLength: number): Uint8Array {
  if (data.length < minLength) {
    throw protocolError(
      command,
      `answer of ${String(data.length)} bytes, at least ${String(minLength)} expected`,
    );
  }
  return data;
}

/** Byte `index` of `data`, which the caller has length-checked. */
export function byteAt(data: Uint8Array, index: number): number {
  return data[index] ?? 0;
}

/**
 * The data of the IPMI commands the session layer sends or answers itself
 * (spec 22.13, 22.15, 22.18, 22.19): Get Channel Authentication
 * Capabilities, Get Channel Cipher Suites, Set Session Privilege Level and
 * Close Session.
 */
import { ByteReader, u32le } from './bytes.ts';
import type { CipherSuite } from './cipher-suites.ts';
import { cipherSuiteRecord } from './cipher-suites.ts';

/** Channel number meaning "the channel this request came in on". */
export const THIS_CHANNEL = 0x0e;
/** The LAN channel the emulated BMC reports. */
export const LAN_CHANNEL = 0x01;

/** Request data: ask for IPMI v2.0 extended data on this channel at `privilege`. */
export function channelAuthCapabilitiesRequest(privilege: number): Buffer {
  return Buffer.from([0x80 | THIS_CHANNEL, privilege & 0x0f]);
}

export interface ChannelAuthCapabilities {
  readonly channel: number;
  /** Bit 7 of the auth type byte: the extended (v2.0) fields are present. */
  readonly extendedData: boolean;
  /** The channel accepts IPMI v2.0 / RMCP+ sessions. */
  readonly supportsV20: boolean;
}

export function decodeChannelAuthCapabilities(data: Uint8Array): ChannelAuthCapabilities {
  const reader = new ByteReader(data, 'Get Channel Authentication Capabilities response');
  const channel = reader.u8();
  const authTypes = reader.u8();
  reader.u8();
  const extended = reader.remaining > 0 ? reader.u8() : 0;
  const extendedData = (authTypes & 0x80) !== 0;
  return { channel, extendedData, supportsV20: extendedData && (extended & 0x02) !== 0 };
}

/**
 * Response data of a BMC that only takes RMCP+ sessions with user names
 * and passwords: no IPMI 1.5 auth types, non-null user names, v2.0 only.
 */
export function channelAuthCapabilitiesResponse(): Buffer {
  return Buffer.from([LAN_CHANNEL, 0x80, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00]);
}

/** Cipher suite record bytes are handed out 16 at a time (list index 0, 1, …). */
const RECORDS_PER_RESPONSE = 16;

/**
 * Response data of Get Channel Cipher Suites for request `data`
 * (channel, payload type, list index). Undefined when the request is too
 * short to answer.
 */
export function channelCipherSuitesResponse(
  data: Uint8Array,
  suites: readonly CipherSuite[],
): Buffer | undefined {
  const index = data[2];
  if (index === undefined) return undefined;
  const records = Buffer.concat(suites.map(cipherSuiteRecord));
  const start = (index & 0x3f) * RECORDS_PER_RESPONSE;
  return Buffer.concat([
    Buffer.from([LAN_CHANNEL]),
    records.subarray(start, start + RECORDS_PER_RESPONSE),
  ]);
}

export function setSessionPrivilegeRequest(privilege: number): Buffer {
  return Buffer.from([privilege & 0x0f]);
}

export function closeSessionRequest(bmcSessionId: number): Buffer {
  return u32le(bmcSessionId);
}

/** Request data of Get Channel Cipher Suites: this channel, IPMI payloads, list by suite, part `index`. */
export function channelCipherSuitesRequest(index: number): Buffer {
  return Buffer.from([THIS_CHANNEL, 0x00, 0x80 | (index & 0x3f)]);
}

/** Whether a Get Channel Cipher Suites answer of `recordBytes` is the last part. */
export function isLastCipherSuitePart(recordBytes: number): boolean {
  return recordBytes < RECORDS_PER_RESPONSE;
}

/**
 * The suite IDs in concatenated cipher suite records: each starts with
 * 0xC0 (standard) or 0xC1 (OEM, three IANA bytes follow the ID); algorithm
 * bytes carry tags 00b–10b in bits 7:6, so they never look like a start.
 */
export function cipherSuiteIds(records: Uint8Array): number[] {
  const ids: number[] = [];
  for (let i = 0; i < records.length; i++) {
    const byte = records[i];
    if (byte !== 0xc0 && byte !== 0xc1) continue;
    const id = records[i + 1];
    if (id === undefined) break;
    ids.push(id);
    i += byte === 0xc1 ? 4 : 1;
  }
  return ids;
}

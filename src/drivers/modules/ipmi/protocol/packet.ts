/**
 * The datagram: RMCP header (spec 13.1.3) then either an IPMI 1.5 session
 * header (session-less requests such as Get Channel Authentication
 * Capabilities, auth type none) or an IPMI 2.0 / RMCP+ session header
 * (spec 13.6, table 13-8):
 *
 *   RMCP:   06 00 ff 07
 *   v1.5:   authType | seq u32 | session ID u32 | [AuthCode 16] | length u8 | message
 *   v2.0:   06 | enc<<7 auth<<6 type | [OEM IANA 4, OEM payload ID 2] | session ID u32 | seq u32
 *           | length u16 | payload | [pad 0xff…, pad length, next header 07, AuthCode]
 *
 * The integrity AuthCode covers everything from the auth type byte to the
 * next header byte and is keyed with K1; the payload is encrypted before
 * the AuthCode is computed (encrypt-then-MAC).
 */
import { asBuffer, ByteReader, malformed, u16le, u32le } from './bytes.ts';
import {
  AuthType,
  PayloadType,
  RMCP_SEQUENCE_NO_ACK,
  RMCP_VERSION,
  RmcpClass,
} from './constants.ts';
import { decryptPayload, encryptPayload } from './confidentiality.ts';
import type { SessionKeys } from './keys.ts';
import { hmac, macEquals } from './keys.ts';

const RMCP_HEADER = Buffer.from([RMCP_VERSION, 0x00, RMCP_SEQUENCE_NO_ACK, RmcpClass.IPMI]);
/** Offset of the auth type byte: where the integrity AuthCode's input starts. */
const SESSION_START = RMCP_HEADER.length;
const NEXT_HEADER = 0x07;

export interface V15Packet {
  readonly format: 'v1.5';
  readonly authType: number;
  readonly sequence: number;
  readonly sessionId: number;
  readonly message: Buffer;
}

export interface V20Packet {
  readonly format: 'v2.0';
  readonly payloadType: number;
  readonly encrypted: boolean;
  readonly authenticated: boolean;
  readonly sessionId: number;
  readonly sequence: number;
  /** The payload field as sent (ciphertext when encrypted). */
  readonly payload: Buffer;
  /** The whole datagram, for the integrity check. */
  readonly datagram: Buffer;
  /** Offset of the first byte after the payload. */
  readonly payloadEnd: number;
}

/** An ASF message (presence ping/pong); parsed only to be told apart. */
export interface AsfPacket {
  readonly format: 'asf';
  readonly body: Buffer;
}

export type Packet = V15Packet | V20Packet | AsfPacket;

/** Parses the framing of one datagram; payload contents are left to the caller. */
export function parsePacket(bytes: Uint8Array): Packet {
  const datagram = Buffer.from(asBuffer(bytes));
  const reader = new ByteReader(datagram, 'RMCP packet');
  const version = reader.u8();
  reader.skip(2);
  const rmcpClass = reader.u8() & 0x1f;
  if (version !== RMCP_VERSION) throw malformed('RMCP packet (version)');
  if (rmcpClass === RmcpClass.ASF) return { format: 'asf', body: reader.rest() };
  if (rmcpClass !== RmcpClass.IPMI) throw malformed('RMCP packet (class)');

  const authType = reader.u8() & 0x0f;
  if (authType !== AuthType.RMCP_PLUS) {
    if (![0, 1, 2, 4, 5].includes(authType)) throw malformed('IPMI session header (auth type)');
    const sequence = reader.u32le();
    const sessionId = reader.u32le();
    if (authType !== AuthType.NONE) reader.skip(16);
    const length = reader.u8();
    // Trailing bytes (some stacks add a legacy pad byte) are ignored.
    return { format: 'v1.5', authType, sequence, sessionId, message: reader.bytes(length) };
  }

  const typeByte = reader.u8();
  const payloadType = typeByte & 0x3f;
  if (payloadType === PayloadType.OEM) reader.skip(6);
  const sessionId = reader.u32le();
  const sequence = reader.u32le();
  const length = reader.u16le();
  const payload = reader.bytes(length);
  return {
    format: 'v2.0',
    payloadType,
    encrypted: (typeByte & 0x80) !== 0,
    authenticated: (typeByte & 0x40) !== 0,
    sessionId,
    sequence,
    payload,
    datagram,
    payloadEnd: reader.offset,
  };
}

export function encodeV15Packet(packet: {
  readonly sequence: number;
  readonly sessionId: number;
  readonly message: Uint8Array;
}): Buffer {
  if (packet.message.length > 0xff) throw malformed('IPMI 1.5 message (too long)');
  return Buffer.concat([
    RMCP_HEADER,
    Buffer.from([AuthType.NONE]),
    u32le(packet.sequence),
    u32le(packet.sessionId),
    Buffer.from([packet.message.length]),
    asBuffer(packet.message),
  ]);
}

/**
 * An RMCP+ datagram. With `keys`, the payload is encrypted and the packet
 * authenticated (Ferrite's suites always use both); without, it goes in
 * the clear (session setup and session-less requests).
 */
export function encodeV20Packet(
  packet: {
    readonly payloadType: number;
    readonly sessionId: number;
    readonly sequence: number;
    readonly payload: Uint8Array;
  },
  keys?: SessionKeys,
): Buffer {
  const payload =
    keys === undefined ? asBuffer(packet.payload) : encryptPayload(keys.aesKey, packet.payload);
  if (payload.length > 0xffff) throw malformed('RMCP+ payload (too long)');
  const flags = keys === undefined ? 0 : 0xc0;
  const header = Buffer.concat([
    RMCP_HEADER,
    Buffer.from([AuthType.RMCP_PLUS, flags | (packet.payloadType & 0x3f)]),
    u32le(packet.sessionId),
    u32le(packet.sequence),
    u16le(payload.length),
  ]);
  if (keys === undefined) return Buffer.concat([header, payload]);
  // Pad so that auth type … next header is a multiple of 4 bytes.
  const covered = header.length - SESSION_START + payload.length + 2;
  const padLength = (4 - (covered % 4)) % 4;
  const signed = Buffer.concat([
    header,
    payload,
    Buffer.alloc(padLength, 0xff),
    Buffer.from([padLength, NEXT_HEADER]),
  ]);
  const authCode = integrityAuthCode(keys, signed.subarray(SESSION_START));
  return Buffer.concat([signed, authCode]);
}

function integrityAuthCode(keys: SessionKeys, covered: Uint8Array): Buffer {
  return hmac(keys.suite.hash, keys.k1, covered).subarray(0, keys.suite.authCodeLength);
}

/**
 * Checks the AuthCode of an authenticated, encrypted packet and returns
 * its plaintext payload; throws 'protocol' on anything else.
 */
export function unsealPayload(packet: V20Packet, keys: SessionKeys): Buffer {
  if (!packet.authenticated || !packet.encrypted) {
    throw malformed('RMCP+ packet (not authenticated and encrypted)');
  }
  const { datagram, payloadEnd } = packet;
  const codeLength = keys.suite.authCodeLength;
  const codeStart = datagram.length - codeLength;
  const padLengthAt = codeStart - 2;
  if (padLengthAt < payloadEnd) throw malformed('RMCP+ integrity trailer (length)');
  const padLength = datagram[padLengthAt] ?? -1;
  if (datagram[padLengthAt + 1] !== NEXT_HEADER || padLengthAt - payloadEnd !== padLength) {
    throw malformed('RMCP+ integrity trailer');
  }
  const expected = integrityAuthCode(keys, datagram.subarray(SESSION_START, codeStart));
  if (!macEquals(datagram.subarray(codeStart), expected)) {
    throw malformed('RMCP+ packet (integrity check failed)');
  }
  return decryptPayload(keys.aesKey, packet.payload);
}

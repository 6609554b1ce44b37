/**
 * Serial over LAN (IPMI 2.0 section 15): the SOL payload (payload type 1)
 * that carries serial characters inside an RMCP+ session, and the data of
 * Activate / Deactivate Payload (sections 24.1, 24.2) that start and stop it.
 *
 * SOL payload (table 15-2), the same shape both ways:
 *
 *   seq (bits 3:0; 0 = ack-only, no characters) | ack/nack seq (bits 3:0; 0 = acks nothing)
 *   | accepted character count | operation (console→BMC) or status (BMC→console) | characters…
 *
 * Each side has one data packet outstanding at a time and resends it until
 * the other side's ack names its sequence number.
 */
import { asBuffer, ByteReader, malformed, u16le } from './bytes.ts';
import { PayloadType } from './constants.ts';

export const SOL_HEADER_LENGTH = 4;
/** The accepted character count is one byte: no packet may carry more. */
export const MAX_SOL_CHARACTERS = 0xff;

/** Operation bits, remote console → BMC (table 15-2, byte 4). */
export const SolOperation = {
  NACK: 0x40,
  RING_WOR: 0x20,
  GENERATE_BREAK: 0x10,
  CTS_PAUSE: 0x08,
  DROP_DCD_DSR: 0x04,
  FLUSH_INBOUND: 0x02,
  FLUSH_OUTBOUND: 0x01,
} as const;

/** Status bits, BMC → remote console (table 15-2, byte 4). */
export const SolStatus = {
  NACK: 0x40,
  CHARACTER_TRANSFER_UNAVAILABLE: 0x20,
  /** The payload is being deactivated: the last packet of the SOL session. */
  DEACTIVATING: 0x10,
  TRANSMIT_OVERRUN: 0x08,
  BREAK_DETECTED: 0x04,
} as const;

export interface SolPacket {
  /** 1–15 for a packet with characters, 0 for an ack-only packet. */
  readonly sequence: number;
  /** The sequence number acked or nacked, 0 when none. */
  readonly ackSequence: number;
  /** Characters of the acked packet that were accepted. */
  readonly acceptedCount: number;
  /** Operation (console → BMC) or status (BMC → console) bits. */
  readonly flags: number;
  readonly data: Buffer;
}

export function encodeSolPacket(packet: SolPacket): Buffer {
  if (packet.data.length > MAX_SOL_CHARACTERS) throw malformed('SOL packet (too many characters)');
  return Buffer.concat([
    Buffer.from([
      packet.sequence & 0x0f,
      packet.ackSequence & 0x0f,
      packet.acceptedCount & 0xff,
      packet.flags & 0xff,
    ]),
    asBuffer(packet.data),
  ]);
}

export function decodeSolPacket(payload: Uint8Array): SolPacket {
  const reader = new ByteReader(payload, 'SOL packet');
  const sequence = reader.u8() & 0x0f;
  const ackSequence = reader.u8() & 0x0f;
  const acceptedCount = reader.u8();
  const flags = reader.u8();
  const data = reader.rest();
  // An ack-only packet carries no characters (spec 15.9); one that does is not SOL we understand.
  if (sequence === 0 && data.length > 0) throw malformed('SOL packet (ack-only with characters)');
  return { sequence, ackSequence, acceptedCount, flags, data };
}

/** The sequence number after `current`: 1…15, wrapping past 0 (0 means ack-only). */
export function nextSolSequence(current: number): number {
  return (current % 15) + 1;
}

/**
 * A data packet sent and not yet acked, on either side of SOL: resent
 * until its ack comes or the attempts run out (one in flight at a time).
 */
export interface SolFlight {
  readonly sequence: number;
  readonly count: number;
  readonly payload: Buffer;
  attempts: number;
  timer?: NodeJS.Timeout;
}

/** The data packet that follows the one numbered `previous`, carrying `data`. */
export function nextSolFlight(previous: number, data: Buffer): SolFlight {
  const sequence = nextSolSequence(previous);
  return {
    sequence,
    count: data.length,
    payload: encodeSolPacket({ sequence, ackSequence: 0, acceptedCount: 0, flags: 0, data }),
    attempts: 0,
  };
}

/** An ack-only packet for the data packet `sequence` that carried `count` characters. */
export function solAck(sequence: number, count: number, flags = 0): SolPacket {
  return { sequence: 0, ackSequence: sequence, acceptedCount: count, flags, data: Buffer.alloc(0) };
}

/** The one SOL instance a BMC's LAN channel has. */
export const SOL_INSTANCE = 1;

/** Completion codes of Activate Payload (table 24-2). */
export const ActivatePayloadCompletion = {
  ALREADY_ACTIVE: 0x80,
  TYPE_DISABLED: 0x81,
  ACTIVATION_LIMIT: 0x82,
  CANNOT_ENCRYPT: 0x83,
  MUST_ENCRYPT: 0x84,
} as const;

/** Completion codes of Deactivate Payload (table 24-3). */
export const DeactivatePayloadCompletion = {
  ALREADY_DEACTIVATED: 0x80,
  TYPE_DISABLED: 0x81,
} as const;

/** Auxiliary request data byte 1 of Activate Payload for SOL (table 24-2). */
export const SolActivation = {
  ENCRYPT: 0x80,
  AUTHENTICATE: 0x40,
  /** Bits 3:2 = 01b: serial/modem alerts are deferred while SOL is active. */
  ALERTS_DEFERRED: 0x04,
  /** Bit 1: the BMC asserts CTS and DCD/DSR only once the console tells it to (not used). */
  STARTUP_HANDSHAKE: 0x02,
} as const;

export interface ActivateSolRequest {
  readonly payloadType: number;
  readonly instance: number;
  readonly encrypt: boolean;
  readonly authenticate: boolean;
}

/** Activate Payload request data: SOL, encrypted and authenticated, alerts deferred. */
export function activateSolRequest(instance = SOL_INSTANCE): Buffer {
  return Buffer.from([
    PayloadType.SOL,
    instance & 0x0f,
    SolActivation.ENCRYPT | SolActivation.AUTHENTICATE | SolActivation.ALERTS_DEFERRED,
    0,
    0,
    0,
  ]);
}

export function decodeActivatePayloadRequest(data: Uint8Array): ActivateSolRequest {
  const reader = new ByteReader(data, 'Activate Payload request');
  const payloadType = reader.u8() & 0x3f;
  const instance = reader.u8() & 0x0f;
  const aux = reader.u8();
  reader.skip(3);
  reader.end();
  return {
    payloadType,
    instance,
    encrypt: (aux & SolActivation.ENCRYPT) !== 0,
    authenticate: (aux & SolActivation.AUTHENTICATE) !== 0,
  };
}

export interface ActivatePayloadAnswer {
  /** Largest payload the console may send the BMC (SOL header included). */
  readonly inboundPayloadSize: number;
  /** Largest payload the BMC sends. */
  readonly outboundPayloadSize: number;
  /** The UDP port SOL packets go to (usually the session's). */
  readonly port: number;
  /** 0xFFFF: no VLAN. */
  readonly vlan: number;
}

export function encodeActivatePayloadResponse(answer: ActivatePayloadAnswer): Buffer {
  return Buffer.concat([
    Buffer.alloc(4),
    u16le(answer.inboundPayloadSize),
    u16le(answer.outboundPayloadSize),
    u16le(answer.port),
    u16le(answer.vlan),
  ]);
}

export function decodeActivatePayloadResponse(data: Uint8Array): ActivatePayloadAnswer {
  const reader = new ByteReader(data, 'Activate Payload response');
  reader.skip(4);
  return {
    inboundPayloadSize: reader.u16le(),
    outboundPayloadSize: reader.u16le(),
    port: reader.u16le(),
    vlan: reader.u16le(),
  };
}

/** Deactivate Payload request data (no auxiliary data for SOL). */
export function deactivatePayloadRequest(
  payloadType: number = PayloadType.SOL,
  instance = SOL_INSTANCE,
): Buffer {
  return Buffer.from([payloadType & 0x3f, instance & 0x0f, 0, 0, 0, 0]);
}

export function decodeDeactivatePayloadRequest(data: Uint8Array): {
  payloadType: number;
  instance: number;
} {
  const reader = new ByteReader(data, 'Deactivate Payload request');
  const payloadType = reader.u8() & 0x3f;
  const instance = reader.u8() & 0x0f;
  reader.skip(4);
  reader.end();
  return { payloadType, instance };
}

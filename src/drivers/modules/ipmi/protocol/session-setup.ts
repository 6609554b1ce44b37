/**
 * The RMCP+ session setup payloads (spec 13.17–13.23): Open Session
 * Request/Response and RAKP messages 1–4. Multi-byte numbers are
 * little-endian; random numbers and GUIDs are 16 bytes as sent.
 */
import { asBuffer, ByteReader, malformed, u32le } from './bytes.ts';
import { MAX_USERNAME_LENGTH, RmcpPlusStatus } from './constants.ts';

export interface Algorithms {
  readonly auth: number;
  readonly integrity: number;
  readonly confidentiality: number;
}

export interface OpenSessionRequest {
  readonly tag: number;
  /** Requested maximum privilege (0: the highest the algorithms allow). */
  readonly privilege: number;
  readonly consoleSessionId: number;
  readonly algorithms: Algorithms;
}

export interface OpenSessionResponse {
  readonly tag: number;
  readonly status: number;
  readonly maxPrivilege: number;
  readonly consoleSessionId: number;
  /** 0 when status is not NO_ERRORS. */
  readonly bmcSessionId: number;
  /** Undefined when status is not NO_ERRORS. */
  readonly algorithms?: Algorithms;
}

function algorithmRecords(algorithms: Algorithms): Buffer {
  const record = (type: number, algorithm: number): Buffer =>
    Buffer.from([type, 0, 0, 0x08, algorithm & 0x3f, 0, 0, 0]);
  return Buffer.concat([
    record(0, algorithms.auth),
    record(1, algorithms.integrity),
    record(2, algorithms.confidentiality),
  ]);
}

function readAlgorithms(reader: ByteReader, what: string): Algorithms {
  const values: number[] = [];
  for (let type = 0; type < 3; type++) {
    if (reader.u8() !== type) throw malformed(`${what} (algorithm payload type)`);
    reader.skip(3);
    values.push(reader.u8() & 0x3f);
    reader.skip(3);
  }
  const [auth = 0, integrity = 0, confidentiality = 0] = values;
  return { auth, integrity, confidentiality };
}

export function encodeOpenSessionRequest(request: OpenSessionRequest): Buffer {
  return Buffer.concat([
    Buffer.from([request.tag & 0xff, request.privilege & 0x0f, 0, 0]),
    u32le(request.consoleSessionId),
    algorithmRecords(request.algorithms),
  ]);
}

export function decodeOpenSessionRequest(bytes: Uint8Array): OpenSessionRequest {
  const what = 'Open Session Request';
  const reader = new ByteReader(bytes, what);
  const tag = reader.u8();
  const privilege = reader.u8() & 0x0f;
  reader.skip(2);
  const consoleSessionId = reader.u32le();
  const algorithms = readAlgorithms(reader, what);
  reader.end();
  return { tag, privilege, consoleSessionId, algorithms };
}

export function encodeOpenSessionResponse(response: OpenSessionResponse): Buffer {
  const head = Buffer.concat([
    Buffer.from([response.tag & 0xff, response.status, response.maxPrivilege & 0x0f, 0]),
    u32le(response.consoleSessionId),
  ]);
  if (response.status !== RmcpPlusStatus.NO_ERRORS || response.algorithms === undefined) {
    return head;
  }
  return Buffer.concat([head, u32le(response.bmcSessionId), algorithmRecords(response.algorithms)]);
}

export function decodeOpenSessionResponse(bytes: Uint8Array): OpenSessionResponse {
  const what = 'Open Session Response';
  const reader = new ByteReader(bytes, what);
  const tag = reader.u8();
  const status = reader.u8();
  if (status !== RmcpPlusStatus.NO_ERRORS) {
    // Error answers may stop after the status (ipmi_sim does) or the console ID.
    const maxPrivilege = reader.remaining >= 1 ? reader.u8() & 0x0f : 0;
    const consoleSessionId = reader.remaining >= 5 ? (reader.skip(1), reader.u32le()) : 0;
    return { tag, status, maxPrivilege, consoleSessionId, bmcSessionId: 0 };
  }
  const maxPrivilege = reader.u8() & 0x0f;
  reader.skip(1);
  const consoleSessionId = reader.u32le();
  const bmcSessionId = reader.u32le();
  const algorithms = readAlgorithms(reader, what);
  return { tag, status, maxPrivilege, consoleSessionId, bmcSessionId, algorithms };
}

/** The session ID after two reserved bytes, in an error answer that may stop short. */
function optionalSessionId(reader: ByteReader): number {
  if (reader.remaining < 6) return 0;
  reader.skip(2);
  return reader.u32le();
}

export interface Rakp1 {
  readonly tag: number;
  readonly bmcSessionId: number;
  readonly consoleRandom: Uint8Array;
  /** Privilege in bits 3:0, name-only lookup in bit 4. */
  readonly role: number;
  readonly username: Uint8Array;
}

export function encodeRakp1(message: Rakp1): Buffer {
  if (message.username.length > MAX_USERNAME_LENGTH) throw malformed('RAKP 1 (user name too long)');
  return Buffer.concat([
    Buffer.from([message.tag & 0xff, 0, 0, 0]),
    u32le(message.bmcSessionId),
    asBuffer(message.consoleRandom),
    Buffer.from([message.role & 0xff, 0, 0, message.username.length]),
    asBuffer(message.username),
  ]);
}

export function decodeRakp1(bytes: Uint8Array): Rakp1 {
  const what = 'RAKP 1';
  const reader = new ByteReader(bytes, what);
  const tag = reader.u8();
  reader.skip(3);
  const bmcSessionId = reader.u32le();
  const consoleRandom = reader.bytes(16);
  const role = reader.u8();
  reader.skip(2);
  const nameLength = reader.u8();
  if (nameLength > MAX_USERNAME_LENGTH) throw malformed(`${what} (user name length)`);
  const username = reader.bytes(nameLength);
  // Bytes after the name (a console sending the whole 16-byte field) are ignored.
  return { tag, bmcSessionId, consoleRandom, role, username };
}

export interface Rakp2 {
  readonly tag: number;
  readonly status: number;
  readonly consoleSessionId: number;
  /** Present when status is NO_ERRORS. */
  readonly bmcRandom?: Uint8Array;
  readonly bmcGuid?: Uint8Array;
  readonly authCode?: Uint8Array;
}

export function encodeRakp2(message: Rakp2): Buffer {
  const head = Buffer.concat([
    Buffer.from([message.tag & 0xff, message.status, 0, 0]),
    u32le(message.consoleSessionId),
  ]);
  if (message.status !== RmcpPlusStatus.NO_ERRORS) return head;
  return Buffer.concat([
    head,
    asBuffer(message.bmcRandom ?? Buffer.alloc(16)),
    asBuffer(message.bmcGuid ?? Buffer.alloc(16)),
    asBuffer(message.authCode ?? Buffer.alloc(0)),
  ]);
}

export function decodeRakp2(bytes: Uint8Array): Rakp2 {
  const reader = new ByteReader(bytes, 'RAKP 2');
  const tag = reader.u8();
  const status = reader.u8();
  if (status !== RmcpPlusStatus.NO_ERRORS) {
    return { tag, status, consoleSessionId: optionalSessionId(reader) };
  }
  reader.skip(2);
  const consoleSessionId = reader.u32le();
  const bmcRandom = reader.bytes(16);
  const bmcGuid = reader.bytes(16);
  return { tag, status, consoleSessionId, bmcRandom, bmcGuid, authCode: reader.rest() };
}

export interface Rakp3 {
  readonly tag: number;
  readonly status: number;
  readonly bmcSessionId: number;
  readonly authCode: Uint8Array;
}

export function encodeRakp3(message: Rakp3): Buffer {
  return Buffer.concat([
    Buffer.from([message.tag & 0xff, message.status, 0, 0]),
    u32le(message.bmcSessionId),
    asBuffer(message.authCode),
  ]);
}

export function decodeRakp3(bytes: Uint8Array): Rakp3 {
  const reader = new ByteReader(bytes, 'RAKP 3');
  const tag = reader.u8();
  const status = reader.u8();
  reader.skip(2);
  const bmcSessionId = reader.u32le();
  return { tag, status, bmcSessionId, authCode: reader.rest() };
}

export interface Rakp4 {
  readonly tag: number;
  readonly status: number;
  readonly consoleSessionId: number;
  readonly integrityCheckValue: Uint8Array;
}

export function encodeRakp4(message: Rakp4): Buffer {
  return Buffer.concat([
    Buffer.from([message.tag & 0xff, message.status, 0, 0]),
    u32le(message.consoleSessionId),
    asBuffer(message.integrityCheckValue),
  ]);
}

export function decodeRakp4(bytes: Uint8Array): Rakp4 {
  const reader = new ByteReader(bytes, 'RAKP 4');
  const tag = reader.u8();
  const status = reader.u8();
  if (status !== RmcpPlusStatus.NO_ERRORS) {
    return {
      tag,
      status,
      consoleSessionId: optionalSessionId(reader),
      integrityCheckValue: Buffer.alloc(0),
    };
  }
  reader.skip(2);
  const consoleSessionId = reader.u32le();
  return { tag, status, consoleSessionId, integrityCheckValue: reader.rest() };
}

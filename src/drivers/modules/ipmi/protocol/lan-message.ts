/**
 * The IPMI LAN message (spec 13.8, figures 13-4/13-5): the IPMB-style frame
 * inside every IPMI payload, with its two two's-complement checksums.
 *
 *   request:  rsAddr, netFn<<2|rsLUN, cs1, rqAddr, rqSeq<<2|rqLUN, cmd, data…, cs2
 *   response: rqAddr, netFn<<2|rqLUN, cs1, rsAddr, rqSeq<<2|rsLUN, cmd, cc, data…, cs2
 *
 * Both have the same shape, so one frame codec serves both directions.
 */
import { asBuffer, ByteReader, malformed } from './bytes.ts';
import { BMC_ADDRESS, REMOTE_CONSOLE_ADDRESS } from './constants.ts';

/** Two's-complement checksum: the bytes plus it sum to 0 mod 256. */
export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return (0x100 - sum) & 0xff;
}

interface Frame {
  /** Destination address (rsAddr of a request, rqAddr of a response). */
  readonly to: number;
  readonly netFn: number;
  readonly toLun: number;
  /** Source address. */
  readonly from: number;
  readonly sequence: number;
  readonly fromLun: number;
  readonly command: number;
  readonly body: Uint8Array;
}

function encodeFrame(frame: Frame): Buffer {
  const header = Buffer.from([frame.to & 0xff, ((frame.netFn & 0x3f) << 2) | (frame.toLun & 3)]);
  const tail = Buffer.concat([
    Buffer.from([
      frame.from & 0xff,
      ((frame.sequence & 0x3f) << 2) | (frame.fromLun & 3),
      frame.command & 0xff,
    ]),
    asBuffer(frame.body),
  ]);
  return Buffer.concat([
    header,
    Buffer.from([checksum(header)]),
    tail,
    Buffer.from([checksum(tail)]),
  ]);
}

function decodeFrame(bytes: Uint8Array, what: string): Frame {
  const buffer = asBuffer(bytes);
  if (buffer.length < 7) throw malformed(what);
  if (checksum(buffer.subarray(0, 2)) !== buffer[2]) throw malformed(`${what} (header checksum)`);
  if (checksum(buffer.subarray(3, buffer.length - 1)) !== buffer[buffer.length - 1]) {
    throw malformed(`${what} (data checksum)`);
  }
  const reader = new ByteReader(buffer, what);
  const to = reader.u8();
  const netFnLun = reader.u8();
  reader.skip(1);
  const from = reader.u8();
  const seqLun = reader.u8();
  const command = reader.u8();
  const body = reader.bytes(reader.remaining - 1);
  return {
    to,
    netFn: netFnLun >> 2,
    toLun: netFnLun & 3,
    from,
    sequence: seqLun >> 2,
    fromLun: seqLun & 3,
    command,
    body,
  };
}

export interface LanRequest {
  readonly netFn: number;
  readonly command: number;
  readonly data: Uint8Array;
  /** 6-bit request sequence number, echoed in the response. */
  readonly rqSeq: number;
  readonly rsLun?: number;
  readonly rsAddr?: number;
  readonly rqAddr?: number;
  readonly rqLun?: number;
}

export interface LanResponse {
  /** The response netFn (the request's + 1). */
  readonly netFn: number;
  readonly command: number;
  readonly rqSeq: number;
  readonly completionCode: number;
  readonly data: Uint8Array;
  readonly rqAddr: number;
  readonly rsAddr: number;
  readonly rqLun: number;
  readonly rsLun: number;
}

export function encodeLanRequest(request: LanRequest): Buffer {
  return encodeFrame({
    to: request.rsAddr ?? BMC_ADDRESS,
    netFn: request.netFn,
    toLun: request.rsLun ?? 0,
    from: request.rqAddr ?? REMOTE_CONSOLE_ADDRESS,
    sequence: request.rqSeq,
    fromLun: request.rqLun ?? 0,
    command: request.command,
    body: request.data,
  });
}

export function decodeLanRequest(bytes: Uint8Array): Required<LanRequest> {
  const frame = decodeFrame(bytes, 'IPMI request message');
  return {
    rsAddr: frame.to,
    netFn: frame.netFn,
    rsLun: frame.toLun,
    rqAddr: frame.from,
    rqSeq: frame.sequence,
    rqLun: frame.fromLun,
    command: frame.command,
    data: frame.body,
  };
}

/** The response to `request`, addressed back to its requester. */
export function encodeLanResponse(
  request: Required<LanRequest>,
  completionCode: number,
  data: Uint8Array,
): Buffer {
  return encodeFrame({
    to: request.rqAddr,
    netFn: request.netFn | 1,
    toLun: request.rqLun,
    from: request.rsAddr,
    sequence: request.rqSeq,
    fromLun: request.rsLun,
    command: request.command,
    body: Buffer.concat([Buffer.from([completionCode & 0xff]), asBuffer(data)]),
  });
}

export function decodeLanResponse(bytes: Uint8Array): LanResponse {
  const frame = decodeFrame(bytes, 'IPMI response message');
  const body = asBuffer(frame.body);
  if (body.length < 1) throw malformed('IPMI response message (no completion code)');
  return {
    rqAddr: frame.to,
    netFn: frame.netFn,
    rqLun: frame.toLun,
    rsAddr: frame.from,
    rqSeq: frame.sequence,
    rsLun: frame.fromLun,
    command: frame.command,
    completionCode: body[0] ?? 0,
    data: Buffer.from(body.subarray(1)),
  };
}

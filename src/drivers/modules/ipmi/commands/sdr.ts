/**
 * Reading the SDR repository (IPMI 2.0 §33): Get SDR Repository Info,
 * Reserve SDR Repository, Get SDR. Records are read in pieces — the header
 * first, then the body in chunks small enough for any BMC's message buffer —
 * under a reservation, taken again when the BMC cancels it (the repository
 * changed, or another client reserved it) and the record read again.
 */
import { IpmiError } from '../types.ts';
import type { IpmiChannel } from '../types.ts';
import {
  byteAt,
  CompletionCode,
  exchange,
  NetFn,
  protocolError,
  requireLength,
} from './exchange.ts';
import { decodeSensorRecord, SDR_HEADER_LENGTH } from './sdr-record.ts';
import type { SensorRecord } from './sdr-record.ts';

export const SdrCommand = { GET_INFO: 0x20, RESERVE: 0x22, GET: 0x23 } as const;

/** Record ID of "the last record": the next-record field after it, and "no more". */
export const LAST_RECORD_ID = 0xffff;

/** Bytes asked per Get SDR: fits the 32-byte IPMB messages every BMC handles. */
export const DEFAULT_SDR_CHUNK = 16;

/** Consecutive cancelled reservations tolerated for one record before giving up. */
const MAX_RESERVATION_RETRIES = 5;

/** More records than any repository holds: a loop in the next-record chain. */
const MAX_RECORDS = 1024;

export interface SdrRepositoryInfo {
  /** SDR version, BCD (51h: 1.5, which IPMI 2.0 keeps). */
  readonly version: number;
  readonly recordCount: number;
  /** Free space in bytes; 0xFFFF unspecified. */
  readonly freeSpace: number;
  readonly lastAddition: number;
  readonly lastErase: number;
  /** Operation support byte: overflow (7), update modes (6:5), delete (3), partial add (2), reserve (1), allocation info (0). */
  readonly operationSupport: number;
}

export interface SdrRecordBytes {
  readonly recordId: number;
  readonly recordType: number;
  /** The whole record, header included. */
  readonly bytes: Uint8Array;
}

export interface ReadSdrOptions {
  /** Body bytes per Get SDR (1–255); DEFAULT_SDR_CHUNK when omitted. */
  readonly chunkSize?: number;
  readonly signal?: AbortSignal;
}

function word(data: Uint8Array, index: number): number {
  return byteAt(data, index) | (byteAt(data, index + 1) << 8);
}

function dword(data: Uint8Array, index: number): number {
  return (word(data, index) | (word(data, index + 2) << 16)) >>> 0;
}

export async function getSdrRepositoryInfo(
  channel: IpmiChannel,
  signal?: AbortSignal,
): Promise<SdrRepositoryInfo> {
  const data = await exchange(
    channel,
    'get sdr repository info',
    { netFn: NetFn.STORAGE, command: SdrCommand.GET_INFO },
    14,
    signal,
  );
  return decodeSdrRepositoryInfo(data);
}

export function decodeSdrRepositoryInfo(data: Uint8Array): SdrRepositoryInfo {
  requireLength('get sdr repository info', data, 14);
  return {
    version: byteAt(data, 0),
    recordCount: word(data, 1),
    freeSpace: word(data, 3),
    lastAddition: dword(data, 5),
    lastErase: dword(data, 9),
    operationSupport: byteAt(data, 13),
  };
}

export async function reserveSdrRepository(
  channel: IpmiChannel,
  signal?: AbortSignal,
): Promise<number> {
  const data = await exchange(
    channel,
    'reserve sdr repository',
    { netFn: NetFn.STORAGE, command: SdrCommand.RESERVE },
    2,
    signal,
  );
  return word(data, 0);
}

export interface SdrChunk {
  readonly nextRecordId: number;
  readonly data: Uint8Array;
}

/** One Get SDR: `count` bytes of record `recordId` from `offset` (0xFF: to the end). */
export async function getSdrChunk(
  channel: IpmiChannel,
  reservation: number,
  recordId: number,
  offset: number,
  count: number,
  signal?: AbortSignal,
): Promise<SdrChunk> {
  const data = await exchange(
    channel,
    'get sdr',
    {
      netFn: NetFn.STORAGE,
      command: SdrCommand.GET,
      data: Uint8Array.of(
        reservation & 0xff,
        reservation >> 8,
        recordId & 0xff,
        recordId >> 8,
        offset,
        count,
      ),
    },
    2,
    signal,
  );
  return decodeSdrChunk(data, count);
}

/** Next record ID and at most `count` record bytes (a BMC may send fewer at a record's end). */
export function decodeSdrChunk(data: Uint8Array, count: number): SdrChunk {
  requireLength('get sdr', data, 2);
  const bytes = data.subarray(2);
  return {
    nextRecordId: word(data, 0),
    data: count === 0xff ? bytes.slice() : bytes.slice(0, count),
  };
}

function isCancelled(error: unknown): boolean {
  return (
    error instanceof IpmiError && error.completionCode === CompletionCode.RESERVATION_CANCELLED
  );
}

/**
 * Every record of the repository, in chain order, each read whole
 * (header, then body in chunks).
 */
export async function readSdrRepository(
  channel: IpmiChannel,
  options: ReadSdrOptions = {},
): Promise<SdrRecordBytes[]> {
  const { signal } = options;
  const chunkSize = Math.min(0xfe, Math.max(1, Math.trunc(options.chunkSize ?? DEFAULT_SDR_CHUNK)));
  let reservation = await reserveSdrRepository(channel, signal);
  const records: SdrRecordBytes[] = [];
  const seen = new Set<number>();
  let recordId = 0;
  while (recordId !== LAST_RECORD_ID) {
    if (records.length >= MAX_RECORDS) {
      throw protocolError('get sdr', `more than ${String(MAX_RECORDS)} records`);
    }
    let read: { record: SdrRecordBytes; next: number } | undefined;
    for (let attempt = 0; read === undefined; attempt++) {
      try {
        read = await readRecord(channel, reservation, recordId, chunkSize, signal);
      } catch (error) {
        if (!isCancelled(error) || attempt >= MAX_RESERVATION_RETRIES) throw error;
        reservation = await reserveSdrRepository(channel, signal);
      }
    }
    if (seen.has(read.record.recordId)) {
      throw protocolError('get sdr', `record ${String(read.record.recordId)} comes twice`);
    }
    seen.add(read.record.recordId);
    records.push(read.record);
    recordId = read.next;
  }
  return records;
}

async function readRecord(
  channel: IpmiChannel,
  reservation: number,
  recordId: number,
  chunkSize: number,
  signal: AbortSignal | undefined,
): Promise<{ record: SdrRecordBytes; next: number }> {
  const head = await getSdrChunk(channel, reservation, recordId, 0, SDR_HEADER_LENGTH, signal);
  if (head.data.length < SDR_HEADER_LENGTH) {
    throw protocolError('get sdr', `header of ${String(head.data.length)} bytes`);
  }
  const id = word(head.data, 0);
  const length = byteAt(head.data, 4);
  const bytes = new Uint8Array(SDR_HEADER_LENGTH + length);
  bytes.set(head.data.subarray(0, SDR_HEADER_LENGTH));
  let offset = SDR_HEADER_LENGTH;
  while (offset < bytes.length) {
    const count = Math.min(chunkSize, bytes.length - offset);
    const chunk = await getSdrChunk(channel, reservation, id, offset, count, signal);
    if (chunk.data.length === 0) {
      throw protocolError(
        'get sdr',
        `no bytes at offset ${String(offset)} of record ${String(id)}`,
      );
    }
    bytes.set(chunk.data.subarray(0, bytes.length - offset), offset);
    offset += chunk.data.length;
  }
  return { record: { recordId: id, recordType: byteAt(bytes, 3), bytes }, next: head.nextRecordId };
}

/** The full and compact sensor records of the repository; other record types skipped. */
export async function readSensorRecords(
  channel: IpmiChannel,
  options: ReadSdrOptions = {},
): Promise<SensorRecord[]> {
  const records = await readSdrRepository(channel, options);
  const sensors: SensorRecord[] = [];
  for (const record of records) {
    const sensor = decodeSensorRecord(record.bytes);
    if (sensor !== undefined) sensors.push(sensor);
  }
  return sensors;
}

/**
 * Get Sensor Reading (IPMI 2.0 §35.14) and the conversion of a raw reading
 * to its units (§36.3): y = L[(M·x + B·10^Bexp)·10^Rexp], computed the way
 * ipmitool does so that values and their printing agree with it.
 */
import type { IpmiChannel } from '../types.ts';
import { byteAt, exchange, NetFn, protocolError } from './exchange.ts';
import type { FullSensorRecord } from './sdr-record.ts';

export const GET_SENSOR_READING = 0x2d;

/** Get Sensor Reading byte 2 bits. */
export const ReadingFlag = {
  EVENTS_ENABLED: 0x80,
  SCANNING_ENABLED: 0x40,
  UNAVAILABLE: 0x20,
} as const;

export interface SensorReadingAnswer {
  readonly raw: number;
  readonly eventsEnabled: boolean;
  readonly scanningEnabled: boolean;
  /** Reading/state unavailable (the sensor is updating, or absent). */
  readonly unavailable: boolean;
  /** Threshold sensors: comparison status, bits as ThresholdBit (byte 3, bits 5:0). */
  readonly thresholdStatus: number;
  /** Discrete sensors: asserted states, bits 14:0 (bytes 3 and 4). */
  readonly states: number;
}

export async function getSensorReading(
  channel: IpmiChannel,
  sensorNumber: number,
  signal?: AbortSignal,
): Promise<SensorReadingAnswer> {
  const data = await exchange(
    channel,
    `get sensor reading ${String(sensorNumber)}`,
    { netFn: NetFn.SENSOR_EVENT, command: GET_SENSOR_READING, data: Uint8Array.of(sensorNumber) },
    2,
    signal,
  );
  return decodeSensorReading(data);
}

/** Bytes 3 and 4 are optional: BMCs leave them out for sensors without states. */
export function decodeSensorReading(data: Uint8Array): SensorReadingAnswer {
  if (data.length < 2) {
    throw protocolError('get sensor reading', `answer of ${String(data.length)} bytes`);
  }
  const flags = byteAt(data, 1);
  const low = byteAt(data, 2);
  const high = byteAt(data, 3);
  return {
    raw: byteAt(data, 0),
    eventsEnabled: (flags & ReadingFlag.EVENTS_ENABLED) !== 0,
    scanningEnabled: (flags & ReadingFlag.SCANNING_ENABLED) !== 0,
    unavailable: (flags & ReadingFlag.UNAVAILABLE) !== 0,
    thresholdStatus: low & 0x3f,
    states: low | ((high & 0x7f) << 8),
  };
}

/** The raw byte as the signed or unsigned number the analog data format says. */
export function rawValue(format: FullSensorRecord['units']['analogFormat'], raw: number): number {
  switch (format) {
    case 'ones-complement':
      // ipmitool's reading of one's complement: -0 (FFh) becomes 0.
      return ((raw & 0x80 ? raw + 1 : raw) << 24) >> 24;
    case 'twos-complement':
      return (raw << 24) >> 24;
    default:
      return raw & 0xff;
  }
}

/** Linearization functions 1–11 (table 43-13's L[]); 0 and the non-linear 70h–7Fh are identity. */
function linearize(linearization: number, value: number): number {
  switch (linearization) {
    case 1:
      return Math.log(value);
    case 2:
      return Math.log10(value);
    case 3:
      return Math.log2(value);
    case 4:
      return Math.exp(value);
    case 5:
      return 10 ** value;
    case 6:
      return 2 ** value;
    case 7:
      return 1 / value;
    case 8:
      return value * value;
    case 9:
      return value ** 3;
    case 10:
      return Math.sqrt(value);
    case 11:
      return Math.cbrt(value);
    default:
      return value;
  }
}

/** Whether readings of `record` convert with the SDR's factors (non-linear sensors need Get Sensor Reading Factors). */
export function isConvertible(record: FullSensorRecord): boolean {
  return record.units.analogFormat !== 'none' && record.linearization <= 11;
}

/** y = L[(M·x + B·10^Bexp)·10^Rexp] for a raw reading or threshold byte of `record`. */
export function convertReading(record: FullSensorRecord, raw: number): number {
  const { m, b, bExp, rExp } = record.conversion;
  const x = rawValue(record.units.analogFormat, raw);
  return linearize(record.linearization, (m * x + b * Math.pow(10, bExp)) * Math.pow(10, rExp));
}

/** Hysteresis is a difference: M·x·10^Rexp, without B (as ipmitool converts it). */
export function convertHysteresis(record: FullSensorRecord, raw: number): number {
  const { m, rExp } = record.conversion;
  const x = rawValue(record.units.analogFormat, raw);
  return linearize(record.linearization, m * x * Math.pow(10, rExp));
}

/** Tolerance is given in half raw counts: ±M·tolerance/2·10^Rexp. */
export function convertTolerance(record: FullSensorRecord): number {
  const { m, tolerance, rExp } = record.conversion;
  return linearize(record.linearization, ((m * tolerance) / 2) * Math.pow(10, rExp));
}

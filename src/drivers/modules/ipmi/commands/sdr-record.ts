/**
 * Sensor Data Records: the full (type 01h) and compact (type 02h) sensor
 * records of IPMI 2.0 §43.1–43.2, decoded from and encoded to their bytes.
 * Byte numbers in the comments are the spec's (1-based, header included).
 */
import { byteAt, protocolError } from './exchange.ts';

export const SdrRecordType = { FULL_SENSOR: 0x01, COMPACT_SENSOR: 0x02 } as const;
export type SensorRecordType = (typeof SdrRecordType)[keyof typeof SdrRecordType];

/** Every SDR starts with these five bytes: record ID, SDR version, type, length of the rest. */
export const SDR_HEADER_LENGTH = 5;

/** Event/Reading Type Code 01h: a threshold-based sensor. */
export const THRESHOLD_EVENT_TYPE = 0x01;

export type AnalogFormat = 'unsigned' | 'ones-complement' | 'twos-complement' | 'none';
const ANALOG_FORMATS: readonly AnalogFormat[] = [
  'unsigned',
  'ones-complement',
  'twos-complement',
  'none',
];

export interface SensorUnits {
  /** Analog data format (units 1, bits 7:6); 'none' when the sensor has no analog reading. */
  readonly analogFormat: AnalogFormat;
  /** Rate unit (bits 5:3): 0 none, 1 per µs … 6 per day. */
  readonly rate: number;
  /** Modifier unit relation (bits 2:1): 0 none, 1 base/modifier, 2 base×modifier. */
  readonly modifierRelation: number;
  readonly percentage: boolean;
  /** Unit type codes (table 43-15). */
  readonly base: number;
  readonly modifier: number;
}

/** Linear conversion factors (bytes 25–30 of a full record). */
export interface ConversionFactors {
  /** 10-bit two's complement. */
  readonly m: number;
  /** 6 bits, in ±½ raw counts. */
  readonly tolerance: number;
  /** 10-bit two's complement. */
  readonly b: number;
  /** 10 bits, in 1/100 percent scaled up by accuracyExp. */
  readonly accuracy: number;
  readonly accuracyExp: number;
  /** 0 unspecified, 1 input, 2 output. */
  readonly direction: number;
  /** 4-bit two's complement exponents. */
  readonly rExp: number;
  readonly bExp: number;
}

/** Raw threshold bytes of a full record (bytes 37–42); meaningful where readable. */
export interface ThresholdValues {
  readonly unr: number;
  readonly ucr: number;
  readonly unc: number;
  readonly lnr: number;
  readonly lcr: number;
  readonly lnc: number;
}

/** Bits of the readable/settable threshold masks and of the threshold comparison status. */
export const ThresholdBit = {
  LNC: 0x01,
  LCR: 0x02,
  LNR: 0x04,
  UNC: 0x08,
  UCR: 0x10,
  UNR: 0x20,
} as const;

/** Sensor initialization byte (11) bits. */
export const SensorInit = {
  SETTABLE: 0x80,
  SCANNING: 0x40,
  EVENTS: 0x20,
  THRESHOLDS: 0x10,
  HYSTERESIS: 0x08,
  SENSOR_TYPE: 0x04,
  EVENTS_ENABLED_DEFAULT: 0x02,
  SCANNING_ENABLED_DEFAULT: 0x01,
} as const;

/** Analog characteristic flags (byte 31) bits. */
export const AnalogFlag = { NOMINAL: 0x01, NORMAL_MAX: 0x02, NORMAL_MIN: 0x04 } as const;

interface SensorRecordCommon {
  readonly recordId: number;
  readonly sdrVersion: number;
  readonly ownerId: number;
  readonly ownerLun: number;
  readonly channel: number;
  readonly sensorNumber: number;
  readonly entityId: number;
  readonly entityInstance: number;
  /** Entity instance bit 7: a logical container rather than a physical entity. */
  readonly logicalEntity: boolean;
  /** Raw byte 11, see SensorInit. */
  readonly initialization: number;
  /** Raw byte 12: ignore (7), auto re-arm (6), hysteresis (5:4), threshold access (3:2), event message control (1:0). */
  readonly capabilities: number;
  readonly sensorType: number;
  readonly eventReadingType: number;
  /** Bytes 15–16: assertion event mask (threshold: bits 11:0) / lower threshold reading mask (bits 14:12). */
  readonly assertionMask: number;
  /** Bytes 17–18: deassertion event mask / upper threshold reading mask (bits 14:12). */
  readonly deassertionMask: number;
  /** Bytes 19–20: discrete reading mask, or readable thresholds (bits 5:0) and settable thresholds (bits 13:8). */
  readonly readingMask: number;
  readonly units: SensorUnits;
  readonly positiveHysteresis: number;
  readonly negativeHysteresis: number;
  readonly oem: number;
  readonly idString: string;
}

export interface FullSensorRecord extends SensorRecordCommon {
  readonly recordType: typeof SdrRecordType.FULL_SENSOR;
  /** 0 linear, 1–11 the standard functions, 70h–7Fh non-linear. */
  readonly linearization: number;
  readonly conversion: ConversionFactors;
  /** Byte 31, see AnalogFlag. */
  readonly analogFlags: number;
  readonly nominalReading: number;
  readonly normalMaximum: number;
  readonly normalMinimum: number;
  readonly sensorMaximum: number;
  readonly sensorMinimum: number;
  readonly thresholds: ThresholdValues;
}

export interface CompactSensorRecord extends SensorRecordCommon {
  readonly recordType: typeof SdrRecordType.COMPACT_SENSOR;
  /** Bytes 24–25, sensor record sharing (kept raw: one record describes one sensor here). */
  readonly sharing: number;
}

export type SensorRecord = FullSensorRecord | CompactSensorRecord;

export function isThresholdSensor(record: SensorRecord): boolean {
  return record.eventReadingType === THRESHOLD_EVENT_TYPE;
}

/** Threshold access support (capabilities bits 3:2): 0 none, 1 readable, 2 readable and settable, 3 fixed. */
export function thresholdAccess(record: SensorRecord): number {
  return (record.capabilities >> 2) & 0x03;
}

export function readableThresholds(record: SensorRecord): number {
  return record.readingMask & 0x3f;
}

export function settableThresholds(record: SensorRecord): number {
  return (record.readingMask >> 8) & 0x3f;
}

/** Which threshold comparisons Get Sensor Reading returns (bits as ThresholdBit). */
export function thresholdStatusMask(record: SensorRecord): number {
  const lower = (record.assertionMask >> 12) & 0x07;
  const upper = (record.deassertionMask >> 12) & 0x07;
  return lower | (upper << 3);
}

function signed(value: number, bits: number): number {
  const sign = 1 << (bits - 1);
  return value & sign ? value - (1 << bits) : value;
}

function unsigned(value: number, bits: number): number {
  return value & ((1 << bits) - 1);
}

function word(data: Uint8Array, index: number): number {
  return byteAt(data, index) | (byteAt(data, index + 1) << 8);
}

/**
 * The id string: its type/length byte's length, bytes taken as 8-bit
 * Latin-1 whatever the type says (what ipmitool shows), NULs trimmed.
 */
function decodeIdString(data: Uint8Array, at: number): string {
  const length = byteAt(data, at) & 0x1f;
  const bytes = data.subarray(at + 1, at + 1 + length);
  let text = '';
  for (const byte of bytes) {
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}

/** Fixed part of each record type after the header, before the id string's type/length byte. */
const FULL_FIXED = 47 - SDR_HEADER_LENGTH;
const COMPACT_FIXED = 31 - SDR_HEADER_LENGTH;

/**
 * A sensor record from the bytes of one SDR (header included); undefined for
 * records of other types (locators, OEM …), which Ferrite does not use.
 * Throws IpmiError 'protocol' when a sensor record is cut short.
 */
export function decodeSensorRecord(bytes: Uint8Array): SensorRecord | undefined {
  if (bytes.length < SDR_HEADER_LENGTH) {
    throw protocolError('get sdr', `record of ${String(bytes.length)} bytes`);
  }
  const type = byteAt(bytes, 3);
  if (type !== SdrRecordType.FULL_SENSOR && type !== SdrRecordType.COMPACT_SENSOR) return undefined;
  const fixed = type === SdrRecordType.FULL_SENSOR ? FULL_FIXED : COMPACT_FIXED;
  const body = bytes.subarray(SDR_HEADER_LENGTH);
  if (body.length < fixed + 1) {
    throw protocolError(
      'get sdr',
      `sensor record ${String(word(bytes, 0))} of ${String(body.length)} bytes, at least ${String(fixed + 1)} expected`,
    );
  }
  // Offsets below are into `body`: spec byte N is body[N - 6].
  const at = (n: number): number => byteAt(body, n - 6);
  const units1 = at(21);
  const common = {
    recordId: word(bytes, 0),
    sdrVersion: byteAt(bytes, 2),
    ownerId: at(6),
    ownerLun: at(7) & 0x03,
    channel: at(7) >> 4,
    sensorNumber: at(8),
    entityId: at(9),
    entityInstance: at(10) & 0x7f,
    logicalEntity: (at(10) & 0x80) !== 0,
    initialization: at(11),
    capabilities: at(12),
    sensorType: at(13),
    eventReadingType: at(14),
    assertionMask: at(15) | (at(16) << 8),
    deassertionMask: at(17) | (at(18) << 8),
    readingMask: at(19) | (at(20) << 8),
    units: {
      analogFormat: ANALOG_FORMATS[units1 >> 6] ?? 'none',
      rate: (units1 >> 3) & 0x07,
      modifierRelation: (units1 >> 1) & 0x03,
      percentage: (units1 & 0x01) !== 0,
      base: at(22),
      modifier: at(23),
    },
  };
  if (type === SdrRecordType.COMPACT_SENSOR) {
    return {
      ...common,
      recordType: SdrRecordType.COMPACT_SENSOR,
      sharing: at(24) | (at(25) << 8),
      positiveHysteresis: at(26),
      negativeHysteresis: at(27),
      oem: at(31),
      idString: decodeIdString(body, 32 - 6),
    };
  }
  return {
    ...common,
    recordType: SdrRecordType.FULL_SENSOR,
    linearization: at(24) & 0x7f,
    conversion: {
      m: signed(at(25) | ((at(26) & 0xc0) << 2), 10),
      tolerance: at(26) & 0x3f,
      b: signed(at(27) | ((at(28) & 0xc0) << 2), 10),
      accuracy: (at(28) & 0x3f) | ((at(29) & 0xf0) << 2),
      accuracyExp: (at(29) >> 2) & 0x03,
      direction: at(29) & 0x03,
      rExp: signed(at(30) >> 4, 4),
      bExp: signed(at(30) & 0x0f, 4),
    },
    analogFlags: at(31),
    nominalReading: at(32),
    normalMaximum: at(33),
    normalMinimum: at(34),
    sensorMaximum: at(35),
    sensorMinimum: at(36),
    thresholds: {
      unr: at(37),
      ucr: at(38),
      unc: at(39),
      lnr: at(40),
      lcr: at(41),
      lnc: at(42),
    },
    positiveHysteresis: at(43),
    negativeHysteresis: at(44),
    oem: at(47),
    idString: decodeIdString(body, 48 - 6),
  };
}

/** The bytes of `record` (header included), id string as 8-bit ASCII of at most 16 characters. */
export function encodeSensorRecord(record: SensorRecord): Uint8Array {
  const full = record.recordType === SdrRecordType.FULL_SENSOR;
  const fixed = full ? FULL_FIXED : COMPACT_FIXED;
  const id = Array.from(record.idString.slice(0, 16), (c) => c.charCodeAt(0) & 0xff);
  const bytes = new Uint8Array(SDR_HEADER_LENGTH + fixed + 1 + id.length);
  const put = (n: number, value: number): void => {
    bytes[n - 1] = value & 0xff;
  };
  put(1, record.recordId);
  put(2, record.recordId >> 8);
  put(3, record.sdrVersion);
  put(4, record.recordType);
  put(5, bytes.length - SDR_HEADER_LENGTH);
  put(6, record.ownerId);
  put(7, (record.channel << 4) | (record.ownerLun & 0x03));
  put(8, record.sensorNumber);
  put(9, record.entityId);
  put(10, (record.entityInstance & 0x7f) | (record.logicalEntity ? 0x80 : 0));
  put(11, record.initialization);
  put(12, record.capabilities);
  put(13, record.sensorType);
  put(14, record.eventReadingType);
  put(15, record.assertionMask);
  put(16, record.assertionMask >> 8);
  put(17, record.deassertionMask);
  put(18, record.deassertionMask >> 8);
  put(19, record.readingMask);
  put(20, record.readingMask >> 8);
  const units = record.units;
  put(
    21,
    (Math.max(0, ANALOG_FORMATS.indexOf(units.analogFormat)) << 6) |
      ((units.rate & 0x07) << 3) |
      ((units.modifierRelation & 0x03) << 1) |
      (units.percentage ? 1 : 0),
  );
  put(22, units.base);
  put(23, units.modifier);
  let idAt: number;
  if (record.recordType === SdrRecordType.FULL_SENSOR) {
    const c = record.conversion;
    const m = unsigned(c.m, 10);
    const b = unsigned(c.b, 10);
    put(24, record.linearization);
    put(25, m);
    put(26, ((m >> 8) << 6) | (c.tolerance & 0x3f));
    put(27, b);
    put(28, ((b >> 8) << 6) | (c.accuracy & 0x3f));
    put(
      29,
      (((c.accuracy >> 6) & 0x0f) << 4) | ((c.accuracyExp & 0x03) << 2) | (c.direction & 0x03),
    );
    put(30, (unsigned(c.rExp, 4) << 4) | unsigned(c.bExp, 4));
    put(31, record.analogFlags);
    put(32, record.nominalReading);
    put(33, record.normalMaximum);
    put(34, record.normalMinimum);
    put(35, record.sensorMaximum);
    put(36, record.sensorMinimum);
    put(37, record.thresholds.unr);
    put(38, record.thresholds.ucr);
    put(39, record.thresholds.unc);
    put(40, record.thresholds.lnr);
    put(41, record.thresholds.lcr);
    put(42, record.thresholds.lnc);
    put(43, record.positiveHysteresis);
    put(44, record.negativeHysteresis);
    put(47, record.oem);
    idAt = 48;
  } else {
    put(24, record.sharing);
    put(25, record.sharing >> 8);
    put(26, record.positiveHysteresis);
    put(27, record.negativeHysteresis);
    put(31, record.oem);
    idAt = 32;
  }
  // Type 11b: 8-bit ASCII + Latin 1.
  put(idAt, 0xc0 | id.length);
  bytes.set(id, idAt);
  return bytes;
}

/**
 * Sensor data the way Ironic's ipmitool driver reports it: Ironic runs
 * `ipmitool sdr -v`, splits each sensor's "Key : value" lines into a dict,
 * groups the dicts by the first word of their "Sensor Type (…)" value and
 * keys them by "Sensor ID" ("CPU Temp (0x10)"). Here the same keys and
 * values come from the SDR repository and Get Sensor Reading directly.
 */
import type { SensorData, SensorReading } from '../../../interfaces/management.ts';
import { IpmiError } from '../types.ts';
import type { IpmiChannel } from '../types.ts';
import { readSensorRecords } from './sdr.ts';
import type { ReadSdrOptions } from './sdr.ts';
import {
  AnalogFlag,
  isThresholdSensor,
  readableThresholds,
  SdrRecordType,
  SensorInit,
  settableThresholds,
  thresholdAccess,
  thresholdStatusMask,
  ThresholdBit,
} from './sdr-record.ts';
import type { FullSensorRecord, SensorRecord } from './sdr-record.ts';
import {
  convertHysteresis,
  convertReading,
  convertTolerance,
  getSensorReading,
  isConvertible,
} from './sensor-reading.ts';
import type { SensorReadingAnswer } from './sensor-reading.ts';
import { discreteStateNames, entityName, sensorTypeName, unitsText } from './sensor-names.ts';

type Fields = Record<string, string>;

/** `%.3f`, or no decimals for whole numbers: ipmitool's "%.*f" with (v == (int) v) ? 0 : 3. */
export function formatValue(value: number): string {
  return Number.isInteger(value) ? value.toFixed(0) : value.toFixed(3);
}

function hex(value: number): string {
  return value.toString(16);
}

const EVENT_MESSAGE_CONTROL = [
  'Per-threshold',
  'Entire Sensor Only',
  'Global Disable Only',
  'No Events From Sensor',
];

/** Threshold names in ipmitool's order for the readable/settable lists. */
const THRESHOLD_ORDER: readonly [number, string][] = [
  [ThresholdBit.LNR, 'lnr'],
  [ThresholdBit.LCR, 'lcr'],
  [ThresholdBit.LNC, 'lnc'],
  [ThresholdBit.UNC, 'unc'],
  [ThresholdBit.UCR, 'ucr'],
  [ThresholdBit.UNR, 'unr'],
];

function thresholdList(mask: number): string {
  return THRESHOLD_ORDER.filter(([bit]) => (mask & bit) !== 0)
    .map(([, name]) => name)
    .join(' ');
}

/** Threshold event bits 11:0 of an assertion/deassertion mask, low bit first. */
const THRESHOLD_EVENTS = [
  'lnc-',
  'lnc+',
  'lcr-',
  'lcr+',
  'lnr-',
  'lnr+',
  'unc-',
  'unc+',
  'ucr-',
  'ucr+',
  'unr-',
  'unr+',
];

function thresholdEvents(mask: number): string {
  return THRESHOLD_EVENTS.filter((_, bit) => (mask & (1 << bit)) !== 0).join(' ');
}

/** "Status" of a threshold sensor: the most severe comparison, ipmitool's wording. */
function thresholdStatus(status: number): string {
  if (status & ThresholdBit.LNR) return 'Lower Non-Recoverable';
  if (status & ThresholdBit.UNR) return 'Upper Non-Recoverable';
  if (status & ThresholdBit.LCR) return 'Lower Critical';
  if (status & ThresholdBit.UCR) return 'Upper Critical';
  if (status & ThresholdBit.LNC) return 'Lower Non-Critical';
  if (status & ThresholdBit.UNC) return 'Upper Non-Critical';
  return 'ok';
}

function hasAnalogUnits(record: SensorRecord): record is FullSensorRecord {
  return record.recordType === SdrRecordType.FULL_SENSOR && isConvertible(record);
}

function isValid(answer: SensorReadingAnswer | undefined): answer is SensorReadingAnswer {
  return answer !== undefined && answer.scanningEnabled && !answer.unavailable;
}

function readingText(record: SensorRecord, answer: SensorReadingAnswer | undefined): string {
  if (answer !== undefined && !answer.scanningEnabled) return 'Disabled';
  if (!isValid(answer)) return 'No Reading';
  // Discrete sensors: the raw byte, as ipmitool shows it (no conversion).
  if (!isThresholdSensor(record)) return `${hex(answer.raw)}h`;
  if (record.recordType === SdrRecordType.COMPACT_SENSOR) {
    return `0x${hex(answer.raw).toUpperCase().padStart(2, '0')}`;
  }
  if (!isConvertible(record)) {
    const tolerance = `0x${hex(record.conversion.tolerance).toUpperCase().padStart(2, '0')}`;
    return `0x${hex(answer.raw).toUpperCase().padStart(2, '0')} (+/- ${tolerance})`;
  }
  const value = convertReading(record, answer.raw);
  const tolerance = convertTolerance(record);
  return `${formatValue(value)} (+/- ${formatValue(tolerance)}) ${unitsText(record.units)}`;
}

/** A threshold or nominal byte as ipmitool prints it: %.3f of the converted value. */
function analogText(record: FullSensorRecord, raw: number): string {
  return isConvertible(record)
    ? convertReading(record, raw).toFixed(3)
    : `0x${hex(raw).toUpperCase().padStart(2, '0')}`;
}

function hysteresisText(record: SensorRecord, raw: number): string {
  if (raw === 0x00 || raw === 0xff) return 'Unspecified';
  if (!hasAnalogUnits(record)) return `0x${hex(raw).toUpperCase().padStart(2, '0')}`;
  const value = convertHysteresis(record, raw);
  return value === 0 ? 'Unspecified' : value.toFixed(3);
}

/** Sensor range ends, "Unspecified" at the format's extremes as ipmitool decides. */
function rangeText(record: FullSensorRecord, raw: number, end: 'min' | 'max'): string {
  const format = record.units.analogFormat;
  const unspecified =
    end === 'min'
      ? (format === 'unsigned' && raw === 0x00) ||
        (format === 'ones-complement' && raw === 0xff) ||
        (format === 'twos-complement' && raw === 0x80)
      : (format === 'unsigned' && raw === 0xff) ||
        (format === 'ones-complement' && raw === 0x00) ||
        (format === 'twos-complement' && raw === 0x7f);
  if (!isConvertible(record)) {
    return unspecified ? 'Unspecified' : `0x${hex(raw).toUpperCase().padStart(2, '0')}`;
  }
  const value = convertReading(record, raw);
  return unspecified || value === 0 ? 'Unspecified' : value.toFixed(3);
}

function thresholdFields(record: SensorRecord, answer: SensorReadingAnswer | undefined): Fields {
  const fields: Fields = {
    'Sensor Type (Threshold)': `${sensorTypeName(record.sensorType)} (0x${hex(record.sensorType).padStart(2, '0')})`,
    'Sensor Reading': readingText(record, answer),
    Status: isValid(answer) ? thresholdStatus(answer.thresholdStatus) : 'Not Available',
  };
  if (record.recordType === SdrRecordType.FULL_SENSOR) {
    const flags = record.analogFlags;
    if (flags & AnalogFlag.NOMINAL) {
      fields['Nominal Reading'] = analogText(record, record.nominalReading);
    }
    if (flags & AnalogFlag.NORMAL_MIN) {
      fields['Normal Minimum'] = analogText(record, record.normalMinimum);
    }
    if (flags & AnalogFlag.NORMAL_MAX) {
      fields['Normal Maximum'] = analogText(record, record.normalMaximum);
    }
    // Thresholds the record both initializes and declares readable.
    const readable = record.initialization & SensorInit.THRESHOLDS ? readableThresholds(record) : 0;
    const t = record.thresholds;
    const values: readonly [number, string, number][] = [
      [ThresholdBit.UNR, 'Upper non-recoverable', t.unr],
      [ThresholdBit.UCR, 'Upper critical', t.ucr],
      [ThresholdBit.UNC, 'Upper non-critical', t.unc],
      [ThresholdBit.LNR, 'Lower non-recoverable', t.lnr],
      [ThresholdBit.LCR, 'Lower critical', t.lcr],
      [ThresholdBit.LNC, 'Lower non-critical', t.lnc],
    ];
    for (const [bit, name, raw] of values) {
      if (readable & bit) fields[name] = analogText(record, raw);
    }
  }
  fields['Positive Hysteresis'] = hysteresisText(record, record.positiveHysteresis);
  fields['Negative Hysteresis'] = hysteresisText(record, record.negativeHysteresis);
  if (record.recordType === SdrRecordType.FULL_SENSOR) {
    fields['Minimum sensor range'] = rangeText(record, record.sensorMinimum, 'min');
    fields['Maximum sensor range'] = rangeText(record, record.sensorMaximum, 'max');
  }
  fields['Event Message Control'] = EVENT_MESSAGE_CONTROL[record.capabilities & 0x03] ?? '';
  const access = thresholdAccess(record);
  const accessText = (mask: number): string =>
    access === 0 ? 'No Thresholds' : access === 3 ? 'Thresholds Fixed' : thresholdList(mask);
  fields['Readable Thresholds'] = accessText(readableThresholds(record));
  fields['Settable Thresholds'] = accessText(settableThresholds(record));
  const statusMask = thresholdStatusMask(record);
  if (statusMask !== 0) fields['Threshold Read Mask'] = thresholdList(statusMask);
  // From the SDR's event masks (ipmitool asks Get Sensor Event Enable; BMCs
  // start with the SDR's events enabled).
  fields['Assertions Enabled'] = thresholdEvents(record.assertionMask & 0x0fff);
  if ((record.deassertionMask & 0x0fff) !== 0) {
    fields['Deassertions Enabled'] = thresholdEvents(record.deassertionMask & 0x0fff);
  }
  return fields;
}

function discreteFields(record: SensorRecord, answer: SensorReadingAnswer | undefined): Fields {
  const states = (mask: number): string =>
    discreteStateNames(record.sensorType, record.eventReadingType, mask).join(', ');
  const fields: Fields = {
    'Sensor Type (Discrete)': `${sensorTypeName(record.sensorType)} (0x${hex(record.sensorType).padStart(2, '0')})`,
    'Sensor Reading': readingText(record, answer),
    'Event Message Control': EVENT_MESSAGE_CONTROL[record.capabilities & 0x03] ?? '',
  };
  if (isValid(answer) && (answer.states & 0x7fff) !== 0) {
    fields['States Asserted'] = states(answer.states);
  }
  if ((record.assertionMask & 0x7fff) !== 0) {
    fields['Assertions Enabled'] = states(record.assertionMask);
  }
  if ((record.deassertionMask & 0x7fff) !== 0) {
    fields['Deassertions Enabled'] = states(record.deassertionMask);
  }
  fields['OEM'] = hex(record.oem).toUpperCase();
  return fields;
}

/** "CPU Temp (0x10)": Ironic's key for a sensor within its type. */
export function sensorKey(record: SensorRecord): string {
  return `${record.idString} (0x${hex(record.sensorNumber)})`;
}

/**
 * Ironic's group for a sensor: the first word of the type name
 * ("Temperature", "Fan", "Power" for Power Supply) — its
 * `value.split(' ', 1)[0]` of "Sensor Type (…)".
 */
export function sensorGroup(record: SensorRecord): string {
  return sensorTypeName(record.sensorType).split(' ', 1)[0] ?? 'reserved';
}

/** One sensor's fields, as Ironic's dict of its `ipmitool sdr -v` lines. */
export function describeSensor(
  record: SensorRecord,
  answer: SensorReadingAnswer | undefined,
): SensorReading {
  const fields: Fields = {
    'Sensor ID': sensorKey(record),
    'Entity ID': `${String(record.entityId)}.${String(record.entityInstance)} (${entityName(record.entityId)})`,
    ...(isThresholdSensor(record)
      ? thresholdFields(record, answer)
      : discreteFields(record, answer)),
  };
  return { ...fields, 'Sensor Reading': fields['Sensor Reading'] ?? 'No Reading' };
}

/**
 * Every sensor of the BMC's SDR repository with its current reading, grouped
 * by type then id. A sensor whose reading the BMC refuses (completion code:
 * absent, not readable) is reported "No Reading"; transport failures throw.
 */
export async function readSensors(
  channel: IpmiChannel,
  signal?: AbortSignal,
  options: Omit<ReadSdrOptions, 'signal'> = {},
): Promise<SensorData> {
  const records = await readSensorRecords(channel, { ...options, ...(signal ? { signal } : {}) });
  const data: Record<string, Record<string, SensorReading>> = {};
  for (const record of records) {
    let answer: SensorReadingAnswer | undefined;
    try {
      answer = await getSensorReading(channel, record.sensorNumber, signal);
    } catch (error) {
      if (!(error instanceof IpmiError) || error.kind !== 'completion-code') throw error;
    }
    const group = (data[sensorGroup(record)] ??= {});
    group[sensorKey(record)] = describeSensor(record, answer);
  }
  return data;
}

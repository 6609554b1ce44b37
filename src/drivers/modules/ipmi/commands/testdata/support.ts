/**
 * Test helpers for the command tests: the captured ipmi_sim answers, an
 * in-memory channel to an EmulatedBmc, and a reader of `ipmitool sdr -v`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatedBmc } from '../../../../../lab/ipmi/bmc.ts';
import type { EmulatedSensor } from '../../../../../lab/ipmi/bmc.ts';
import type { IpmiChannel, IpmiRequest, IpmiResponse } from '../../types.ts';
import { decodeSensorReading } from '../sensor-reading.ts';
import type { SensorRecord } from '../sdr-record.ts';

export interface Captures {
  readonly sensorsSdrs: string;
  readonly bmcEmu: string;
  readonly sdrDumpHex: string;
  readonly sdrVerbose: string;
  readonly getDeviceId: string;
  readonly getSdrRepositoryInfo: string;
  readonly reserveSdrRepository: string;
  readonly getSdrPartial: { readonly request: string; readonly response: string };
  readonly getSdrHeader: { readonly request: string; readonly response: string };
  readonly getSensorReading: Readonly<Record<string, string>>;
  readonly chassisStatusOn: string;
  readonly chassisStatusOff: string;
  readonly bootOptionsParam5Initial: string;
  readonly bootOptionsParam5AfterPxe: string;
}

export const captures = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'ipmi-sim-captures.json'), 'utf8'),
) as Captures;

/** "01 0a ff" or "010aff" → bytes. */
export function bytes(text: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  return Uint8Array.from(compact.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** Splits an SDR dump (records back to back) into records. */
export function splitSdrDump(dump: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  for (let at = 0; at + 5 <= dump.length;) {
    const length = 5 + (dump[at + 4] ?? 0);
    records.push(dump.slice(at, at + length));
    at += length;
  }
  return records;
}

/** A channel straight into `bmc.handle`, recording the requests; `before` may act before each. */
export class BmcChannel implements IpmiChannel {
  readonly requests: IpmiRequest[] = [];
  before: ((request: IpmiRequest, index: number) => void) | undefined;

  constructor(readonly bmc: EmulatedBmc) {}

  async request(request: IpmiRequest): Promise<IpmiResponse> {
    this.before?.(request, this.requests.length);
    this.requests.push(request);
    return this.bmc.handle(request);
  }
}

/** A channel answering every request with `response`. */
export function fixedChannel(response: IpmiResponse): IpmiChannel {
  return { request: async () => response };
}

/**
 * `ipmitool sdr -v` as Ironic reads it — one dict per sensor of its
 * "Key : value" lines — except that the bracketed state lines under a key
 * ("[Presence detected]") are kept, joined by ", ", instead of the sensor
 * type name Ironic's parser is left with.
 */
export function parseSdrVerbose(text: string): Record<string, string>[] {
  const sensors: Record<string, string>[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    let last: string | undefined;
    let states: string[] = [];
    const flush = (): void => {
      if (last !== undefined && states.length > 0) fields[last] = states.join(', ');
      states = [];
    };
    for (const line of block.split('\n')) {
      const state = /^\s+\[(.*)\]\s*$/.exec(line);
      if (state) {
        states.push(state[1] ?? '');
        continue;
      }
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      flush();
      last = line.slice(0, colon).trim();
      fields[last] = line.slice(colon + 1).trim();
    }
    flush();
    if (fields['Sensor ID'] !== undefined) sensors.push(fields);
  }
  return sensors;
}
/** An EmulatedBmc holding ipmi_sim's records, with the readings ipmi_sim gave. */
export function bmcLike(
  records: readonly SensorRecord[],
  readings: Readonly<Record<string, string>>,
): EmulatedBmc {
  const sensors: EmulatedSensor[] = records.map((record) => {
    const reading = decodeSensorReading(bytes(readings[String(record.sensorNumber)] ?? '00 00'));
    return {
      record,
      raw: reading.raw,
      states: reading.states,
      scanning: reading.scanningEnabled,
      eventsEnabled: reading.eventsEnabled,
    };
  });
  return new EmulatedBmc({ sensors });
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SENSORS, EmulatedBmc, thresholdSensor } from '../../../../lab/ipmi/bmc.ts';
import type { SensorData, SensorReading } from '../../../interfaces/management.ts';
import { IpmiError } from '../types.ts';
import {
  decodeSdrChunk,
  decodeSdrRepositoryInfo,
  getSdrRepositoryInfo,
  readSdrRepository,
  readSensorRecords,
} from './sdr.ts';
import { decodeSensorRecord, encodeSensorRecord, SdrRecordType } from './sdr-record.ts';
import type { FullSensorRecord, SensorRecord } from './sdr-record.ts';
import { convertReading, decodeSensorReading, getSensorReading } from './sensor-reading.ts';
import { describeSensor, readSensors } from './sensors.ts';
import {
  BmcChannel,
  bmcLike,
  bytes,
  captures,
  parseSdrVerbose,
  splitSdrDump,
} from './testdata/support.ts';

const richRecords = splitSdrDump(bytes(captures.sdrDumpHex));

function sensorRecords(): SensorRecord[] {
  return richRecords.flatMap((r) => {
    const record = decodeSensorRecord(r);
    return record ? [record] : [];
  });
}

function full(id: string): FullSensorRecord {
  const record = sensorRecords().find((r) => r.idString === id);
  assert.ok(record?.recordType === SdrRecordType.FULL_SENSOR, id);
  return record;
}

function sensorOf(data: SensorData, group: string, key: string): SensorReading {
  const found = data[group]?.[key];
  assert.ok(found, `${group}/${key} missing`);
  return found;
}

describe('SDR records', () => {
  it('decodes ipmi_sim’s full records: conversion factors with 10-bit signs, thresholds, masks', () => {
    const cpu = full('CPU Temp');
    assert.deepEqual(
      [cpu.recordId, cpu.sensorNumber, cpu.entityId, cpu.entityInstance, cpu.sensorType],
      [2, 0x10, 3, 1, 1],
    );
    assert.deepEqual(cpu.thresholds, { unr: 0, ucr: 90, unc: 80, lnr: 0, lcr: 5, lnc: 10 });
    assert.equal(cpu.readingMask, 0x101b);
    assert.equal(cpu.conversion.tolerance, 2);
    assert.deepEqual(
      [cpu.nominalReading, cpu.normalMaximum, cpu.normalMinimum, cpu.analogFlags],
      [40, 75, 10, 7],
    );
    const vbat = full('VBAT');
    assert.deepEqual(
      [vbat.conversion.m, vbat.conversion.b, vbat.conversion.bExp, vbat.conversion.rExp],
      [300, -50, 1, -4],
    );
    assert.equal(full('Inlet Temp').units.analogFormat, 'twos-complement');
  });

  it('decodes compact records and skips the MC locator', () => {
    assert.equal(richRecords.length, 8);
    assert.equal(decodeSensorRecord(richRecords[0] ?? new Uint8Array(5)), undefined);
    const cpu1 = sensorRecords().find((r) => r.idString === 'CPU1 Status');
    assert.ok(cpu1?.recordType === SdrRecordType.COMPACT_SENSOR);
    assert.deepEqual(
      [cpu1.sensorNumber, cpu1.sensorType, cpu1.eventReadingType, cpu1.assertionMask],
      [0x20, 0x07, 0x6f, 0x82],
    );
  });

  it('encodes every record back to ipmi_sim’s bytes', () => {
    for (const raw of richRecords) {
      const record = decodeSensorRecord(raw);
      if (record) assert.deepEqual(encodeSensorRecord(record), raw, record.idString);
    }
  });

  it('decodes the repository info and Get SDR answers ipmi_sim sent', () => {
    const info = decodeSdrRepositoryInfo(bytes(captures.getSdrRepositoryInfo));
    assert.deepEqual(
      [info.version, info.recordCount, info.freeSpace, info.lastAddition, info.operationSupport],
      [0x51, 8, 0xfffe, 0x6b138a37, 0x02],
    );
    const header = decodeSdrChunk(bytes(captures.getSdrHeader.response), 5);
    assert.deepEqual([header.nextRecordId, ...header.data], [3, 2, 0, 0x51, 0x01, 0x33]);
    const partial = decodeSdrChunk(bytes(captures.getSdrPartial.response), 16);
    assert.deepEqual(partial.data, (richRecords[1] ?? new Uint8Array()).subarray(5, 21));
  });

  it('converts readings: y = (M·x + B·10^Bexp)·10^Rexp, signed formats', () => {
    assert.equal(convertReading(full('CPU Temp'), 92), 92);
    assert.equal(convertReading(full('Sys Fan 2'), 80), 4800);
    assert.equal(convertReading(full('VBAT'), 110).toFixed(3), '3.250');
    assert.equal(convertReading(full('Inlet Temp'), 0xf6), -10);
    assert.equal(convertReading(full('PS1 Current'), 55).toFixed(3), '5.500');
  });
});

describe('SDR repository read', () => {
  it('reads every record in 16-byte pieces under a reservation', async () => {
    const bmc = new EmulatedBmc();
    const channel = new BmcChannel(bmc);
    const records = await readSdrRepository(channel);
    assert.equal(records.length, DEFAULT_SENSORS.length + 1);
    const gets = channel.requests.filter((r) => r.netFn === 0x0a && r.command === 0x23);
    assert.ok(gets.every((r) => (r.data?.[5] ?? 0) <= 16));
    assert.ok(
      gets.some((r) => (r.data?.[4] ?? 0) > 5),
      'partial reads past the header',
    );
    const info = await getSdrRepositoryInfo(channel);
    assert.equal(info.recordCount, records.length);
  });

  it('reserves again and rereads the record when the reservation is cancelled mid-read', async () => {
    const bmc = new EmulatedBmc();
    const channel = new BmcChannel(bmc);
    let cancelled = 0;
    channel.before = (request, index) => {
      // Cancel during the body of the second sensor record, twice.
      if (request.command === 0x23 && (index === 12 || index === 14)) {
        bmc.cancelSdrReservation();
        cancelled++;
      }
    };
    const records = await readSdrRepository(channel);
    assert.equal(cancelled, 2);
    const reserves = channel.requests.filter((r) => r.command === 0x22).length;
    assert.equal(reserves, 3);
    const expected = await readSdrRepository(new BmcChannel(new EmulatedBmc()));
    assert.deepEqual(records, expected);
  });

  it('gives up after repeated cancellations with the completion code', async () => {
    const bmc = new EmulatedBmc();
    const channel = new BmcChannel(bmc);
    channel.before = (request) => {
      if (request.command === 0x23 && (request.data?.[4] ?? 0) > 0) bmc.cancelSdrReservation();
    };
    await assert.rejects(readSdrRepository(channel), (error: unknown) => {
      return error instanceof IpmiError && error.completionCode === 0xc5;
    });
  });

  it('refuses pieces larger than the BMC’s buffer with 0xCA, and reads with small ones', async () => {
    const bmc = new EmulatedBmc({ sdrReadLimit: 8 });
    await assert.rejects(readSdrRepository(new BmcChannel(bmc), { chunkSize: 16 }), /0xCA/);
    const records = await readSensorRecords(new BmcChannel(bmc), { chunkSize: 8 });
    assert.equal(records.length, DEFAULT_SENSORS.length);
  });
});

describe('sensor readings and SensorData', () => {
  it('decodes ipmi_sim’s Get Sensor Reading answers', () => {
    const cpu = decodeSensorReading(bytes(captures.getSensorReading['16'] ?? ''));
    assert.deepEqual([cpu.raw, cpu.scanningEnabled, cpu.thresholdStatus], [92, true, 0x18]);
    const cpu1 = decodeSensorReading(bytes(captures.getSensorReading['32'] ?? ''));
    assert.deepEqual([cpu1.eventsEnabled, cpu1.states], [true, 0x80]);
    const short = decodeSensorReading(Uint8Array.of(0x10, 0x60));
    assert.deepEqual([short.unavailable, short.states], [true, 0]);
  });

  it('reads like `ipmitool sdr -v` on ipmi_sim, field for field', async () => {
    const bmc = bmcLike(sensorRecords(), captures.getSensorReading);
    const data = await readSensors(new BmcChannel(bmc));
    const expected = parseSdrVerbose(captures.sdrVerbose);
    assert.equal(expected.length, 7);
    for (const sensor of expected) {
      // Event Enable comes from Get Sensor Event Enable, which Ferrite does not ask.
      delete sensor['Event Enable'];
      const type =
        (sensor['Sensor Type (Threshold)'] ?? sensor['Sensor Type (Discrete)'] ?? '').split(
          ' ',
          1,
        )[0] ?? '';
      assert.deepEqual(data[type]?.[sensor['Sensor ID'] ?? ''], sensor, sensor['Sensor ID']);
    }
    assert.deepEqual(Object.keys(data).sort(), [
      'Current',
      'Fan',
      'Physical',
      'Processor',
      'Temperature',
      'Voltage',
    ]);
  });

  it('groups the default sensors by type as Ironic does, with status and thresholds', async () => {
    const bmc = new EmulatedBmc();
    const channel = new BmcChannel(bmc);
    bmc.setSensorReading(0x01, { raw: 92 });
    bmc.setSensorReading(0x03, { raw: 9 });
    const data = await readSensors(channel);
    assert.deepEqual(Object.keys(data).sort(), ['Fan', 'Power', 'Temperature', 'Voltage']);
    const cpu = sensorOf(data, 'Temperature', 'CPU Temp (0x1)');
    assert.equal(cpu['Sensor Reading'], '92 (+/- 1) degrees C');
    assert.equal(cpu['Status'], 'Upper Critical');
    assert.equal(cpu['Upper critical'], '90.000');
    assert.equal(cpu['Lower critical'], '5.000');
    assert.equal(cpu['Nominal Reading'], '40.000');
    assert.equal(cpu['Assertions Enabled'], 'lcr- ucr+');
    const fan = sensorOf(data, 'Fan', 'Fan 1 (0x3)');
    assert.equal(fan['Sensor Reading'], '540 (+/- 0) RPM');
    assert.equal(fan['Status'], 'Lower Critical');
    assert.equal(sensorOf(data, 'Voltage', '12V (0x4)')['Sensor Reading'], '12 (+/- 0) Volts');
    assert.equal(sensorOf(data, 'Voltage', '12V (0x4)')['Upper non-recoverable'], '13.980');
    const psu = sensorOf(data, 'Power', 'PSU1 Status (0x5)');
    assert.equal(psu['Sensor Type (Discrete)'], 'Power Supply (0x08)');
    assert.equal(psu['States Asserted'], 'Presence detected');
    assert.equal(psu['Sensor Reading'], '0h');
  });

  it('reports No Reading for unavailable sensors and sensors the BMC refuses', async () => {
    const extra = thresholdSensor({
      sensorNumber: 0x30,
      sensorType: 0x01,
      idString: 'Ghost',
      baseUnit: 1,
    });
    const bmc = new EmulatedBmc({ sensors: [...DEFAULT_SENSORS, { record: extra }] });
    bmc.setSensorReading(0x02, { unavailable: true });
    bmc.setSensorReading(0x04, { scanning: false });
    const channel = new BmcChannel(bmc);
    channel.before = (request) => {
      if (request.command === 0x2d && request.data?.[0] === 0x30) bmc.failNextCommands(1, 0xcb);
    };
    const data = await readSensors(channel);
    assert.equal(sensorOf(data, 'Temperature', 'Inlet Temp (0x2)')['Sensor Reading'], 'No Reading');
    assert.equal(sensorOf(data, 'Temperature', 'Inlet Temp (0x2)')['Status'], 'Not Available');
    assert.equal(sensorOf(data, 'Voltage', '12V (0x4)')['Sensor Reading'], 'Disabled');
    assert.equal(sensorOf(data, 'Temperature', 'Ghost (0x30)')['Sensor Reading'], 'No Reading');
  });

  it('lets transport failures through', async () => {
    const bmc = new EmulatedBmc();
    let count = 0;
    const channel = {
      request: async (request: Parameters<BmcChannel['request']>[0]) => {
        if (request.command === 0x2d && ++count === 2) throw new IpmiError('timeout', 'no answer');
        return bmc.handle(request);
      },
    };
    await assert.rejects(readSensors(channel), /no answer/);
    assert.equal((await getSensorReading(new BmcChannel(bmc), 1)).raw, 45);
  });

  it('describes a sensor without a reading', () => {
    const fields = describeSensor(full('CPU Temp'), undefined);
    assert.equal(fields['Sensor Reading'], 'No Reading');
    assert.equal(fields['Sensor ID'], 'CPU Temp (0x10)');
  });
});

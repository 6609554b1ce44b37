/** Random answers: decoders return or throw IpmiError, and never anything else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IpmiError } from '../types.ts';
import type { IpmiChannel } from '../types.ts';
import { decodeBootFlags, getBootFlags } from './boot-options.ts';
import { decodeChassisStatus, getChassisStatus } from './chassis.ts';
import { decodeDeviceId, getDeviceId } from './device-id.ts';
import { decodeSdrChunk, decodeSdrRepositoryInfo, readSdrRepository } from './sdr.ts';
import { decodeSensorRecord, encodeSensorRecord } from './sdr-record.ts';
import { decodeSensorReading } from './sensor-reading.ts';
import { describeSensor, readSensors } from './sensors.ts';

function typedOnly(action: () => unknown): void {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof IpmiError, `untyped failure: ${String(error)}`);
  }
}

async function typedOnlyAsync(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof IpmiError, `untyped failure: ${String(error)}`);
  }
}

const anyBytes = fc.uint8Array({ maxLength: 80 });

describe('decoders under random bytes', () => {
  it('fixed-layout answers', () => {
    fc.assert(
      fc.property(anyBytes, (data) => {
        typedOnly(() => decodeChassisStatus(data));
        typedOnly(() => decodeBootFlags(data));
        typedOnly(() => decodeDeviceId(data));
        typedOnly(() => decodeSdrRepositoryInfo(data));
        typedOnly(() => decodeSdrChunk(data, 16));
        typedOnly(() => decodeSensorReading(data));
      }),
    );
  });

  it('sensor records, and the fields built from them with any reading', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 5, maxLength: 80 }),
        fc.integer({ min: 1, max: 2 }),
        anyBytes,
        (record, type, reading) => {
          record[3] = type;
          typedOnly(() => {
            const decoded = decodeSensorRecord(record);
            if (decoded === undefined) return;
            const fields = describeSensor(
              decoded,
              decodeSensorReading(Uint8Array.of(...reading, 0, 0)),
            );
            assert.equal(typeof fields['Sensor Reading'], 'string');
            // What decodes encodes to a record that decodes the same.
            assert.deepEqual(decodeSensorRecord(encodeSensorRecord(decoded)), {
              ...decoded,
              idString: decoded.idString.slice(0, 16),
            });
          });
        },
      ),
    );
  });

  it('whole commands over a channel answering garbage', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ code: fc.constantFrom(0, 0, 0, 0xc1, 0xc5, 0xcb), data: anyBytes }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (answers) => {
          let next = 0;
          const channel: IpmiChannel = {
            request: async () => {
              const answer = answers[next++ % answers.length];
              return { completionCode: answer?.code ?? 0, data: answer?.data ?? new Uint8Array() };
            },
          };
          await typedOnlyAsync(() => getChassisStatus(channel));
          await typedOnlyAsync(() => getBootFlags(channel));
          await typedOnlyAsync(() => getDeviceId(channel));
          await typedOnlyAsync(() => readSdrRepository(channel));
          await typedOnlyAsync(() => readSensors(channel));
        },
      ),
      { numRuns: 200 },
    );
  });
});

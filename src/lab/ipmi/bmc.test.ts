import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EmulatedBmc } from './bmc.ts';

const SDR = 0x0a;

describe('EmulatedBmc', () => {
  it('answers malformed requests with the spec’s completion codes', () => {
    const bmc = new EmulatedBmc({ powerOn: true });
    const code = (netFn: number, command: number, ...data: number[]): number =>
      bmc.handle({ netFn, command, data: Uint8Array.from(data) }).completionCode;
    assert.equal(code(0x00, 0x02), 0xc7, 'chassis control without an action');
    assert.equal(code(0x00, 0x02, 9), 0xcc, 'unknown chassis action');
    assert.equal(code(0x00, 0x01, 1), 0xc7, 'get chassis status with data');
    assert.equal(code(0x00, 0x08), 0xc7, 'set boot option without parameter');
    assert.equal(code(0x00, 0x08, 0x05, 0x80), 0xc7, 'short parameter 5');
    assert.equal(code(0x00, 0x08, 0x00, 0x03), 0xcc, 'reserved set-in-progress state');
    assert.equal(code(0x00, 0x08, 0x02, 0x00), 0x80, 'unsupported parameter');
    assert.equal(code(0x00, 0x09, 0x05), 0xc7, 'get boot option without set/block');
    assert.equal(code(SDR, 0x23, 0, 0), 0xc7, 'short get sdr');
    assert.equal(code(SDR, 0x23, 0, 0, 0x99, 0, 0, 5), 0xcb, 'unknown record');
    assert.equal(code(SDR, 0x23, 0, 0, 0, 0, 5, 5), 0xc5, 'partial read without reservation');
    assert.equal(code(SDR, 0x23, 7, 0, 0, 0, 0, 5), 0xc5, 'unknown reservation');
    assert.equal(code(SDR, 0x23, 0, 0, 0, 0, 0, 0xff), 0, 'whole small record with reservation 0');
    assert.equal(code(0x04, 0x2d), 0xc7, 'sensor reading without sensor');
    assert.equal(code(0x04, 0x2d, 0x99), 0xcb, 'unknown sensor');
    assert.equal(bmc.handle({ netFn: 0x06, command: 0x01, lun: 1 }).completionCode, 0xc2);
  });

  it('walks the record chain to FFFFh and serves the last record for FFFFh', () => {
    const bmc = new EmulatedBmc();
    const reservation = bmc.handle({ netFn: SDR, command: 0x22 }).data;
    const ids: number[] = [];
    let id = 0;
    while (id !== 0xffff) {
      const got = bmc.handle({
        netFn: SDR,
        command: 0x23,
        data: Uint8Array.of(reservation[0] ?? 0, reservation[1] ?? 0, id & 0xff, id >> 8, 0, 5),
      });
      assert.equal(got.completionCode, 0);
      ids.push((got.data[2] ?? 0) | ((got.data[3] ?? 0) << 8));
      id = (got.data[0] ?? 0) | ((got.data[1] ?? 0) << 8);
    }
    assert.deepEqual(ids, [1, 2, 3, 4, 5, 6]);
    const last = bmc.handle({
      netFn: SDR,
      command: 0x23,
      data: Uint8Array.of(0, 0, 0xff, 0xff, 0, 5),
    });
    assert.deepEqual([last.data[0], last.data[1], last.data[2]], [0xff, 0xff, 6]);
  });

  it('never throws, whatever bytes arrive', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x3f }),
        fc.integer({ min: 0, max: 0xff }),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        (netFn, command, data, lun) => {
          const bmc = new EmulatedBmc({ powerOn: true });
          const response = bmc.handle({ netFn, command, data, lun });
          assert.ok(Number.isInteger(response.completionCode));
          assert.ok(response.completionCode >= 0 && response.completionCode <= 0xff);
          assert.ok(response.data instanceof Uint8Array);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps answering sensibly through random command sequences of its own commands', () => {
    const commands: [number, number][] = [
      [0x00, 0x01],
      [0x00, 0x02],
      [0x00, 0x08],
      [0x00, 0x09],
      [0x06, 0x01],
      [0x06, 0x04],
      [0x0a, 0x20],
      [0x0a, 0x22],
      [0x0a, 0x23],
      [0x04, 0x2d],
    ];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            which: fc.integer({ min: 0, max: commands.length - 1 }),
            data: fc.uint8Array({ maxLength: 8 }),
          }),
          { maxLength: 30 },
        ),
        (steps) => {
          const bmc = new EmulatedBmc();
          for (const { which, data } of steps) {
            const [netFn, command] = commands[which] ?? [0, 0];
            const response = bmc.handle({ netFn, command, data });
            if (response.completionCode !== 0) assert.equal(response.data.length, 0);
          }
          // Still a BMC: status answers.
          assert.equal(bmc.handle({ netFn: 0, command: 1 }).completionCode, 0);
        },
      ),
    );
  });
});

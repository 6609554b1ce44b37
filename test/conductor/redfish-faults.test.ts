/**
 * A Redfish BMC that misbehaves, through the conductor: each failure the
 * emulator can inject (5xx, a request never answered, malformed JSON, a
 * dropped connection) fails `manage` with a last_error that says what
 * happened and with which BMC, leaves the node in enroll and unlocked, and
 * never shows the password.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { openStore } from '../../src/db/open.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import { startRedfishEmulator } from '../../src/lab/redfish/server.ts';
import type { EmulatedSystem } from '../../src/lab/redfish/system.ts';
import { startConductor } from '../support/conductor.ts';

const PASSWORD = 'rf-fault-secret';

const MODES: readonly [string, (system: EmulatedSystem) => void, RegExp][] = [
  ['answers 500', (s) => s.faults.failNext(100, 500), /HTTP 500/],
  ['never answers', (s) => s.faults.hangNext(100), /no answer within 300 ms/],
  ['answers malformed JSON', (s) => s.faults.malformedNext(100), /JSON/],
  ['drops the connection', (s) => s.faults.dropNext(100), /connection|socket|closed/i],
];

describe('redfish nodes whose BMC misbehaves, through the conductor', () => {
  for (const [mode, inject, expected] of MODES) {
    it(`fails manage clearly when the BMC ${mode}`, async () => {
      const clock = new SimulatedClock();
      const emulator = await startRedfishEmulator({ systems: 1, password: PASSWORD });
      const store = await openStore('sqlite::memory:', { clock });
      const factory = createDriverFactory({
        clock,
        options: { redfish: { requestTimeoutMs: 300, retries: 1, powerPollIntervalMs: 100 } },
      });
      const h = await startConductor(store, {}, { clock, factory });
      try {
        const system = emulator.systems[0];
        assert.ok(system);
        inject(system);
        const node = await h.conductor.createNode({
          driver: 'redfish',
          driverInfo: {
            redfish_address: emulator.url,
            redfish_system_id: `/redfish/v1/Systems/${system.id}`,
            redfish_username: emulator.username,
            redfish_password: PASSWORD,
          },
        });
        await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
        const failed = await h.node(node.uuid);
        assert.equal(failed.provisionState, 'enroll');
        assert.equal(failed.reservation, null, 'the lock is released');
        const error = failed.lastError ?? '';
        assert.match(error, /Redfish/);
        assert.match(error, expected);
        assert.ok(error.includes(emulator.url), `names the BMC: ${error}`);
        assert.doesNotMatch(error, new RegExp(PASSWORD));
      } finally {
        await h.stop();
        await factory.close();
        await store.close();
        await emulator.close();
      }
    });
  }
});

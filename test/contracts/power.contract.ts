import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPowerState, PowerState } from '../../src/common/states.ts';
import type { RequestablePowerState } from '../../src/common/states.ts';
import type { PowerInterface } from '../../src/drivers/interfaces/power.ts';
import { baseContract } from './base.contract.ts';
import { rejectsWith, withFixture } from './helpers.ts';
import type { Harness } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

const { POWER_ON, POWER_OFF, REBOOT, SOFT_REBOOT, SOFT_POWER_OFF } = PowerState;

/** Where each request leaves a node that honoured it. */
const END_STATE: Readonly<Record<RequestablePowerState, PowerState>> = {
  [POWER_ON]: POWER_ON,
  [POWER_OFF]: POWER_OFF,
  [REBOOT]: POWER_ON,
  [SOFT_REBOOT]: POWER_ON,
  [SOFT_POWER_OFF]: POWER_OFF,
};

const REQUESTABLE = Object.keys(END_STATE) as RequestablePowerState[];

/** Timeouts that are not a positive integer number of seconds. */
const BAD_TIMEOUTS: readonly unknown[] = [0, -1, 1.5, '10', Number.NaN, Number.POSITIVE_INFINITY];

/** A state smuggled past the type checker, as a JSON API could hand it over. */
function anyState(value: string): RequestablePowerState {
  return value as RequestablePowerState;
}

/** A timeout smuggled past the type checker. */
function anyTimeout(value: unknown): number {
  return value as number;
}

async function powerTo(h: Harness<PowerInterface>, state: RequestablePowerState): Promise<void> {
  await h.run(h.impl.setPowerState(h.task, state));
}

async function powerOf(h: Harness<PowerInterface>): Promise<string> {
  return h.run(h.impl.getPowerState(h.task));
}

/**
 * The power interface: states set are states read back, reboot always ends
 * powered on, requests outside the supported states or with a malformed
 * timeout are refused without touching the machine.
 */
export function powerContract(subject: ContractSubject<PowerInterface>): void {
  describe(`power contract: ${subject.name}`, () => {
    baseContract(subject, 'power');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'reports a known power state, and reading it changes nothing',
      withFixture(subject, async (h) => {
        const first = await powerOf(h);
        assert.ok(isPowerState(first), `"${first}" is not a power state`);
        assert.equal(await powerOf(h), first);
      }),
    );

    it(
      'supports at least power on, power off and reboot, each once, never "error"',
      withFixture(subject, async ({ impl, task, run }) => {
        const states = await run(impl.getSupportedPowerStates(task));
        for (const required of [POWER_ON, POWER_OFF, REBOOT]) {
          assert.ok(states.includes(required), `${required} missing from ${states.join(', ')}`);
        }
        for (const state of states) {
          assert.ok(REQUESTABLE.includes(state), `"${state}" cannot be requested`);
        }
        assert.equal(new Set(states).size, states.length, 'supported states repeat');
      }),
    );

    it(
      'reads back power on after power on, power off after power off',
      withFixture(subject, async (h) => {
        for (const state of [POWER_ON, POWER_OFF, POWER_ON, POWER_OFF] as const) {
          await powerTo(h, state);
          assert.equal(await powerOf(h), state);
        }
      }),
    );

    it(
      'accepts a request for the state the node is already in',
      withFixture(subject, async (h) => {
        for (const state of [POWER_ON, POWER_OFF] as const) {
          await powerTo(h, state);
          await powerTo(h, state);
          assert.equal(await powerOf(h), state);
        }
      }),
    );

    it(
      'reboot ends powered on, from on and from off',
      withFixture(subject, async (h) => {
        await powerTo(h, POWER_ON);
        await h.run(h.impl.reboot(h.task));
        assert.equal(await powerOf(h), POWER_ON, 'reboot from on');
        await powerTo(h, POWER_OFF);
        await h.run(h.impl.reboot(h.task));
        assert.equal(await powerOf(h), POWER_ON, 'reboot from off');
      }),
    );

    it(
      'setPowerState(rebooting) ends powered on, from on and from off',
      withFixture(subject, async (h) => {
        for (const from of [POWER_ON, POWER_OFF] as const) {
          await powerTo(h, from);
          await powerTo(h, REBOOT);
          assert.equal(await powerOf(h), POWER_ON, `rebooting from ${from}`);
        }
      }),
    );

    it(
      'soft power off ends powered off',
      withFixture(subject, async (h, t) => {
        if (!(await h.run(h.impl.getSupportedPowerStates(h.task))).includes(SOFT_POWER_OFF)) {
          t.skip('soft power off is not supported');
          return;
        }
        await powerTo(h, POWER_ON);
        await powerTo(h, SOFT_POWER_OFF);
        assert.equal(await powerOf(h), POWER_OFF);
      }),
    );

    it(
      'soft reboot ends powered on',
      withFixture(subject, async (h, t) => {
        if (!(await h.run(h.impl.getSupportedPowerStates(h.task))).includes(SOFT_REBOOT)) {
          t.skip('soft reboot is not supported');
          return;
        }
        await powerTo(h, POWER_ON);
        await powerTo(h, SOFT_REBOOT);
        assert.equal(await powerOf(h), POWER_ON);
      }),
    );

    it(
      'accepts every supported state, and each leaves the node where it should',
      withFixture(subject, async (h) => {
        for (const state of await h.run(h.impl.getSupportedPowerStates(h.task))) {
          // Start from the opposite of where the request should end.
          await powerTo(h, END_STATE[state] === POWER_ON ? POWER_OFF : POWER_ON);
          await powerTo(h, state);
          assert.equal(await powerOf(h), END_STATE[state], `after ${state}`);
        }
      }),
    );

    it(
      'refuses a state outside the supported ones with InvalidParameterValue, changing nothing',
      withFixture(subject, async (h) => {
        const supported = await h.run(h.impl.getSupportedPowerStates(h.task));
        const refused = [
          ...REQUESTABLE.filter((s) => !supported.includes(s)),
          PowerState.ERROR,
          'hibernating',
          '',
        ];
        await powerTo(h, POWER_OFF);
        for (const state of refused) {
          await rejectsWith(
            h.run(h.impl.setPowerState(h.task, anyState(state))),
            'InvalidParameterValue',
            { what: `state "${state}"` },
          );
          assert.equal(await powerOf(h), POWER_OFF, `state "${state}" changed the power state`);
        }
      }),
    );

    it(
      'refuses a timeout of 0, -1, 1.5, "10", NaN or Infinity with InvalidParameterValue, changing nothing',
      withFixture(subject, async (h) => {
        await powerTo(h, POWER_OFF);
        for (const timeout of BAD_TIMEOUTS) {
          const what = `timeout ${typeof timeout === 'string' ? `"${timeout}"` : String(timeout)}`;
          await rejectsWith(
            h.run(h.impl.setPowerState(h.task, POWER_ON, anyTimeout(timeout))),
            'InvalidParameterValue',
            { what: `setPowerState with ${what}` },
          );
          await rejectsWith(
            h.run(h.impl.reboot(h.task, anyTimeout(timeout))),
            'InvalidParameterValue',
            { what: `reboot with ${what}` },
          );
          assert.equal(await powerOf(h), POWER_OFF, `${what} changed the power state`);
        }
      }),
    );

    it(
      'accepts a positive integer timeout',
      withFixture(subject, async (h) => {
        await h.run(h.impl.setPowerState(h.task, POWER_ON, 60));
        assert.equal(await powerOf(h), POWER_ON);
        await h.run(h.impl.setPowerState(h.task, POWER_OFF, 60));
        assert.equal(await powerOf(h), POWER_OFF);
        await h.run(h.impl.reboot(h.task, 60));
        assert.equal(await powerOf(h), POWER_ON);
      }),
    );

    it(
      'says with a boolean whether power sync may poll it, when it says at all',
      withFixture(subject, async ({ impl, task }, t) => {
        if (!impl.supportsPowerSync) {
          t.skip('supportsPowerSync is not implemented (defaults to true)');
          return;
        }
        assert.equal(typeof impl.supportsPowerSync(task), 'boolean');
      }),
    );
  });
}

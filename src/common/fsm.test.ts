import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isFerriteError } from './errors.ts';
import {
  canTransition,
  eventsFrom,
  isStable,
  MACHINE_STATES,
  PROVISION_VERBS,
  ProvisionEvent,
  STABLE_STATES,
  STUCK_STATES_TREATED_AS_FAIL,
  transition,
  TRANSITIONS,
} from './fsm.ts';
import type { MachineState, Position } from './fsm.ts';
import { ProvisionState as S } from './states.ts';

const states = Object.keys(MACHINE_STATES) as MachineState[];
const events = Object.values(ProvisionEvent);

describe('provisioning state machine', () => {
  it('has Ironic’s 30 states and 93 transitions, all between known states', () => {
    assert.equal(states.length, 30);
    let count = 0;
    for (const from of states) {
      for (const to of Object.values(TRANSITIONS[from])) {
        assert.ok(to in MACHINE_STATES, `${from} leads to unknown ${to}`);
        count += 1;
      }
    }
    assert.equal(count, 93);
  });

  it('gives every transient state a stable target and stable states none', () => {
    for (const state of states) {
      const info = MACHINE_STATES[state];
      if (info.stable) assert.equal(info.target, null, state);
      else assert.ok(info.target !== null && isStable(info.target), state);
    }
    assert.deepEqual(states.filter((s) => isStable(s)).sort(), [...STABLE_STATES].sort());
  });

  it('walks the life of a node: enroll → manageable → available → active → available', () => {
    let at: Position = { provisionState: S.ENROLL, targetProvisionState: null };
    const step = (event: ProvisionEvent, expect: S, target: S | null): void => {
      at = transition(at, event);
      assert.deepEqual(at, { provisionState: expect, targetProvisionState: target }, event);
    };
    step('manage', S.VERIFYING, S.MANAGEABLE);
    step('done', S.MANAGEABLE, null);
    step('provide', S.CLEANING, S.AVAILABLE);
    step('wait', S.CLEANWAIT, S.AVAILABLE);
    step('resume', S.CLEANING, S.AVAILABLE);
    step('done', S.AVAILABLE, null);
    step('deploy', S.DEPLOYING, S.ACTIVE);
    step('wait', S.DEPLOYWAIT, S.ACTIVE);
    step('resume', S.DEPLOYING, S.ACTIVE);
    step('done', S.ACTIVE, null);
    step('delete', S.DELETING, S.AVAILABLE);
    step('clean', S.CLEANING, S.AVAILABLE);
    step('done', S.AVAILABLE, null);
  });

  it('lets manual cleaning aim back at manageable, and a timed-out clean keep that target', () => {
    const cleaning = transition(
      { provisionState: S.MANAGEABLE, targetProvisionState: null },
      'clean',
      { target: S.MANAGEABLE },
    );
    assert.deepEqual(cleaning, { provisionState: S.CLEANING, targetProvisionState: S.MANAGEABLE });
    const waiting = transition(cleaning, 'wait', { keepTarget: true });
    assert.equal(waiting.targetProvisionState, S.MANAGEABLE);
    assert.deepEqual(transition(waiting, 'fail', { keepTarget: true }), {
      provisionState: S.CLEANFAIL,
      targetProvisionState: S.MANAGEABLE,
    });
    assert.equal(transition(waiting, 'fail').targetProvisionState, S.AVAILABLE);
  });

  it('refuses an event the state does not accept, naming action, node and state', () => {
    assert.throws(
      () =>
        transition({ provisionState: S.AVAILABLE, targetProvisionState: null }, 'clean', {
          node: 'n1',
        }),
      (error: unknown) =>
        isFerriteError(error, 'InvalidStateRequested') &&
        error.status === 400 &&
        error.message ===
          'The requested action "clean" can not be performed on node "n1" while it is in state "available". Allowed in this state: deploy, manage.',
    );
    assert.throws(
      () => transition({ provisionState: S.DEPLOYDONE, targetProvisionState: null }, 'done'),
      (error: unknown) => isFerriteError(error, 'InvalidStateRequested'),
    );
  });

  it('refuses a target that is not a stable state', () => {
    assert.throws(
      () =>
        transition({ provisionState: S.MANAGEABLE, targetProvisionState: null }, 'clean', {
          target: S.CLEANING,
        }),
      (error: unknown) => isFerriteError(error, 'InvalidState') && error.status === 409,
    );
  });

  it('fails every state a dead conductor leaves behind', () => {
    const expected: Record<string, S> = {
      [S.DEPLOYING]: S.DEPLOYFAIL,
      [S.CLEANING]: S.CLEANFAIL,
      [S.VERIFYING]: S.ENROLL,
      [S.INSPECTING]: S.INSPECTFAIL,
      [S.ADOPTING]: S.ADOPTFAIL,
      [S.RESCUING]: S.RESCUEFAIL,
      [S.UNRESCUING]: S.UNRESCUEFAIL,
      [S.DELETING]: S.ERROR,
      [S.SERVICING]: S.SERVICEFAIL,
    };
    for (const state of STUCK_STATES_TREATED_AS_FAIL) {
      const next = transition({ provisionState: state, targetProvisionState: null }, 'fail');
      assert.equal(next.provisionState, expected[state], state);
    }
  });

  it('maps every API verb to an event some state accepts', () => {
    for (const [verb, event] of Object.entries(PROVISION_VERBS)) {
      assert.ok(
        states.some((s) => canTransition(s, event)),
        `${verb} → ${event} is accepted nowhere`,
      );
    }
    assert.deepEqual(eventsFrom(S.ENROLL), ['manage']);
    assert.deepEqual(eventsFrom(S.DEPLOYDONE), []);
  });

  it('keeps the target invariant on any walk of random events', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.array(fc.constantFrom(...events), { maxLength: 40 }),
        (start, walk) => {
          let at: Position = { provisionState: start, targetProvisionState: null };
          for (const event of walk) {
            if (!canTransition(at.provisionState, event)) {
              assert.throws(() => transition(at, event));
              continue;
            }
            at = transition(at, event);
            const target = at.targetProvisionState;
            if (isStable(at.provisionState)) assert.equal(target, null);
            else assert.ok(target !== null && isStable(target));
          }
        },
      ),
    );
  });
});

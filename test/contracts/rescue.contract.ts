import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisionState } from '../../src/common/states.ts';
import type { RescueInterface } from '../../src/drivers/interfaces/rescue.ts';
import { baseContract } from './base.contract.ts';
import { conductorFields, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

const RESCUE_RESULTS: readonly unknown[] = [ProvisionState.RESCUE, ProvisionState.RESCUEWAIT];

/**
 * The rescue interface: rescue resolves to rescue or rescue wait, unrescue
 * to active, and cleanUp works after a rescue and without one.
 */
export function rescueContract(subject: ContractSubject<RescueInterface>): void {
  describe(`rescue contract: ${subject.name}`, () => {
    baseContract(subject, 'rescue');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'rescue resolves to "rescue" or "rescue wait"',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'rescuing';
        const result = await run(impl.rescue(task));
        assert.ok(RESCUE_RESULTS.includes(result), `rescue resolved to ${result}`);
      }),
    );

    it(
      'unrescue after rescue resolves to "active", leaving the state machine alone',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'rescuing';
        task.node.targetProvisionState = 'rescue';
        let before = conductorFields(task);
        await run(impl.rescue(task));
        assert.deepEqual(conductorFields(task), before, 'rescue');
        task.node.provisionState = 'unrescuing';
        task.node.targetProvisionState = 'active';
        before = conductorFields(task);
        assert.equal(await run(impl.unrescue(task)), ProvisionState.ACTIVE);
        assert.deepEqual(conductorFields(task), before, 'unrescue');
      }),
    );

    it(
      'rescues again after an unrescue',
      withFixture(subject, async ({ impl, task, run }) => {
        for (let round = 0; round < 2; round++) {
          task.node.provisionState = 'rescuing';
          assert.ok(RESCUE_RESULTS.includes(await run(impl.rescue(task))), `round ${round}`);
          task.node.provisionState = 'unrescuing';
          assert.equal(await run(impl.unrescue(task)), ProvisionState.ACTIVE);
        }
      }),
    );

    it(
      'cleans up after a rescue that failed, and when nothing was set up',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'rescue failed';
        await run(impl.cleanUp(task));
        task.node.provisionState = 'rescuing';
        await run(impl.rescue(task));
        task.node.provisionState = 'rescue failed';
        await run(impl.cleanUp(task));
      }),
    );
  });
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BootInterface, RamdiskParams } from '../../src/drivers/interfaces/boot.ts';
import { baseContract } from './base.contract.ts';
import { conductorFields, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

const RAMDISK_PARAMS: RamdiskParams = {
  'ipa-api-url': 'http://ferrite.example:6385',
  'ipa-debug': '1',
};

/**
 * The boot interface: preparing and cleaning up the ramdisk and the instance
 * resolve (to nothing), in the order the conductor calls them, repeatedly,
 * and the clean-ups also when nothing was prepared.
 */
export function bootContract(subject: ContractSubject<BootInterface>): void {
  describe(`boot contract: ${subject.name}`, () => {
    baseContract(subject, 'boot');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'validates rescue and inspection when it can check them',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if (!impl.validateRescue && !impl.validateInspection) {
          t.skip('neither validateRescue nor validateInspection is implemented');
          return;
        }
        if (impl.validateRescue) await run(impl.validateRescue(task));
        if (impl.validateInspection) await run(impl.validateInspection(task));
      }),
    );

    it(
      "boots the ramdisk and then the instance, leaving the conductor's fields alone",
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploying';
        task.node.targetProvisionState = 'active';
        const before = conductorFields(task);
        await run(impl.prepareRamdisk(task, RAMDISK_PARAMS));
        assert.deepEqual(conductorFields(task), before, 'prepareRamdisk');
        await run(impl.cleanUpRamdisk(task));
        assert.deepEqual(conductorFields(task), before, 'cleanUpRamdisk');
        await run(impl.prepareInstance(task));
        assert.deepEqual(conductorFields(task), before, 'prepareInstance');
        await run(impl.cleanUpInstance(task));
        assert.deepEqual(conductorFields(task), before, 'cleanUpInstance');
      }),
    );

    it(
      'prepares the ramdisk again when asked twice (a retried step)',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'cleaning';
        await run(impl.prepareRamdisk(task, RAMDISK_PARAMS));
        await run(impl.prepareRamdisk(task, {}));
        await run(impl.cleanUpRamdisk(task));
        await run(impl.cleanUpRamdisk(task));
      }),
    );

    it(
      'prepares the instance again when asked twice (a take-over)',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'active';
        await run(impl.prepareInstance(task));
        await run(impl.prepareInstance(task));
        await run(impl.cleanUpInstance(task));
        await run(impl.cleanUpInstance(task));
      }),
    );

    it(
      'cleans up when nothing was prepared (after a failure)',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploy failed';
        await run(impl.cleanUpRamdisk(task));
        await run(impl.cleanUpInstance(task));
      }),
    );
  });
}

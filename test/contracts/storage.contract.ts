import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageInterface } from '../../src/drivers/interfaces/storage.ts';
import { baseContract } from './base.contract.ts';
import { withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

/**
 * The storage interface: attaching and detaching volumes resolve, detaching
 * needs nothing attached, and a node with no volume to boot from writes its
 * image.
 */
export function storageContract(subject: ContractSubject<StorageInterface>): void {
  describe(`storage contract: ${subject.name}`, () => {
    baseContract(subject, 'storage');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'attaches and detaches volumes',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploying';
        await run(impl.attachVolumes(task));
        task.node.provisionState = 'deleting';
        await run(impl.detachVolumes(task));
      }),
    );

    it(
      'attaches again, and detaches when nothing is attached',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.detachVolumes(task));
        await run(impl.attachVolumes(task));
        await run(impl.attachVolumes(task));
        await run(impl.detachVolumes(task));
        await run(impl.detachVolumes(task));
      }),
    );

    it(
      'says synchronously whether to write the image: yes without a boot volume',
      withFixture(subject, async ({ impl, task }) => {
        assert.equal(
          task.volumeTargets.some((v) => v.bootIndex === 0),
          false,
          'the subject set up a boot volume; this test needs a node without one',
        );
        assert.equal(impl.shouldWriteImage(task), true);
      }),
    );
  });
}

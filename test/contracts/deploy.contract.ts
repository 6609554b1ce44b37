import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisionState } from '../../src/common/states.ts';
import type { DeployInterface, DeployResult } from '../../src/drivers/interfaces/deploy.ts';
import type { Task } from '../../src/drivers/task.ts';
import { baseContract } from './base.contract.ts';
import { conductorFields, rejectsWith, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

const DEPLOY_RESULTS: readonly unknown[] = [undefined, ProvisionState.DEPLOYWAIT];
const PREPARE_CLEANING_RESULTS: readonly unknown[] = [undefined, ProvisionState.CLEANWAIT];

/**
 * Counts calls to `impl.deploy` while `body` runs, by shadowing the method on
 * the instance (the wrapped method still runs, with `impl` as `this`).
 */
async function spyOnDeploy(
  impl: DeployInterface,
  body: (calls: () => number) => Promise<void>,
): Promise<void> {
  let count = 0;
  const own = Object.getOwnPropertyDescriptor(impl, 'deploy');
  const original = impl.deploy.bind(impl);
  impl.deploy = async (task: Task): Promise<DeployResult> => {
    count += 1;
    return original(task);
  };
  try {
    await body(() => count);
  } finally {
    if (own) Object.defineProperty(impl, 'deploy', own);
    else Reflect.deleteProperty(impl, 'deploy');
  }
}

/**
 * The deploy interface: `deploy` is the core deploy step (priority 100) and
 * runs through executeDeployStep; the life-cycle calls resolve with the
 * documented results.
 */
export function deployContract(subject: ContractSubject<DeployInterface>): void {
  describe(`deploy contract: ${subject.name}`, () => {
    baseContract(subject, 'deploy');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'declares the deploy step "deploy" once, with priority 100 and no arguments',
      withFixture(subject, async ({ impl, task, run }) => {
        const steps = (await run(impl.getDeploySteps(task))).filter((s) => s.step === 'deploy');
        assert.equal(steps.length, 1, 'exactly one step named deploy');
        assert.deepEqual(steps[0], {
          interface: 'deploy',
          step: 'deploy',
          priority: 100,
          argsinfo: null,
        });
      }),
    );

    it(
      'deploy resolves to nothing or "wait call-back"',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploying';
        await run(impl.prepare(task));
        const result = await run(impl.deploy(task));
        assert.ok(DEPLOY_RESULTS.includes(result), `deploy resolved to ${String(result)}`);
      }),
    );

    it(
      'executeDeployStep({interface: "deploy", step: "deploy"}) runs deploy once',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploying';
        await run(impl.prepare(task));
        await spyOnDeploy(impl, async (calls) => {
          const result = await run(
            impl.executeDeployStep(task, { interface: 'deploy', step: 'deploy', args: {} }),
          );
          assert.equal(calls(), 1, 'deploy was not run exactly once');
          assert.ok(DEPLOY_RESULTS.includes(result), `the step resolved to ${String(result)}`);
        });
      }),
    );

    it(
      'refuses arguments to the deploy step without running it',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploying';
        await spyOnDeploy(impl, async (calls) => {
          await rejectsWith(
            run(
              impl.executeDeployStep(task, {
                interface: 'deploy',
                step: 'deploy',
                args: { image_source: 'http://example.com/image.qcow2' },
              }),
            ),
            'InvalidParameterValue',
          );
          assert.equal(calls(), 0, 'deploy ran despite the refused arguments');
        });
      }),
    );

    it(
      'tearDown resolves to "deleted"',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deleting';
        assert.equal(await run(impl.tearDown(task)), ProvisionState.DELETED);
      }),
    );

    it(
      'goes through prepare, deploy, tear down and clean up, leaving the state machine alone',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploying';
        task.node.targetProvisionState = 'active';
        let before = conductorFields(task);
        await run(impl.prepare(task));
        assert.deepEqual(conductorFields(task), before, 'prepare');
        assert.ok(DEPLOY_RESULTS.includes(await run(impl.deploy(task))));
        assert.deepEqual(conductorFields(task), before, 'deploy');
        task.node.provisionState = 'deleting';
        task.node.targetProvisionState = 'available';
        before = conductorFields(task);
        assert.equal(await run(impl.tearDown(task)), ProvisionState.DELETED);
        assert.deepEqual(conductorFields(task), before, 'tearDown');
        await run(impl.cleanUp(task));
        assert.deepEqual(conductorFields(task), before, 'cleanUp');
      }),
    );

    it(
      'prepare and cleanUp may be repeated; cleanUp needs nothing prepared',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'deploying';
        await run(impl.cleanUp(task));
        await run(impl.prepare(task));
        await run(impl.prepare(task));
        await run(impl.cleanUp(task));
        await run(impl.cleanUp(task));
      }),
    );

    it(
      'takes over an active node',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'active';
        await run(impl.takeOver(task));
      }),
    );

    it(
      'prepareCleaning resolves to nothing or "clean wait", and tearDownCleaning follows',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.provisionState = 'cleaning';
        const result = await run(impl.prepareCleaning(task));
        assert.ok(
          PREPARE_CLEANING_RESULTS.includes(result),
          `prepareCleaning resolved to ${String(result)}`,
        );
        await run(impl.tearDownCleaning(task));
      }),
    );
  });
}

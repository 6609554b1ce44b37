import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJsonObject } from '../../src/common/json.ts';
import type { InterfaceType } from '../../src/drivers/interface-types.ts';
import type { BaseInterface } from '../../src/drivers/interfaces/base.ts';
import type { StepDescriptor } from '../../src/drivers/steps.ts';
import { assertDescriptions, assertSnakeCase, rejectsWith, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

const CLEAN_STEP_KEYS = [
  'abortable',
  'argsinfo',
  'interface',
  'priority',
  'requires_ramdisk',
  'step',
];
const DEPLOY_STEP_KEYS = ['argsinfo', 'interface', 'priority', 'step'];

function assertArgsinfo(argsinfo: unknown, what: string): void {
  if (argsinfo === null) return;
  assert.ok(isJsonObject(argsinfo), `${what}: argsinfo must be null or an object`);
  for (const [arg, info] of Object.entries(argsinfo)) {
    assertSnakeCase(arg, `${what}: argument`);
    assert.ok(isJsonObject(info), `${what}: argsinfo.${arg} must be an object`);
    for (const key of Object.keys(info)) {
      assert.ok(
        key === 'description' || key === 'required',
        `${what}: argsinfo.${arg} has an unknown key "${key}"`,
      );
    }
    assert.equal(typeof info['description'], 'string', `${what}: argsinfo.${arg}.description`);
    assert.notEqual(info['description'], '', `${what}: argsinfo.${arg}.description is empty`);
    if ('required' in info) {
      assert.equal(typeof info['required'], 'boolean', `${what}: argsinfo.${arg}.required`);
    }
  }
}

function assertStep(
  step: StepDescriptor,
  interfaceType: InterfaceType,
  keys: readonly string[],
  what: string,
): void {
  const label = `${what} ${JSON.stringify(step)}`;
  assert.deepEqual(Object.keys(step).sort(), [...keys].sort(), `${label}: keys`);
  assert.equal(step.interface, interfaceType, `${label}: interface`);
  assert.equal(typeof step.step, 'string', `${label}: step`);
  assertSnakeCase(step.step, `${label}: step name`);
  assert.ok(Number.isInteger(step.priority), `${label}: priority must be an integer`);
  assert.ok(step.priority >= 0, `${label}: priority must be >= 0`);
  assertArgsinfo(step.argsinfo, label);
}

function assertUnique(names: readonly string[], what: string): void {
  assert.equal(new Set(names).size, names.length, `${what} names repeat: ${names.join(', ')}`);
}

/**
 * What every implementation of every interface does: names its interface,
 * describes its driver_info keys, and declares well-formed clean and deploy
 * steps that run only by their own names.
 */
export function baseContract<T extends BaseInterface>(
  subject: ContractSubject<T>,
  interfaceType: InterfaceType,
): void {
  describe('base interface', () => {
    it(
      `reports interfaceType "${interfaceType}"`,
      withFixture(subject, async ({ impl }) => {
        assert.equal(impl.interfaceType, interfaceType);
      }),
    );

    it(
      'getProperties maps snake_case driver_info keys to descriptions',
      withFixture(subject, async ({ impl }) => {
        const properties = impl.getProperties();
        assertDescriptions(properties, 'getProperties()');
        for (const key of Object.keys(properties)) assertSnakeCase(key, 'driver_info key');
      }),
    );

    it(
      'declares well-formed clean steps',
      withFixture(subject, async ({ impl, task, run }) => {
        const steps = await run(impl.getCleanSteps(task));
        assert.ok(Array.isArray(steps), 'getCleanSteps must resolve to an array');
        for (const step of steps) {
          assertStep(step, interfaceType, CLEAN_STEP_KEYS, 'clean step');
          assert.equal(typeof step.abortable, 'boolean', `${step.step}: abortable`);
          assert.equal(typeof step.requires_ramdisk, 'boolean', `${step.step}: requires_ramdisk`);
        }
        assertUnique(
          steps.map((s) => s.step),
          'clean step',
        );
      }),
    );

    it(
      'declares well-formed deploy steps',
      withFixture(subject, async ({ impl, task, run }) => {
        const steps = await run(impl.getDeploySteps(task));
        assert.ok(Array.isArray(steps), 'getDeploySteps must resolve to an array');
        for (const step of steps) assertStep(step, interfaceType, DEPLOY_STEP_KEYS, 'deploy step');
        assertUnique(
          steps.map((s) => s.step),
          'deploy step',
        );
      }),
    );

    it(
      'hands out step lists that callers may change without harm',
      withFixture(subject, async ({ impl, task, run }) => {
        const clean = await run(impl.getCleanSteps(task));
        const deploy = await run(impl.getDeploySteps(task));
        const cleanCopy = structuredClone(clean);
        const deployCopy = structuredClone(deploy);
        clean.length = 0;
        deploy.length = 0;
        assert.deepEqual(await run(impl.getCleanSteps(task)), cleanCopy);
        assert.deepEqual(await run(impl.getDeploySteps(task)), deployCopy);
      }),
    );

    it(
      'rejects a clean step it does not have with InvalidParameterValue',
      withFixture(subject, async ({ impl, task, run }) => {
        await rejectsWith(
          run(impl.executeCleanStep(task, { interface: interfaceType, step: 'no_such_step' })),
          'InvalidParameterValue',
        );
      }),
    );

    it(
      'rejects a deploy step it does not have with InvalidParameterValue',
      withFixture(subject, async ({ impl, task, run }) => {
        await rejectsWith(
          run(impl.executeDeployStep(task, { interface: interfaceType, step: 'no_such_step' })),
          'InvalidParameterValue',
        );
      }),
    );

    it(
      'runs a deploy-only step only as a deploy step, a clean-only step only as a clean step',
      withFixture(subject, async ({ impl, task, run }) => {
        const clean = (await run(impl.getCleanSteps(task))).map((s) => s.step);
        const deploy = (await run(impl.getDeploySteps(task))).map((s) => s.step);
        for (const step of deploy.filter((s) => !clean.includes(s))) {
          await rejectsWith(
            run(impl.executeCleanStep(task, { interface: interfaceType, step })),
            'InvalidParameterValue',
            { what: `deploy step ${step} run as a clean step` },
          );
        }
        for (const step of clean.filter((s) => !deploy.includes(s))) {
          await rejectsWith(
            run(impl.executeDeployStep(task, { interface: interfaceType, step })),
            'InvalidParameterValue',
            { what: `clean step ${step} run as a deploy step` },
          );
        }
      }),
    );
  });
}

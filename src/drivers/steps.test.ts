import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFerriteError } from '../common/errors.ts';
import { ProvisionState } from '../common/states.ts';
import { TestTask } from '../../test/support/task.ts';
import { createDriverFactory } from './builtin.ts';
import { gatherSteps, sortSteps, validateUserCleanSteps } from './driver-steps.ts';
import { InterfaceBase } from './interfaces/base.ts';
import { cleanStep, deployStep, validateArgsinfo, validateStepArgs } from './steps.ts';
import type { CleanStepDescriptor, StepResult } from './steps.ts';
import type { Task } from './task.ts';

const invalid = (pattern: RegExp) => (error: unknown) =>
  isFerriteError(error, 'InvalidParameterValue') && pattern.test(error.message);

describe('argsinfo validation', () => {
  it('accepts a well-formed declaration, or none', () => {
    validateArgsinfo(undefined);
    validateArgsinfo(null);
    validateArgsinfo({ passes: { description: 'How many passes', required: true } });
    validateArgsinfo({ quiet: { description: 'Less output' } });
  });

  it('refuses an argsinfo that is not a mapping', () => {
    assert.throws(
      () => validateArgsinfo('passes'),
      invalid(/"argsinfo" must be a dictionary instead of "passes"/),
    );
    assert.throws(() => validateArgsinfo(['a']), invalid(/must be a dictionary/));
  });

  it('refuses an argument that is not a mapping', () => {
    assert.throws(
      () => validateArgsinfo({ passes: 3 }),
      invalid(/Argument "passes" must be a dictionary instead of "3"/),
    );
  });

  it('refuses unknown keys, a non-boolean required and a missing or non-string description', () => {
    assert.throws(
      () => validateArgsinfo({ passes: { description: 'x', default: 1 } }),
      invalid(
        /Argument "passes" has an invalid key named "default"\. It must be "description" or "required"\./,
      ),
    );
    assert.throws(
      () => validateArgsinfo({ passes: { description: 'x', required: 'yes' } }),
      invalid(/For argument "passes", "required" must be a Boolean value instead of "yes"\./),
    );
    assert.throws(
      () => validateArgsinfo({ passes: { required: true } }),
      invalid(/Argument "passes" is missing a "description"\./),
    );
    assert.throws(
      () => validateArgsinfo({ passes: { description: 7 } }),
      invalid(/"description" must be a string value instead of "7"/),
    );
  });

  it('fails when the class is defined, not when the step runs', () => {
    assert.throws(
      () => {
        class Broken extends InterfaceBase {
          readonly interfaceType = 'deploy' as const;
          @cleanStep({ priority: 1, argsinfo: { x: { required: 'no' } } as never })
          async step(_task: Task): Promise<StepResult> {
            return undefined;
          }
        }
        return Broken;
      },
      invalid(/is missing a "description"|"required" must be a Boolean/),
    );
    assert.throws(
      () => cleanStep({ priority: -1 }),
      invalid(/"priority" must be a non-negative integer/),
    );
    assert.throws(() => deployStep({ priority: 1.5 }), invalid(/"priority"/));
  });
});

class Cleaner extends InterfaceBase {
  readonly interfaceType = 'deploy' as const;
  readonly calls: unknown[] = [];

  @cleanStep({
    priority: 10,
    abortable: true,
    argsinfo: {
      pass_count: { description: 'Passes', required: true },
      zero_fill: { description: 'Write zeros', required: false },
    },
  })
  async eraseDevices(
    _task: Task,
    args: { passCount: number; zeroFill?: boolean },
  ): Promise<StepResult> {
    this.calls.push(args);
    return ProvisionState.CLEANWAIT;
  }

  @cleanStep({ priority: 0, requiresRamdisk: false })
  @deployStep({ priority: 50 })
  async tidy(_task: Task): Promise<undefined> {
    this.calls.push('tidy');
  }

  async notAStep(): Promise<void> {}
}

class QuietCleaner extends Cleaner {
  // Redefined without the decorator: no longer a step, as in Ironic.
  override async eraseDevices(): Promise<StepResult> {
    return undefined;
  }
}

describe('declared steps', () => {
  const factory = createDriverFactory();
  const task = new TestTask(factory.compose({ driver: 'fake-hardware' }));

  it('lists clean and deploy steps with Ironic’s fields and snake_case names', async () => {
    const cleaner = new Cleaner();
    const clean = await cleaner.getCleanSteps(task);
    assert.deepEqual(
      clean.sort((a, b) => a.step.localeCompare(b.step)),
      [
        {
          interface: 'deploy',
          step: 'erase_devices',
          priority: 10,
          abortable: true,
          argsinfo: {
            pass_count: { description: 'Passes', required: true },
            zero_fill: { description: 'Write zeros', required: false },
          },
          requires_ramdisk: true,
        },
        {
          interface: 'deploy',
          step: 'tidy',
          priority: 0,
          abortable: false,
          argsinfo: null,
          requires_ramdisk: false,
        },
      ],
    );
    assert.deepEqual(await cleaner.getDeploySteps(task), [
      { interface: 'deploy', step: 'tidy', priority: 50, argsinfo: null },
    ]);
  });

  it('runs a step by name with camelCase arguments and returns what it returns', async () => {
    const cleaner = new Cleaner();
    const result = await cleaner.executeCleanStep(task, {
      interface: 'deploy',
      step: 'erase_devices',
      args: { pass_count: 2, zero_fill: true },
    });
    assert.equal(result, 'clean wait');
    assert.deepEqual(cleaner.calls, [{ passCount: 2, zeroFill: true }]);
    assert.equal(
      await cleaner.executeDeployStep(task, { interface: 'deploy', step: 'tidy' }),
      undefined,
    );
    assert.deepEqual(cleaner.calls.at(-1), 'tidy');
  });

  it('refuses unknown steps, unexpected and missing arguments', async () => {
    const cleaner = new Cleaner();
    await assert.rejects(
      cleaner.executeCleanStep(task, { interface: 'deploy', step: 'not_a_step' }),
      invalid(/no clean step named "not_a_step"/),
    );
    await assert.rejects(
      cleaner.executeCleanStep(task, {
        interface: 'raid',
        step: 'erase_devices',
        args: { pass_count: 1 },
      }),
      invalid(/clean step raid\.erase_devices was sent to the deploy interface/),
    );
    await assert.rejects(
      cleaner.executeDeployStep(task, { interface: 'deploy', step: 'erase_devices' }),
      invalid(/no deploy step named "erase_devices"/),
    );
    await assert.rejects(
      cleaner.executeCleanStep(task, {
        interface: 'deploy',
        step: 'erase_devices',
        args: { pass_count: 1, turbo: true },
      }),
      invalid(/unexpected arguments: turbo/),
    );
    await assert.rejects(
      cleaner.executeCleanStep(task, { interface: 'deploy', step: 'erase_devices', args: {} }),
      invalid(/missing required arguments: pass_count/),
    );
    assert.equal(cleaner.calls.length, 0);
  });

  it('forgets a step that a subclass redefines without declaring it', async () => {
    const steps = await new QuietCleaner().getCleanSteps(task);
    assert.deepEqual(
      steps.map((s) => s.step),
      ['tidy'],
    );
  });

  it('validateStepArgs treats a step without argsinfo as taking no arguments', () => {
    const step = {
      interface: 'raid',
      step: 'delete_configuration',
      priority: 0,
      argsinfo: null,
    } as const;
    validateStepArgs(step, undefined);
    validateStepArgs(step, {});
    assert.throws(
      () => validateStepArgs(step, { force: true }),
      invalid(/unexpected arguments: force/),
    );
  });
});

describe('steps across a driver', () => {
  const step = (
    iface: CleanStepDescriptor['interface'],
    name: string,
    priority: number,
  ): CleanStepDescriptor => ({
    interface: iface,
    step: name,
    priority,
    abortable: false,
    argsinfo: null,
    requires_ramdisk: true,
  });

  it('orders by priority, then interface (vendor, power, management, deploy, raid), then name', () => {
    const sorted = sortSteps(
      [
        step('raid', 'create_configuration', 10),
        step('deploy', 'erase_devices', 10),
        step('deploy', 'erase_devices_metadata', 99),
        step('management', 'reset_bmc', 10),
        step('vendor', 'b_step', 10),
        step('vendor', 'a_step', 10),
        step('power', 'cycle', 10),
        step('raid', 'delete_configuration', 0),
      ],
      'clean',
    );
    assert.deepEqual(
      sorted.map((s) => `${s.interface}.${s.step}`),
      [
        'deploy.erase_devices_metadata',
        'vendor.a_step',
        'vendor.b_step',
        'power.cycle',
        'management.reset_bmc',
        'deploy.erase_devices',
        'raid.create_configuration',
        'raid.delete_configuration',
      ],
    );
  });

  it('gathers a fake-hardware node’s steps, the enabled ones, and honours priority overrides', async () => {
    const factory = createDriverFactory();
    const driver = factory.compose({ driver: 'fake-hardware' });
    const task = new TestTask(driver);
    const all = await gatherSteps(driver, task, 'clean');
    assert.deepEqual(all.map((s) => `${s.interface}.${s.step}`).sort(), [
      'raid.create_configuration',
      'raid.delete_configuration',
    ]);
    assert.deepEqual(await gatherSteps(driver, task, 'clean', { enabledOnly: true }), []);
    const overridden = await gatherSteps(driver, task, 'clean', {
      enabledOnly: true,
      priorityOverrides: { 'raid.delete_configuration': 20 },
    });
    assert.deepEqual(
      overridden.map((s) => [s.step, s.priority]),
      [['delete_configuration', 20]],
    );
    const deploy = await gatherSteps(driver, task, 'deploy', { enabledOnly: true });
    assert.deepEqual(
      deploy.map((s) => `${s.interface}.${s.step}:${s.priority}`),
      ['deploy.deploy:100'],
    );
  });

  it('validates manual clean steps against the driver, reporting every problem at once', () => {
    const declared: CleanStepDescriptor[] = [
      {
        ...step('raid', 'create_configuration', 0),
        argsinfo: { create_root_volume: { description: 'x' } },
      },
      { ...step('deploy', 'erase_devices', 10), abortable: true },
    ];
    const ok = validateUserCleanSteps(declared, [
      { interface: 'deploy', step: 'erase_devices' },
      { interface: 'raid', step: 'create_configuration', args: { create_root_volume: false } },
    ]);
    assert.deepEqual(
      ok.map((s) => [s.step, s.priority, s.abortable]),
      [
        ['erase_devices', 10, true],
        ['create_configuration', 0, false],
      ],
    );
    assert.throws(
      () =>
        validateUserCleanSteps(declared, [
          { interface: 'deploy', step: 'shred' },
          { interface: 'raid', step: 'create_configuration', args: { level: 5 } },
        ]),
      invalid(
        /node does not support this clean step: .*shred.*; raid\.create_configuration got unexpected arguments: level/,
      ),
    );
  });
});

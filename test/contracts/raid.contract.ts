import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { isJsonObject } from '../../src/common/json.ts';
import type { JsonObject, JsonValue } from '../../src/common/json.ts';
import { ProvisionState } from '../../src/common/states.ts';
import type { RaidInterface } from '../../src/drivers/interfaces/raid.ts';
import type { StepResult } from '../../src/drivers/steps.ts';
import { baseContract } from './base.contract.ts';
import { assertDescriptions, rejectsWith, snapshotNode, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

export const ROOT_VOLUME = { raid_level: '1', size_gb: 100, is_root_volume: true };
export const DATA_VOLUME = { raid_level: '5', size_gb: 'MAX' };

/** A root volume and a data volume: what most tests build. */
export function targetConfig(): JsonObject {
  return { logical_disks: [{ ...ROOT_VOLUME }, { ...DATA_VOLUME }] };
}

/** Configurations the schema or the one-root rule refuses, by what is wrong. */
export const INVALID_CONFIGS: Readonly<Record<string, JsonObject>> = {
  'size_gb missing': { logical_disks: [{ raid_level: '1' }] },
  'raid_level missing': { logical_disks: [{ size_gb: 10 }] },
  "raid_level '7'": { logical_disks: [{ raid_level: '7', size_gb: 10 }] },
  'raid_level as a number': { logical_disks: [{ raid_level: 1, size_gb: 10 }] },
  'size_gb negative': { logical_disks: [{ raid_level: '1', size_gb: -1 }] },
  "size_gb 'ALL'": { logical_disks: [{ raid_level: '1', size_gb: 'ALL' }] },
  'an unknown logical disk key': {
    logical_disks: [{ raid_level: '1', size_gb: 10, colour: 'red' }],
  },
  'an unknown top-level key': { logical_disks: [{ raid_level: '1', size_gb: 10 }], spare: true },
  'two root volumes': {
    logical_disks: [
      { raid_level: '1', size_gb: 10, is_root_volume: true },
      { raid_level: '0', size_gb: 20, is_root_volume: true },
    ],
  },
  'physical_disks without controller': {
    logical_disks: [{ raid_level: '1', size_gb: 10, physical_disks: ['disk0', 'disk1'] }],
  },
  'no logical_disks': {},
  'an empty logical_disks': { logical_disks: [] },
};

const LAST_UPDATED = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?$/;
const CLEAN_STEP_RESULTS: readonly unknown[] = [undefined, ProvisionState.CLEANWAIT];
const DEPLOY_STEP_RESULTS: readonly unknown[] = [undefined, ProvisionState.DEPLOYWAIT];

function logicalDisks(config: JsonObject): JsonObject[] {
  const disks = config['logical_disks'];
  assert.ok(Array.isArray(disks), `no logical_disks in ${JSON.stringify(config)}`);
  return disks.map((d: JsonValue) => {
    assert.ok(isJsonObject(d), 'a logical disk must be an object');
    return d;
  });
}

/**
 * Whether a RAID operation finished synchronously; skips the rest of the
 * test when it goes on in the background (real controllers often do).
 */
function finished(result: StepResult, t: TestContext): boolean {
  assert.ok(CLEAN_STEP_RESULTS.includes(result), `resolved to ${String(result)}`);
  if (result === ProvisionState.CLEANWAIT) {
    t.skip('the operation continues asynchronously; its result is checked elsewhere');
    return false;
  }
  return true;
}

/**
 * The RAID interface of implementations that build configurations:
 * validation of the target configuration, create (whole, without root,
 * without non-root) and delete as manual clean steps with snake_case
 * arguments, and what they record on the node.
 */
export function raidContract(subject: ContractSubject<RaidInterface>): void {
  describe(`raid contract: ${subject.name}`, () => {
    baseContract(subject, 'raid');

    it(
      'validates a node without a target configuration, or with a valid one',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
        task.node.targetRaidConfig = targetConfig();
        await run(impl.validate(task));
      }),
    );

    it(
      'accepts a valid configuration',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validateRaidConfig(task, targetConfig()));
        await run(
          impl.validateRaidConfig(task, {
            logical_disks: [
              {
                raid_level: '1+0',
                size_gb: 200,
                volume_name: 'root',
                is_root_volume: true,
                share_physical_disks: false,
                disk_type: 'ssd',
                interface_type: 'sas',
                number_of_physical_disks: 4,
                controller: 'RAID.Integrated.1-1',
                physical_disks: ['disk0', 'disk1', 'disk2', 'disk3'],
              },
              { raid_level: 'JBOD', size_gb: 'MAX' },
            ],
          }),
        );
      }),
    );

    for (const [problem, config] of Object.entries(INVALID_CONFIGS)) {
      // An empty target_raid_config means "no RAID wanted", which validate accepts.
      const asTarget = Object.keys(config).length > 0;
      it(
        `refuses a configuration with ${problem} (InvalidParameterValue)${asTarget ? ', in validate too' : ''}`,
        withFixture(subject, async ({ impl, task, run }) => {
          await rejectsWith(run(impl.validateRaidConfig(task, config)), 'InvalidParameterValue');
          if (!asTarget) return;
          task.node.targetRaidConfig = structuredClone(config);
          await rejectsWith(run(impl.validate(task)), 'InvalidParameterValue', {
            what: 'validate with it as the target',
          });
        }),
      );
    }

    it(
      'lists raid_level and size_gb among the logical disk properties',
      withFixture(subject, async ({ impl }) => {
        const properties = impl.getLogicalDiskProperties();
        assertDescriptions(properties, 'getLogicalDiskProperties()');
        for (const key of ['raid_level', 'size_gb']) {
          assert.ok(key in properties, `${key} is not listed`);
          assert.match(properties[key] ?? '', /Required/, `${key} must say it is required`);
        }
      }),
    );

    it(
      'builds the target configuration and records it with last_updated and local_gb',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.targetRaidConfig = targetConfig();
        task.node.provisionState = 'cleaning';
        if (!finished(await run(impl.createConfiguration(task)), t)) return;
        const disks = logicalDisks(task.node.raidConfig);
        assert.deepEqual(disks.map((d) => d['raid_level']).sort(), ['1', '5']);
        assert.equal(disks.filter((d) => d['is_root_volume'] === true).length, 1);
        const lastUpdated = task.node.raidConfig['last_updated'];
        assert.ok(typeof lastUpdated === 'string', 'raid_config.last_updated is not a string');
        assert.match(lastUpdated, LAST_UPDATED);
        assert.equal(task.node.properties['local_gb'], ROOT_VOLUME.size_gb);
      }),
    );

    it(
      'leaves local_gb alone when the root volume is sized MAX',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.properties = { ...task.node.properties, local_gb: 42 };
        task.node.targetRaidConfig = {
          logical_disks: [{ raid_level: '1', size_gb: 'MAX', is_root_volume: true }],
        };
        if (!finished(await run(impl.createConfiguration(task)), t)) return;
        assert.equal(logicalDisks(task.node.raidConfig).length, 1);
        assert.equal(task.node.properties['local_gb'], 42);
      }),
    );

    it(
      'skips the root volume when createRootVolume is false',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.properties = { ...task.node.properties, local_gb: 42 };
        task.node.targetRaidConfig = targetConfig();
        const result = await run(impl.createConfiguration(task, { createRootVolume: false }));
        if (!finished(result, t)) return;
        const disks = logicalDisks(task.node.raidConfig);
        assert.deepEqual(
          disks.map((d) => d['raid_level']),
          ['5'],
        );
        assert.ok(
          disks.every((d) => d['is_root_volume'] !== true),
          'a root volume was built',
        );
        assert.equal(task.node.properties['local_gb'], 42, 'local_gb changed without a root');
      }),
    );

    it(
      'builds only the root volume when createNonrootVolumes is false',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.targetRaidConfig = targetConfig();
        const result = await run(impl.createConfiguration(task, { createNonrootVolumes: false }));
        if (!finished(result, t)) return;
        const disks = logicalDisks(task.node.raidConfig);
        assert.equal(disks.length, 1);
        assert.equal(disks[0]?.['is_root_volume'], true);
        assert.equal(task.node.properties['local_gb'], ROOT_VOLUME.size_gb);
      }),
    );

    it(
      'refuses to build nothing (MissingParameterValue), changing nothing',
      withFixture(subject, async ({ impl, task, run }) => {
        const before = snapshotNode(task);
        await rejectsWith(run(impl.createConfiguration(task)), 'MissingParameterValue', {
          what: 'no target configuration',
        });
        assert.deepEqual(task.node, before);
        task.node.targetRaidConfig = targetConfig();
        const withTarget = snapshotNode(task);
        await rejectsWith(
          run(
            impl.createConfiguration(task, {
              createRootVolume: false,
              createNonrootVolumes: false,
            }),
          ),
          'MissingParameterValue',
          { what: 'skipping both root and non-root volumes' },
        );
        assert.deepEqual(task.node, withTarget);
      }),
    );

    it(
      'refuses an invalid target configuration, changing nothing',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.targetRaidConfig = structuredClone(INVALID_CONFIGS['two root volumes']!);
        const before = snapshotNode(task);
        await rejectsWith(run(impl.createConfiguration(task)), 'InvalidParameterValue');
        assert.deepEqual(task.node, before);
      }),
    );

    it(
      'deletes the configuration, clearing raid_config',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.targetRaidConfig = targetConfig();
        if (!finished(await run(impl.createConfiguration(task)), t)) return;
        assert.notDeepEqual(task.node.raidConfig, {});
        if (!finished(await run(impl.deleteConfiguration(task)), t)) return;
        assert.deepEqual(task.node.raidConfig, {});
      }),
    );

    it(
      'declares create_configuration and delete_configuration as manual clean steps',
      withFixture(subject, async ({ impl, task, run }) => {
        const steps = await run(impl.getCleanSteps(task));
        const create = steps.find((s) => s.step === 'create_configuration');
        const remove = steps.find((s) => s.step === 'delete_configuration');
        assert.ok(create, 'no create_configuration clean step');
        assert.ok(remove, 'no delete_configuration clean step');
        assert.equal(create.priority, 0);
        assert.equal(remove.priority, 0);
        assert.deepEqual(Object.keys(create.argsinfo ?? {}).sort(), [
          'create_nonroot_volumes',
          'create_root_volume',
          'delete_existing',
        ]);
        for (const [arg, info] of Object.entries(create.argsinfo ?? {})) {
          assert.notEqual(info.required, true, `${arg} must be optional`);
        }
      }),
    );

    it(
      'runs create_configuration as a clean step with snake_case arguments',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.targetRaidConfig = targetConfig();
        const result = await run(
          impl.executeCleanStep(task, {
            interface: 'raid',
            step: 'create_configuration',
            args: { create_root_volume: false },
          }),
        );
        if (!finished(result, t)) return;
        const disks = logicalDisks(task.node.raidConfig);
        assert.deepEqual(
          disks.map((d) => d['raid_level']),
          ['5'],
        );

        const whole = await run(
          impl.executeCleanStep(task, { interface: 'raid', step: 'create_configuration' }),
        );
        if (!finished(whole, t)) return;
        assert.equal(logicalDisks(task.node.raidConfig).length, 2);
      }),
    );

    it(
      'refuses unexpected or mistyped clean step arguments, changing nothing',
      withFixture(subject, async ({ impl, task, run }) => {
        task.node.targetRaidConfig = targetConfig();
        const before = snapshotNode(task);
        for (const args of [
          { raid_level: '1' },
          { createRootVolume: false },
          { create_root_volume: 'no' },
        ] as JsonObject[]) {
          await rejectsWith(
            run(
              impl.executeCleanStep(task, {
                interface: 'raid',
                step: 'create_configuration',
                args,
              }),
            ),
            'InvalidParameterValue',
            { what: JSON.stringify(args) },
          );
        }
        await rejectsWith(
          run(
            impl.executeCleanStep(task, {
              interface: 'raid',
              step: 'delete_configuration',
              args: { force: true },
            }),
          ),
          'InvalidParameterValue',
          { what: 'delete_configuration with an argument' },
        );
        assert.deepEqual(task.node, before);
      }),
    );

    it(
      'runs delete_configuration as a clean step',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.targetRaidConfig = targetConfig();
        if (!finished(await run(impl.createConfiguration(task)), t)) return;
        const result = await run(
          impl.executeCleanStep(task, { interface: 'raid', step: 'delete_configuration' }),
        );
        if (!finished(result, t)) return;
        assert.deepEqual(task.node.raidConfig, {});
      }),
    );

    it(
      'applies a configuration given as a deploy step argument, when it can',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if (!impl.applyConfiguration) {
          t.skip('applyConfiguration is not implemented');
          return;
        }
        const steps = await run(impl.getDeploySteps(task));
        const apply = steps.find((s) => s.step === 'apply_configuration');
        assert.ok(apply, 'applyConfiguration is not declared as a deploy step');
        assert.equal(apply.argsinfo?.['raid_config']?.required, true);

        await rejectsWith(
          run(impl.executeDeployStep(task, { interface: 'raid', step: 'apply_configuration' })),
          'InvalidParameterValue',
          { what: 'without raid_config' },
        );
        await rejectsWith(
          run(
            impl.executeDeployStep(task, {
              interface: 'raid',
              step: 'apply_configuration',
              args: { raid_config: structuredClone(INVALID_CONFIGS["raid_level '7'"]!) },
            }),
          ),
          'InvalidParameterValue',
          { what: 'with an invalid raid_config' },
        );
        assert.deepEqual(task.node.raidConfig, {}, 'a refused apply changed raid_config');

        task.node.provisionState = 'deploying';
        const result = await run(
          impl.executeDeployStep(task, {
            interface: 'raid',
            step: 'apply_configuration',
            args: { raid_config: targetConfig() },
          }),
        );
        assert.ok(DEPLOY_STEP_RESULTS.includes(result), `resolved to ${String(result)}`);
        if (result === ProvisionState.DEPLOYWAIT) {
          t.skip('apply continues asynchronously');
          return;
        }
        assert.equal(logicalDisks(task.node.raidConfig).length, 2);
        assert.equal(task.node.properties['local_gb'], ROOT_VOLUME.size_gb);
      }),
    );
  });
}

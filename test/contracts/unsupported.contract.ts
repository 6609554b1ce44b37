import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InterfaceMap } from '../../src/drivers/driver.ts';
import { findRoute, passthruMetadata } from '../../src/drivers/passthru.ts';
import type { Task } from '../../src/drivers/task.ts';
import { baseContract } from './base.contract.ts';
import { rejectsWith, snapshotNode, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';
import { targetConfig } from './raid.contract.ts';

/** The interfaces that have a "not supported" implementation. */
export type UnsupportedInterfaceType = 'console' | 'inspect' | 'raid' | 'rescue' | 'vendor';

type Action<K extends UnsupportedInterfaceType> = (
  impl: InterfaceMap[K],
  task: Task,
) => Promise<unknown>;

/** Every call of each interface that needs the feature, with plausible arguments. */
const ACTIONS: { readonly [K in UnsupportedInterfaceType]: Readonly<Record<string, Action<K>>> } = {
  console: {
    validate: (impl, task) => impl.validate(task),
    startConsole: (impl, task) => impl.startConsole(task),
    stopConsole: (impl, task) => impl.stopConsole(task),
    getConsole: (impl, task) => impl.getConsole(task),
  },
  inspect: {
    validate: (impl, task) => impl.validate(task),
    inspectHardware: (impl, task) => impl.inspectHardware(task),
  },
  raid: {
    validate: (impl, task) => impl.validate(task),
    validateRaidConfig: (impl, task) => impl.validateRaidConfig(task, targetConfig()),
    createConfiguration: (impl, task) => impl.createConfiguration(task),
    deleteConfiguration: (impl, task) => impl.deleteConfiguration(task),
  },
  rescue: {
    validate: (impl, task) => impl.validate(task),
    rescue: (impl, task) => impl.rescue(task),
    unrescue: (impl, task) => impl.unrescue(task),
  },
  vendor: {
    validate: (impl, task) => impl.validate(task),
    'validate(method)': (impl, task) => impl.validate(task, 'first_method', { bar: 'baz' }),
  },
};

/** Sets the node up as the conductor would before each call. */
function arrange(type: UnsupportedInterfaceType, action: string, task: Task): void {
  if (type === 'raid') task.node.targetRaidConfig = targetConfig();
  if (action === 'rescue') task.node.provisionState = 'rescuing';
  if (action === 'unrescue') task.node.provisionState = 'unrescuing';
  if (action === 'inspectHardware') task.node.provisionState = 'inspecting';
}

/**
 * The "not supported" implementations (no-console, no-inspect, no-raid,
 * no-rescue, no-vendor): validate and every action reject with
 * UnsupportedDriverExtension naming the node's driver and the interface,
 * and leave the node as it was.
 */
export function unsupportedContract<K extends UnsupportedInterfaceType>(
  subject: ContractSubject<InterfaceMap[K]>,
  interfaceType: K,
): void {
  describe(`unsupported ${interfaceType} contract: ${subject.name}`, () => {
    baseContract(subject, interfaceType);

    const actions: Readonly<Record<string, Action<K>>> = ACTIONS[interfaceType];
    for (const [action, call] of Object.entries(actions)) {
      it(
        `${action} rejects with UnsupportedDriverExtension naming the node's driver`,
        withFixture(subject, async ({ impl, task, run }) => {
          arrange(interfaceType, action, task);
          const before = snapshotNode(task);
          const error = await rejectsWith(run(call(impl, task)), 'UnsupportedDriverExtension', {
            exact: true,
          });
          assert.equal(error.params['driver'], task.node.driver);
          assert.equal(error.params['extension'], interfaceType);
          assert.ok(error.message.includes(task.node.driver), error.message);
          assert.deepEqual(task.node, before, `${action} changed the node`);
        }),
      );
    }

    if (interfaceType === 'vendor') {
      it(
        'offers no passthru methods: every call is UnsupportedDriverExtension',
        withFixture(subject, async ({ impl, task }) => {
          assert.deepEqual(passthruMetadata(impl, 'node'), {});
          assert.deepEqual(passthruMetadata(impl, 'driver'), {});
          for (const scope of ['node', 'driver'] as const) {
            await rejectsWith(
              (async () => findRoute(impl, scope, 'first_method', 'POST', task.node.driver))(),
              'UnsupportedDriverExtension',
              { what: `${scope} passthru` },
            );
          }
        }),
      );

      it(
        'refuses driver passthru validation with UnsupportedDriverExtension',
        withFixture(subject, async ({ impl, run }) => {
          const vendor = impl as InterfaceMap['vendor'];
          const error = await rejectsWith(
            run(vendor.driverValidate('echo', {})),
            'UnsupportedDriverExtension',
            { exact: true },
          );
          assert.equal(error.params['extension'], 'vendor');
        }),
      );
    }
  });
}

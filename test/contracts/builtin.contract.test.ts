import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BootDevice } from '../../src/common/boot-devices.ts';
import { parseCapabilities } from '../../src/common/capabilities.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { isFerriteError } from '../../src/common/errors.ts';
import type { VolumeTarget } from '../../src/common/records.ts';
import { PowerState, ProvisionState } from '../../src/common/states.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import type { InterfaceMap } from '../../src/drivers/driver.ts';
import type { DriverSelection } from '../../src/drivers/factory.ts';
import { interfaceField } from '../../src/drivers/interface-types.ts';
import type { InterfaceType } from '../../src/drivers/interface-types.ts';
import { findRoute, passthruMetadata } from '../../src/drivers/passthru.ts';
import type { JsonObject, JsonValue } from '../../src/common/json.ts';
import { makePort, makePortgroup } from '../support/node.ts';
import type { TestTaskOptions } from '../support/task.ts';
import { TestTask } from '../support/task.ts';
import { bootContract } from './boot.contract.ts';
import { consoleContract } from './console.contract.ts';
import { deployContract } from './deploy.contract.ts';
import { drive, rejectsWith, track } from './helpers.ts';
import { inspectContract } from './inspect.contract.ts';
import { managementContract } from './management.contract.ts';
import { networkContract } from './network.contract.ts';
import { powerContract } from './power.contract.ts';
import { raidContract, targetConfig } from './raid.contract.ts';
import { rescueContract } from './rescue.contract.ts';
import { storageContract } from './storage.contract.ts';
import type { ContractSubject } from './subject.ts';
import { unsupportedContract } from './unsupported.contract.ts';
import { vendorContract } from './vendor.contract.ts';

interface BuiltinOptions {
  /** Defaults to fake-hardware. */
  readonly hardwareType?: string;
  /** Delays for the fake implementations, e.g. `{ power: 30 }`. */
  readonly fake?: Readonly<Record<string, unknown>>;
  readonly task?: Omit<TestTaskOptions, 'clock'>;
}

interface BuiltinFixture<K extends InterfaceType> {
  readonly impl: InterfaceMap[K];
  readonly task: TestTask;
  readonly clock: SimulatedClock;
}

/**
 * A built-in implementation on a fresh node: a factory of its own (so fake
 * delays do not leak between tests), the node's driver composed with the
 * implementation in its slot, and a simulated clock.
 */
function setUpBuiltin<K extends InterfaceType>(
  type: K,
  name: string,
  options: BuiltinOptions = {},
): BuiltinFixture<K> {
  const clock = new SimulatedClock();
  const factory = createDriverFactory({
    clock,
    options: options.fake ? { fake: options.fake } : {},
  });
  const chosen: Partial<Record<ReturnType<typeof interfaceField>, string>> = {};
  chosen[interfaceField(type)] = name;
  const selection: DriverSelection = {
    driver: options.hardwareType ?? 'fake-hardware',
    ...chosen,
  };
  const driver = factory.compose(selection);
  const impl = factory.instance(type, name);
  assert.equal((driver as Partial<InterfaceMap>)[type], impl, 'the driver does not use impl');
  const task = new TestTask(driver, {
    ...options.task,
    clock,
    node: { ...chosen, ...options.task?.node },
  });
  return { impl, task, clock };
}

function builtin<K extends InterfaceType>(
  type: K,
  name: string,
  options: BuiltinOptions = {},
): ContractSubject<InterfaceMap[K]> {
  return {
    name: `${type}/${name} on ${options.hardwareType ?? 'fake-hardware'}`,
    setUp: async () => setUpBuiltin(type, name, options),
  };
}

// ---------------------------------------------------------------------------
// The shared contracts, against every built-in implementation they apply to.
// ---------------------------------------------------------------------------

powerContract(builtin('power', 'fake'));
powerContract(builtin('power', 'fake', { hardwareType: 'manual-management' }));
// With a delay: every operation waits on the simulated clock, which the suite drives.
powerContract(builtin('power', 'fake', { fake: { power: 3 } }));

managementContract(builtin('management', 'fake'));
managementContract(builtin('management', 'fake', { fake: { management: [1, 5] } }));
managementContract(builtin('management', 'noop', { hardwareType: 'manual-management' }), {
  bootDeviceReadBack: false,
  sensors: false,
});

bootContract(builtin('boot', 'fake'));
bootContract(builtin('boot', 'fake', { fake: { boot: 2 } }));

deployContract(builtin('deploy', 'fake'));
deployContract(builtin('deploy', 'fake', { fake: { deploy: 60 } }));

consoleContract(builtin('console', 'fake'));
inspectContract(builtin('inspect', 'fake'));
inspectContract(
  builtin('inspect', 'fake', {
    task: {
      node: { driverInfo: { fake_hardware: { cpus: 64, cpu_arch: 'aarch64', local_gb: 0 } } },
    },
  }),
);

networkContract(builtin('network', 'flat'), { vifs: 'tracked' });
networkContract(builtin('network', 'flat', { hardwareType: 'manual-management' }), {
  vifs: 'tracked',
});
networkContract(builtin('network', 'noop'), { vifs: 'ignored' });

raidContract(builtin('raid', 'fake'));
raidContract(builtin('raid', 'fake', { fake: { raid: 20 } }));

rescueContract(builtin('rescue', 'fake'));
storageContract(builtin('storage', 'fake'));
storageContract(builtin('storage', 'noop'));
vendorContract(builtin('vendor', 'fake'));

unsupportedContract(builtin('console', 'no-console'), 'console');
unsupportedContract(builtin('inspect', 'no-inspect'), 'inspect');
unsupportedContract(builtin('raid', 'no-raid'), 'raid');
unsupportedContract(builtin('rescue', 'no-rescue'), 'rescue');
unsupportedContract(builtin('vendor', 'no-vendor'), 'vendor');
// The same on another hardware type, which inherits them: the errors name that driver.
const MANUAL = { hardwareType: 'manual-management' } as const;
unsupportedContract(builtin('console', 'no-console', MANUAL), 'console');
unsupportedContract(builtin('inspect', 'no-inspect', MANUAL), 'inspect');
unsupportedContract(builtin('raid', 'no-raid', MANUAL), 'raid');
unsupportedContract(builtin('rescue', 'no-rescue', MANUAL), 'rescue');
unsupportedContract(builtin('vendor', 'no-vendor', MANUAL), 'vendor');

// ---------------------------------------------------------------------------
// What only the fakes promise: delays on the simulated clock, where they keep
// their state, and the fake vendor's methods.
// ---------------------------------------------------------------------------

describe('fake power specifics', () => {
  it('fails with PowerStateFailure after the timeout when the delay is longer', async () => {
    const { impl, task, clock } = setUpBuiltin('power', 'fake', { fake: { power: 30 } });
    const start = clock.now();
    const operation = impl.setPowerState(task, PowerState.POWER_ON, 10);
    const watch = track(operation);
    await clock.advance(9_999);
    assert.equal(watch.settled(), false, 'gave up before the timeout');
    await clock.advance(1);
    await rejectsWith(operation, 'PowerStateFailure', { exact: true });
    assert.equal(clock.now() - start, 10_000);
    assert.equal(await impl.getPowerState(task), PowerState.POWER_OFF, 'the state changed');
  });

  it('reboot fails the same way, leaving the state alone', async () => {
    const { impl, task, clock } = setUpBuiltin('power', 'fake', { fake: { power: 30 } });
    task.node.powerState = PowerState.POWER_OFF;
    await rejectsWith(drive(clock, impl.reboot(task, 29)), 'PowerStateFailure');
    assert.equal(await impl.getPowerState(task), PowerState.POWER_OFF);
  });

  it('succeeds only once the (shorter) delay has passed', async () => {
    const { impl, task, clock } = setUpBuiltin('power', 'fake', { fake: { power: 5 } });
    const operation = impl.setPowerState(task, PowerState.POWER_ON, 10);
    const watch = track(operation);
    await clock.advance(4_999);
    assert.equal(watch.settled(), false, 'finished before the delay');
    assert.equal(await impl.getPowerState(task), PowerState.POWER_OFF, 'on before the delay');
    await clock.advance(1);
    await operation;
    assert.equal(await impl.getPowerState(task), PowerState.POWER_ON);
  });

  it('waits the whole delay when no timeout is given', async () => {
    const { impl, task, clock } = setUpBuiltin('power', 'fake', { fake: { power: 300 } });
    const start = clock.now();
    await drive(clock, impl.setPowerState(task, PowerState.POWER_ON));
    assert.equal(clock.now() - start, 300_000);
    assert.equal(await impl.getPowerState(task), PowerState.POWER_ON);
  });

  it('stops waiting when the task is aborted, leaving the state alone', async () => {
    const { impl, task, clock } = setUpBuiltin('power', 'fake', { fake: { power: 30 } });
    const operation = impl.setPowerState(task, PowerState.POWER_ON);
    const watch = track(operation);
    await clock.advance(1_000);
    task.controller.abort(new Error('conductor stopping'));
    await assert.rejects(operation, /conductor stopping/);
    assert.ok(watch.settled());
    assert.equal(clock.pending, 0, 'the sleep was left behind');
    assert.equal(await impl.getPowerState(task), PowerState.POWER_OFF);
  });

  it("starts from the node's recorded power state", async () => {
    const { impl, task } = setUpBuiltin('power', 'fake', {
      task: { node: { powerState: PowerState.POWER_ON } },
    });
    assert.equal(await impl.getPowerState(task), PowerState.POWER_ON);
  });
});

describe('fake management specifics', () => {
  it('boots from PXE, one time, until told otherwise', async () => {
    const { impl, task } = setUpBuiltin('management', 'fake');
    assert.deepEqual(await impl.getBootDevice(task), {
      bootDevice: BootDevice.PXE,
      persistent: false,
    });
  });

  it('counts injected NMIs', async () => {
    const { impl, task } = setUpBuiltin('management', 'fake');
    await impl.injectNmi?.(task);
    await impl.injectNmi?.(task);
    assert.equal(task.node.driverInternalInfo['fake_nmi_count'], 2);
  });

  it('reports steady readings within a minute, moving ones across minutes, per node', async () => {
    const { impl, task, clock } = setUpBuiltin('management', 'fake');
    const first = await impl.getSensorsData(task);
    await clock.advance(1_000);
    assert.deepEqual(await impl.getSensorsData(task), first, 'readings moved within a minute');
    const samples = [JSON.stringify(first)];
    for (let minute = 0; minute < 5; minute++) {
      await clock.advance(60_000);
      samples.push(JSON.stringify(await impl.getSensorsData(task)));
    }
    assert.ok(new Set(samples).size > 1, 'readings never move');
    const other = setUpBuiltin('management', 'fake');
    assert.notDeepEqual(await other.impl.getSensorsData(other.task), first, 'nodes read the same');
  });

  it('defaults to UEFI', async () => {
    const { impl, task } = setUpBuiltin('management', 'fake');
    assert.equal(await impl.getBootMode?.(task), 'uefi');
  });
});

describe('noop management specifics', () => {
  it('always reports PXE, persistent, whatever was set', async () => {
    const { impl, task } = setUpBuiltin('management', 'noop', {
      hardwareType: 'manual-management',
    });
    await impl.setBootDevice(task, BootDevice.DISK, true);
    assert.deepEqual(await impl.getBootDevice(task), {
      bootDevice: BootDevice.PXE,
      persistent: true,
    });
  });
});

describe('fake boot specifics', () => {
  it('records whether the ramdisk or the instance boots next', async () => {
    const { impl, task } = setUpBuiltin('boot', 'fake');
    const target = (): unknown => task.node.driverInternalInfo['fake_boot_target'];
    await impl.prepareRamdisk(task, {});
    assert.equal(target(), 'ramdisk');
    await impl.cleanUpInstance(task);
    assert.equal(target(), 'ramdisk', 'cleaning up the instance dropped the ramdisk');
    await impl.cleanUpRamdisk(task);
    assert.equal(target(), undefined);
    await impl.prepareInstance(task);
    assert.equal(target(), 'instance');
    await impl.cleanUpRamdisk(task);
    assert.equal(target(), 'instance', 'cleaning up the ramdisk dropped the instance');
    await impl.cleanUpInstance(task);
    assert.equal(target(), undefined);
  });

  it('takes the configured time', async () => {
    const { impl, task, clock } = setUpBuiltin('boot', 'fake', { fake: { boot: 7 } });
    const watch = track(impl.prepareRamdisk(task, {}));
    await clock.advance(6_999);
    assert.equal(watch.settled(), false);
    await clock.advance(1);
    assert.equal(watch.settled(), true);
    assert.equal(task.node.driverInternalInfo['fake_boot_target'], 'ramdisk');
  });
});

describe('fake deploy specifics', () => {
  it('deploys in the configured time, through the deploy step too', async () => {
    const { impl, task, clock } = setUpBuiltin('deploy', 'fake', { fake: { deploy: 120 } });
    const watch = track(impl.executeDeployStep(task, { interface: 'deploy', step: 'deploy' }));
    await clock.advance(119_999);
    assert.equal(watch.settled(), false);
    await clock.advance(1);
    assert.equal(watch.settled(), true);
  });

  it('resolves deploy to nothing (never waits for a call-back)', async () => {
    const { impl, task } = setUpBuiltin('deploy', 'fake');
    assert.equal(await impl.deploy(task), undefined);
    assert.equal(await impl.prepareCleaning(task), undefined);
  });
});

describe('fake console specifics', () => {
  it('refuses getConsole with NodeConsoleNotEnabled before start and after stop', async () => {
    const { impl, task } = setUpBuiltin('console', 'fake');
    await rejectsWith(impl.getConsole(task), 'NodeConsoleNotEnabled', { exact: true });
    await impl.startConsole(task);
    const info = await impl.getConsole(task);
    assert.equal(info.type, 'fake');
    assert.ok(info.url.includes(task.node.uuid), info.url);
    await impl.stopConsole(task);
    const error = await rejectsWith(impl.getConsole(task), 'NodeConsoleNotEnabled', {
      exact: true,
    });
    assert.equal(error.params['node'], task.node.uuid);
  });
});

describe('fake inspect specifics', () => {
  it('reports the default machine and the UEFI boot mode capability', async () => {
    const { impl, task } = setUpBuiltin('inspect', 'fake');
    assert.equal(await impl.inspectHardware(task), ProvisionState.MANAGEABLE);
    const { cpus, cpu_arch: arch, memory_mb: memory, local_gb: disk } = task.node.properties;
    assert.deepEqual([cpus, arch, memory, disk], [8, 'x86_64', 16384, 100]);
    assert.equal(parseCapabilities(task.node.properties['capabilities']).get('boot_mode'), 'uefi');
  });

  it('reports what driver_info.fake_hardware says, defaults for the rest', async () => {
    const { impl, task } = setUpBuiltin('inspect', 'fake', {
      task: { node: { driverInfo: { fake_hardware: { cpus: 2, memory_mb: 2048 } } } },
    });
    await impl.inspectHardware(task);
    const { cpus, cpu_arch: arch, memory_mb: memory, local_gb: disk } = task.node.properties;
    assert.deepEqual([cpus, arch, memory, disk], [2, 'x86_64', 2048, 100]);
  });

  const BAD_FAKE_HARDWARE: [string, JsonValue][] = [
    ['an unknown key', { cpus: 2, gpus: 1 }],
    ['a string', '8 cpus'],
    ['a list', [8]],
  ];
  for (const [problem, fakeHardware] of BAD_FAKE_HARDWARE) {
    it(`refuses driver_info.fake_hardware with ${problem}, in validate and inspection`, async () => {
      const { impl, task } = setUpBuiltin('inspect', 'fake', {
        task: { node: { driverInfo: { fake_hardware: fakeHardware } } },
      });
      const before = structuredClone(task.node);
      await rejectsWith(impl.validate(task), 'InvalidParameterValue');
      await rejectsWith(impl.inspectHardware(task), 'InvalidParameterValue');
      assert.deepEqual(task.node, before);
    });
  }

  it('describes fake_hardware in its properties', () => {
    const { impl } = setUpBuiltin('inspect', 'fake');
    assert.ok('fake_hardware' in impl.getProperties());
  });
});

describe('fake raid specifics', () => {
  it('records exactly the target configuration, stamped with the clock', async () => {
    const { impl, task, clock } = setUpBuiltin('raid', 'fake');
    await clock.advance(1_500);
    const disks: JsonObject[] = [
      { raid_level: '1', size_gb: 100, is_root_volume: true, volume_name: 'root' },
      { raid_level: '5', size_gb: 'MAX', disk_type: 'ssd' },
    ];
    task.node.targetRaidConfig = { logical_disks: structuredClone(disks) };
    task.node.properties = { capabilities: 'boot_mode:uefi' };
    await impl.createConfiguration(task);
    assert.deepEqual(task.node.raidConfig, {
      logical_disks: disks,
      last_updated: '2026-01-01 00:00:01.500000',
    });
    assert.equal(task.node.properties['local_gb'], 100);
    const capabilities = parseCapabilities(task.node.properties['capabilities']);
    assert.equal(capabilities.get('raid_level'), '1');
    assert.equal(capabilities.get('boot_mode'), 'uefi', 'an existing capability was lost');
    assert.deepEqual(task.node.targetRaidConfig, { logical_disks: disks }, 'the target changed');

    await impl.deleteConfiguration(task);
    assert.deepEqual(task.node.raidConfig, {});
  });

  it('takes the configured time and changes nothing until then', async () => {
    const { impl, task, clock } = setUpBuiltin('raid', 'fake', { fake: { raid: 20 } });
    task.node.targetRaidConfig = targetConfig();
    const watch = track(impl.createConfiguration(task));
    await clock.advance(19_999);
    assert.equal(watch.settled(), false);
    assert.deepEqual(task.node.raidConfig, {});
    await clock.advance(1);
    assert.equal(watch.settled(), true);
    assert.equal(task.node.raidConfig['last_updated'], '2026-01-01 00:00:20');
  });

  it('apply_configuration makes the given configuration the target', async () => {
    const { impl, task } = setUpBuiltin('raid', 'fake');
    const config = targetConfig();
    await impl.executeDeployStep(task, {
      interface: 'raid',
      step: 'apply_configuration',
      args: { raid_config: config },
    });
    assert.deepEqual(task.node.targetRaidConfig, config);
  });

  it('is not a clean step with priority > 0: automated cleaning leaves RAID alone', async () => {
    const { impl, task } = setUpBuiltin('raid', 'fake');
    for (const step of await impl.getCleanSteps(task)) assert.equal(step.priority, 0, step.step);
    for (const step of await impl.getDeploySteps(task)) assert.equal(step.priority, 0, step.step);
  });
});

describe('fake storage specifics', () => {
  it('records the attached volume targets, and forgets them on detach', async () => {
    const volume: VolumeTarget = {
      uuid: '9c1d7d4e-5a9b-4a53-a3ab-0b8d6c1f9a10',
      nodeUuid: 'ignored',
      volumeType: 'iscsi',
      volumeId: 'vol-1',
      bootIndex: 1,
      properties: {},
      extra: {},
      createdAt: new Date(0),
      updatedAt: null,
    };
    const { impl, task } = setUpBuiltin('storage', 'fake', {
      task: { volumeTargets: [volume] },
    });
    await impl.attachVolumes(task);
    assert.deepEqual(task.node.driverInternalInfo['fake_volumes_attached'], [volume.uuid]);
    await impl.detachVolumes(task);
    assert.equal(task.node.driverInternalInfo['fake_volumes_attached'], undefined);
  });
});

describe('fake rescue specifics', () => {
  it('rescues synchronously in the configured time', async () => {
    const { impl, task, clock } = setUpBuiltin('rescue', 'fake', { fake: { rescue: 4 } });
    const operation = impl.rescue(task);
    const watch = track(operation);
    await clock.advance(3_999);
    assert.equal(watch.settled(), false);
    await clock.advance(1);
    assert.equal(await operation, ProvisionState.RESCUE);
  });
});

describe('fake vendor specifics', () => {
  const NODE_METHODS = {
    first_method: { async: true, require_exclusive_lock: true, bar: 'baz' },
    second_method: { async: true, require_exclusive_lock: true, bar: 'kazoo' },
    third_method_sync: { async: false, require_exclusive_lock: true, bar: 'meow' },
    fourth_method_shared_lock: { async: true, require_exclusive_lock: false, bar: 'woof' },
  } as const;

  it('lists its four node methods with their async and lock flags', () => {
    const { impl } = setUpBuiltin('vendor', 'fake');
    const metadata = passthruMetadata(impl, 'node');
    assert.deepEqual(Object.keys(metadata).sort(), Object.keys(NODE_METHODS).sort());
    for (const [name, expected] of Object.entries(NODE_METHODS)) {
      const actual = metadata[name];
      assert.ok(actual, name);
      assert.equal(actual.async, expected.async, `${name} async`);
      assert.equal(actual.require_exclusive_lock, expected.require_exclusive_lock, `${name} lock`);
      assert.deepEqual(actual.http_methods, ['POST'], `${name} HTTP methods`);
      assert.equal(actual.attach, false);
      assert.match(actual.description, new RegExp(expected.bar));
    }
  });

  it('lists echo (GET and POST, synchronous) and sleep (POST, asynchronous) for the driver', () => {
    const { impl } = setUpBuiltin('vendor', 'fake');
    const metadata = passthruMetadata(impl, 'driver');
    assert.deepEqual(Object.keys(metadata).sort(), ['echo', 'sleep']);
    const { echo, sleep } = metadata;
    assert.ok(echo && sleep);
    assert.deepEqual([...echo.http_methods].sort(), ['GET', 'POST']);
    assert.equal(echo.async, false);
    assert.deepEqual(sleep.http_methods, ['POST']);
    assert.equal(sleep.async, true);
  });

  it('answers true only to the expected value of bar', async () => {
    const { impl, task } = setUpBuiltin('vendor', 'fake');
    for (const [name, { bar }] of Object.entries(NODE_METHODS)) {
      const route = findRoute(impl, 'node', name, 'POST', task.node.driver);
      assert.equal(await route.call(task, { bar }), true, `${name} with ${bar}`);
      for (const wrong of ['nope', `${bar} `, bar.toUpperCase()]) {
        assert.equal(await route.call(task, { bar: wrong }), false, `${name} with "${wrong}"`);
      }
      assert.equal(await route.call(task, {}), false, `${name} without bar`);
    }
  });

  it('refuses an unknown method (UnsupportedDriverExtension) and GET (InvalidParameterValue)', async () => {
    const { impl, task } = setUpBuiltin('vendor', 'fake');
    await rejectsWith(
      (async () => findRoute(impl, 'node', 'fifth_method', 'POST', task.node.driver))(),
      'UnsupportedDriverExtension',
      { exact: true },
    );
    await rejectsWith(
      (async () => findRoute(impl, 'node', 'first_method', 'GET', task.node.driver))(),
      'InvalidParameterValue',
      { exact: true },
    );
    await rejectsWith(
      (async () => findRoute(impl, 'driver', 'first_method', 'POST', task.node.driver))(),
      'UnsupportedDriverExtension',
      { what: 'a node method called on the driver' },
    );
  });

  it("validates that each node method gets a non-empty 'bar' (MissingParameterValue)", async () => {
    const { impl, task } = setUpBuiltin('vendor', 'fake');
    for (const [name, { bar }] of Object.entries(NODE_METHODS)) {
      for (const args of [{}, { bar: '' }, { bar: 7 }] as JsonObject[]) {
        const error = await rejectsWith(impl.validate(task, name, args), 'MissingParameterValue', {
          exact: true,
          what: `${name} ${JSON.stringify(args)}`,
        });
        assert.match(error.message, new RegExp(name));
      }
      await impl.validate(task, name, { bar });
    }
    await impl.validate(task);
    await impl.validate(task, 'echo', {});
  });

  it('echo returns its arguments; sleep waits on the clock', async () => {
    const { impl, task, clock } = setUpBuiltin('vendor', 'fake');
    const context = { signal: task.signal, clock };
    const echo = findRoute(impl, 'driver', 'echo', 'GET', 'fake-hardware');
    assert.deepEqual(await echo.call(context, { a: 1, b: [true, null] }), {
      a: 1,
      b: [true, null],
    });

    await impl.driverValidate('sleep', { seconds: 90 });
    for (const seconds of [-1, '5', null]) {
      await rejectsWith(impl.driverValidate('sleep', { seconds }), 'InvalidParameterValue', {
        what: `sleep ${JSON.stringify(seconds)}`,
      });
    }
    const sleep = findRoute(impl, 'driver', 'sleep', 'POST', 'fake-hardware');
    const watch = track(sleep.call(context, { seconds: 90 }));
    await clock.advance(89_999);
    assert.equal(watch.settled(), false);
    await clock.advance(1);
    assert.equal(watch.settled(), true);
  });

  it('takes the configured time to answer', async () => {
    const { impl, task, clock } = setUpBuiltin('vendor', 'fake', { fake: { vendor: 2 } });
    const route = findRoute(impl, 'node', 'third_method_sync', 'POST', task.node.driver);
    const operation = route.call(task, { bar: 'meow' });
    const watch = track(operation);
    await clock.advance(1_999);
    assert.equal(watch.settled(), false);
    await clock.advance(1);
    assert.equal(await operation, true);
  });
});

describe('flat network specifics', () => {
  it('splits a portgroup whose member already carries a VIF into its free ports', async () => {
    const { impl, task } = setUpBuiltin('network', 'flat');
    const group = makePortgroup(task.node.uuid);
    const busy = makePort(task.node.uuid, {
      portgroupUuid: group.uuid,
      internalInfo: { tenant_vif_port_id: 'vif-old' },
    });
    const free = makePort(task.node.uuid, { portgroupUuid: group.uuid });
    task.portgroups.push(group);
    task.ports.push(busy, free);
    await impl.vifAttach(task, { id: 'vif-new' });
    assert.equal(await impl.getCurrentVif(task, free), 'vif-new');
    assert.equal(await impl.getCurrentVif(task, group), null);
    assert.deepEqual((await impl.vifList(task)).map((v) => v.id).sort(), ['vif-new', 'vif-old']);
  });

  it('saves the task (TestTask.saves) on attach and detach, not on a refusal', async () => {
    const { impl, task } = setUpBuiltin('network', 'flat');
    task.ports.push(makePort(task.node.uuid));
    await impl.vifAttach(task, { id: 'vif-a' });
    assert.equal(task.saves.length, 1);
    await rejectsWith(impl.vifAttach(task, { id: 'vif-a' }), 'VifAlreadyAttached');
    await rejectsWith(impl.vifAttach(task, { id: 'vif-b' }), 'NoFreePhysicalPorts');
    await rejectsWith(impl.vifDetach(task, 'vif-b'), 'VifNotAttached');
    assert.equal(task.saves.length, 1, 'a refused call saved');
    await impl.vifDetach(task, 'vif-a');
    assert.equal(task.saves.length, 2);
  });
});

describe('built-in subjects', () => {
  it('compose drivers whose interface is the implementation under test', () => {
    for (const type of ['power', 'network', 'raid'] as const) {
      const { impl, task } = setUpBuiltin(type, type === 'network' ? 'noop' : 'fake');
      assert.equal(task.driver[type], impl);
    }
  });

  it('refuse a fake delay that is not a number of seconds', () => {
    assert.throws(
      () => setUpBuiltin('power', 'fake', { fake: { power: -5 } }),
      (error: unknown) => isFerriteError(error, 'ConfigInvalid'),
    );
  });
});

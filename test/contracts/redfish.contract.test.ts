/**
 * The shared power and management contracts against the redfish
 * interfaces on real HTTP: Ferrite's Redfish BMC emulator (src/lab/redfish),
 * each test on a node whose driver_info points at a fresh emulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { isFerriteError } from '../../src/common/errors.ts';
import type { JsonObject } from '../../src/common/json.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import type { InterfaceMap } from '../../src/drivers/driver.ts';
import { startRedfishEmulator } from '../../src/lab/redfish/server.ts';
import type { RedfishEmulator } from '../../src/lab/redfish/server.ts';
import { TestTask } from '../support/task.ts';
import { bootContract } from './boot.contract.ts';
import { drive } from './helpers.ts';
import { inspectContract } from './inspect.contract.ts';
import { managementContract } from './management.contract.ts';
import { powerContract } from './power.contract.ts';
import { targetConfig } from './raid.contract.ts';
import type { ContractFixture } from './subject.ts';

const DEPLOY_ISO = 'http://images.example.org/ferrite-deploy.iso';
const OPTIONS = { redfish: { powerPollIntervalMs: 100, requestTimeoutMs: 2000, retries: 1 } };

async function onEmulator<K extends 'power' | 'management' | 'inspect' | 'raid' | 'boot'>(
  type: K,
  emulator: RedfishEmulator,
  name: string = 'redfish',
  extra: JsonObject = {},
): Promise<ContractFixture<InterfaceMap[K]>> {
  const clock = new SimulatedClock();
  const factory = createDriverFactory({ clock, options: OPTIONS });
  const driver = factory.compose({ driver: 'redfish' });
  const task = new TestTask(driver, {
    clock,
    node: {
      driver: 'redfish',
      driverInfo: {
        redfish_address: emulator.url,
        redfish_username: emulator.username,
        redfish_password: emulator.password,
        redfish_deploy_iso: DEPLOY_ISO,
        ...extra,
      },
    },
  });
  return {
    impl: factory.instance(type, name),
    task,
    clock,
    tearDown: async () => {
      await factory.close();
      await emulator.close();
    },
  };
}

describe('redfish interfaces on Ferrite’s Redfish emulator', () => {
  powerContract({
    name: 'power/redfish on the Redfish emulator',
    setUp: async () => onEmulator('power', await startRedfishEmulator({ systems: 1 })),
  });
  managementContract({
    name: 'management/redfish on the Redfish emulator',
    // Powered on: an NMI goes to a running host.
    setUp: async () =>
      onEmulator('management', await startRedfishEmulator({ systems: [{ powerState: 'On' }] })),
  });
  inspectContract({
    name: 'inspect/redfish on the Redfish emulator',
    setUp: async () => onEmulator('inspect', await startRedfishEmulator({ systems: 1 })),
  });
  bootContract({
    name: 'boot/redfish-virtual-media on the Redfish emulator',
    setUp: async () =>
      onEmulator('boot', await startRedfishEmulator({ systems: 1 }), 'redfish-virtual-media'),
  });

  it('boots the ramdisk from the deploy ISO in the virtual CD, then the instance from disk', async () => {
    const emulator = await startRedfishEmulator({ systems: 1 });
    const system = emulator.systems[0];
    assert.ok(system);
    const fixture = await onEmulator('boot', emulator, 'redfish-virtual-media');
    const { impl, task, clock } = fixture;
    assert.ok(clock);
    try {
      await drive(clock, impl.prepareRamdisk(task, {}));
      assert.deepEqual(
        { image: system.virtualMedia.image, inserted: system.virtualMedia.inserted },
        { image: DEPLOY_ISO, inserted: true },
      );
      assert.deepEqual({ ...system.boot }, { target: 'Cd', enabled: 'Once', mode: 'UEFI' });
      await drive(clock, impl.cleanUpRamdisk(task));
      assert.equal(system.virtualMedia.inserted, false);
      await drive(clock, impl.prepareInstance(task));
      assert.equal(system.boot.target, 'Hdd');
      assert.equal(system.boot.enabled, 'Continuous');
    } finally {
      await fixture.tearDown?.();
    }
  });

  it('PATCHes the boot override under the system’s ETag, or without If-Match when told', async () => {
    for (const [ifMatch, sent] of [
      [true, true],
      [false, false],
    ] as const) {
      const emulator = await startRedfishEmulator({ systems: 1 });
      const system = emulator.systems[0];
      assert.ok(system);
      const fixture = await onEmulator('management', emulator, 'redfish', {
        redfish_if_match: ifMatch,
      });
      assert.ok(fixture.clock);
      try {
        await drive(fixture.clock, fixture.impl.setBootDevice(fixture.task, 'pxe', true));
        assert.equal(system.boot.target, 'Pxe');
        assert.equal(system.lastIfMatch !== undefined, sent, `redfish_if_match ${String(ifMatch)}`);
      } finally {
        await fixture.tearDown?.();
      }
    }
  });

  // The raid contract is not run here yet: its "valid configuration" names
  // drives (disk0…disk3) and a JBOD that the emulator's controller lacks.

  it('builds the target configuration as volumes on the BMC, through its task monitors, and deletes them', async () => {
    const emulator = await startRedfishEmulator({ systems: 1 });
    const system = emulator.systems[0];
    assert.ok(system);
    const fixture = await onEmulator('raid', emulator);
    const { impl, task, clock } = fixture;
    assert.ok(clock);
    try {
      task.node.targetRaidConfig = targetConfig();
      await drive(clock, impl.createConfiguration(task));
      assert.deepEqual([...system.volumes.values()].map((v) => v.raidType).sort(), [
        'RAID1',
        'RAID5',
      ]);
      assert.equal(
        (task.node.raidConfig['logical_disks'] as unknown[] | undefined)?.length,
        2,
        'recorded on the node',
      );
      await drive(clock, impl.deleteConfiguration(task));
      assert.equal(system.volumes.size, 0);
      assert.deepEqual(task.node.raidConfig, {});
      await assert.rejects(
        drive(
          clock,
          impl.validateRaidConfig(task, { logical_disks: [{ raid_level: '6', size_gb: 10 }] }),
        ),
        /RAID6/,
      );
    } finally {
      await fixture.tearDown?.();
    }
  });

  it('switches the emulated system, and names the BMC when it is gone', async () => {
    const emulator = await startRedfishEmulator({ systems: 1, password: 'rf-secret' });
    const system = emulator.systems[0];
    assert.ok(system);
    const fixture = await onEmulator('power', emulator);
    const { impl, task, clock } = fixture;
    assert.ok(clock);
    // Waits (polls, backoff between retries) run on the simulated clock.
    const run = <T>(promise: Promise<T>): Promise<T> => drive(clock, promise);
    try {
      await run(impl.setPowerState(task, 'power on'));
      assert.equal(system.powerState, 'On');
      assert.equal(await run(impl.getPowerState(task)), 'power on');
      await run(impl.setPowerState(task, 'power off'));
      assert.equal(system.powerState, 'Off');
      await emulator.close();
      await assert.rejects(run(impl.getPowerState(task)), (error) => {
        assert.ok(isFerriteError(error, 'RedfishConnectionError'), String(error));
        assert.match(error.message, new RegExp(task.node.uuid));
        assert.doesNotMatch(error.message, /rf-secret/);
        return true;
      });
    } finally {
      await fixture.tearDown?.();
    }
  });
});

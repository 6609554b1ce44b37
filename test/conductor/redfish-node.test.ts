/**
 * A redfish node through the conductor on real HTTP: Ferrite's Redfish BMC
 * emulator as its BMC. Provisioning switches the emulated system's power,
 * power sync follows what the BMC says, and a BMC that stops answering
 * sends the node to maintenance until it answers again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { POWER_FAILURE } from '../../src/conductor/periodic/power-sync.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import { startRedfishEmulator } from '../../src/lab/redfish/server.ts';
import type { RedfishEmulator } from '../../src/lab/redfish/server.ts';
import { startConductor } from '../support/conductor.ts';
import { drive } from '../support/drive.ts';

describe('a redfish node on the Redfish emulator, through the conductor', () => {
  let store: Store;
  let emulator: RedfishEmulator;
  const clock = new SimulatedClock();

  before(async () => {
    store = await openStore('sqlite::memory:', { clock });
    emulator = await startRedfishEmulator({ systems: 1, password: 'rf-node-secret' });
  });
  after(async () => {
    await emulator.close();
    await store.close();
  });

  it('is provisioned with real power changes, synced, quarantined while its BMC fails and back after', async () => {
    const system = emulator.systems[0];
    assert.ok(system);
    const factory = createDriverFactory({
      clock,
      options: { redfish: { requestTimeoutMs: 500, retries: 0, powerPollIntervalMs: 100 } },
    });
    const h = await startConductor(store, {}, { clock, factory });
    // Out of band only: the agent's deploy and boot are the lab tests' business.
    const node = await h.conductor.createNode({
      driver: 'redfish',
      name: 'redfish-node',
      bootInterface: 'fake',
      deployInterface: 'fake',
      driverInfo: {
        redfish_address: emulator.url,
        redfish_username: emulator.username,
        redfish_password: emulator.password,
      },
    });
    assert.equal(node.powerInterface, 'redfish');
    assert.equal(node.managementInterface, 'redfish');
    assert.equal(node.inspectInterface, 'redfish');
    assert.equal(node.raidInterface, 'redfish');

    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    const managed = await h.node(node.uuid);
    assert.equal(managed.provisionState, 'manageable', managed.lastError ?? '');
    assert.equal(managed.powerState, 'power off', 'read from the BMC');

    await h.act(h.conductor.changeProvisionState(node.uuid, 'inspect'));
    const inspected = await h.node(node.uuid);
    assert.equal(inspected.provisionState, 'manageable', inspected.lastError ?? '');
    assert.equal(inspected.properties['cpus'], system.processorCount);
    assert.equal(inspected.properties['cpu_arch'], 'x86_64');
    assert.equal(inspected.properties['memory_mb'], system.memoryGiB * 1024);
    assert.ok(Number(inspected.properties['local_gb']) > 0, 'the largest drive, less 1 GiB');
    assert.match(inspected.properties['capabilities'] as string, /boot_mode:uefi/);
    const ports = await store.ports.list({ nodeUuid: node.uuid });
    assert.deepEqual(
      ports.map((p) => p.address).sort(),
      system.macs.map((m) => m.toLowerCase()).sort(),
      'a port for each NIC of the system',
    );
    // Inspecting again enrols no port twice.
    await h.act(h.conductor.changeProvisionState(node.uuid, 'inspect'));
    assert.equal((await store.ports.list({ nodeUuid: node.uuid })).length, system.macs.length);

    // RAID as manual clean steps: the volumes appear on the BMC, then go.
    await h.act(
      h.conductor.updateNode(node.uuid, {
        targetRaidConfig: {
          logical_disks: [{ raid_level: '1', size_gb: 100, is_root_volume: true }],
        },
      }),
    );
    await h.act(
      h.conductor.changeProvisionState(node.uuid, 'clean', {
        cleanSteps: [{ interface: 'raid', step: 'create_configuration' }],
      }),
    );
    const raided = await h.node(node.uuid);
    assert.equal(raided.provisionState, 'manageable', raided.lastError ?? '');
    assert.deepEqual(
      [...system.volumes.values()].map((v) => v.raidType),
      ['RAID1'],
    );
    await h.act(
      h.conductor.changeProvisionState(node.uuid, 'clean', {
        cleanSteps: [{ interface: 'raid', step: 'delete_configuration' }],
      }),
    );
    assert.equal(system.volumes.size, 0);
    assert.deepEqual((await h.node(node.uuid)).raidConfig, {});

    await h.act(h.conductor.changeProvisionState(node.uuid, 'provide'));
    assert.equal((await h.node(node.uuid)).provisionState, 'available');
    await h.act(h.conductor.changeProvisionState(node.uuid, 'active'));
    const active = await h.node(node.uuid);
    assert.equal(active.provisionState, 'active', active.lastError ?? '');
    assert.equal(active.powerState, 'power on');
    assert.equal(system.powerState, 'On', 'the deploy powered the emulated system on');

    // Someone switches it off at the BMC: power sync records what the BMC says.
    system.powerState = 'Off';
    await drive(clock, h.conductor.powerSync.sweep());
    assert.equal((await h.node(node.uuid)).powerState, 'power off');

    // The BMC fails every request: after the sync retries, maintenance with a power failure.
    system.faults.failNext(1000, 503);
    for (let sweep = 0; sweep < 3; sweep++) await drive(clock, h.conductor.powerSync.sweep());
    const quarantined = await h.node(node.uuid);
    assert.equal(quarantined.maintenance, true);
    assert.equal(quarantined.fault, POWER_FAILURE);
    assert.match(quarantined.maintenanceReason ?? '', /Redfish/);
    assert.doesNotMatch(quarantined.maintenanceReason ?? '', /rf-node-secret/);

    // It answers again: recovery takes the node out of maintenance.
    system.faults.clear();
    assert.equal(await drive(clock, h.conductor.powerSync.recover()), 1);
    const back = await h.node(node.uuid);
    assert.equal(back.maintenance, false);
    assert.equal(back.fault, null);

    await h.stop();
    await factory.close();
  });
});

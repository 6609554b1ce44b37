import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { Node } from '../../src/common/records.ts';
import type { NodeChanges } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { makeNode, makePort, makePortgroup } from '../support/node.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 123);

/** A node with every field away from its default, nested JSON and all. */
function richNode(): Node {
  return makeNode({
    name: 'rack1-node07',
    description: 'a node with everything set',
    driver: 'fake-hardware',
    driverInfo: { ipmi_address: '10.0.0.7', nested: { list: [1, 'two', null, { three: true }] } },
    driverInternalInfo: { agent_url: 'http://10.0.0.7:9999', clean_steps: [{ step: 'erase' }] },
    instanceInfo: { image_source: 'http://images/ubuntu.qcow2', root_gb: 10 },
    instanceUuid: randomUUID(),
    properties: { cpus: 8, memory_mb: 16384, capabilities: 'boot_mode:uefi' },
    extra: { 'unicode ✓': 'é', empty: {}, zero: 0, no: false },
    provisionState: 'active',
    targetProvisionState: 'deleted',
    powerState: 'power on',
    targetPowerState: 'power off',
    maintenance: true,
    maintenanceReason: 'fan failure',
    fault: 'power failure',
    lastError: 'boom',
    conductorAffinity: 'conductor-a',
    conductorGroup: 'rack1',
    consoleEnabled: true,
    cleanStep: { interface: 'deploy', step: 'erase_devices', args: {} },
    deployStep: {},
    raidConfig: { logical_disks: [{ size_gb: 100, raid_level: '1' }] },
    targetRaidConfig: { logical_disks: [] },
    resourceClass: 'baremetal.large',
    owner: 'project-a',
    lessee: 'project-b',
    automatedClean: false,
    protected: true,
    protectedReason: 'production',
    retired: true,
    retiredReason: 'end of life',
    traits: ['CUSTOM_B', 'CUSTOM_A'],
    inspectionStartedAt: new Date(Date.UTC(2025, 5, 1, 8, 30, 0, 1)),
    inspectionFinishedAt: new Date(Date.UTC(2025, 5, 1, 8, 45, 59, 999)),
    provisionUpdatedAt: new Date(Date.UTC(2025, 5, 2, 0, 0, 0, 0)),
    networkData: { links: [{ id: 'eth0', type: 'phy' }], networks: [], services: [] },
    bootMode: 'uefi',
    secureBoot: true,
    shard: 'shard-1',
    allocationUuid: randomUUID(),
    bootInterface: 'fake',
    consoleInterface: 'no-console',
    deployInterface: 'fake',
    inspectInterface: 'fake',
    managementInterface: 'fake',
    networkInterface: 'flat',
    powerInterface: 'fake',
    raidInterface: 'fake',
    rescueInterface: 'fake',
    storageInterface: 'noop',
    vendorInterface: 'fake',
  });
}

forEachDatabase((db) => {
  it('creates a node with enrolment defaults from a driver alone', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = await store.nodes.create({ driver: 'fake-hardware' });
    const expected = makeNode({ uuid: node.uuid, createdAt: new Date(T0) });
    assert.deepEqual(node, expected);
    assert.deepEqual(await store.nodes.get(node.uuid), expected);
  });

  it('round-trips every field: nested JSON, booleans, dates to the millisecond, interfaces', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const input = richNode();
    const created = await store.nodes.create(input);
    const expected: Node = {
      ...input,
      traits: ['CUSTOM_A', 'CUSTOM_B'],
      createdAt: new Date(T0),
    };
    assert.deepEqual(created, expected);
    assert.deepEqual(await store.nodes.get(input.uuid), expected);
    assert.deepEqual(await store.nodes.getMany([input.uuid]), [expected]);
    assert.deepEqual(await store.nodes.list(), [expected]);
  });

  it('keeps null and {} apart in nullable JSON, and null, false and true in automated_clean', async () => {
    const store = await db.open();
    const a = await store.nodes.create({ driver: 'd', cleanStep: null, automatedClean: null });
    const b = await store.nodes.create({ driver: 'd', cleanStep: {}, automatedClean: false });
    const c = await store.nodes.create({
      driver: 'd',
      cleanStep: { step: 'x' },
      automatedClean: true,
    });
    const ga = await store.nodes.get(a.uuid);
    const gb = await store.nodes.get(b.uuid);
    const gc = await store.nodes.get(c.uuid);
    assert.equal(ga.cleanStep, null);
    assert.deepEqual(gb.cleanStep, {});
    assert.deepEqual(gc.cleanStep, { step: 'x' });
    assert.equal(ga.automatedClean, null);
    assert.equal(gb.automatedClean, false);
    assert.equal(gc.automatedClean, true);
    const cleared = await store.nodes.update(c.uuid, { cleanStep: null, automatedClean: null });
    assert.equal(cleared.cleanStep, null);
    assert.equal(cleared.automatedClean, null);
  });

  it('gets by uuid or by name, and reports a missing node as NodeNotFound', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd', name: 'web-01' });
    assert.equal((await store.nodes.get('web-01')).uuid, node.uuid);
    assert.equal((await store.nodes.get(node.uuid)).name, 'web-01');
    assert.equal(await store.nodes.find('web-02'), undefined);
    const missing = randomUUID();
    assert.equal(await store.nodes.find(missing), undefined);
    await rejectsWith(store.nodes.get(missing), 'NodeNotFound', missing);
    await rejectsWith(store.nodes.get('web-02'), 'NodeNotFound', 'web-02');
  });

  it('looks up a uuid-shaped identifier as a uuid only', async () => {
    const store = await db.open();
    const uuidLike = randomUUID();
    await store.nodes.create({ driver: 'd', name: uuidLike });
    assert.equal(await store.nodes.find(uuidLike), undefined);
  });

  it('getMany returns the nodes that exist, with their traits', async () => {
    const store = await db.open();
    const a = await store.nodes.create({ driver: 'd', traits: ['T1'] });
    const b = await store.nodes.create({ driver: 'd' });
    const found = await store.nodes.getMany([a.uuid, randomUUID(), b.uuid]);
    const byUuid = new Map(found.map((n) => [n.uuid, n]));
    assert.equal(found.length, 2);
    assert.deepEqual(byUuid.get(a.uuid)?.traits, ['T1']);
    assert.deepEqual(byUuid.get(b.uuid)?.traits, []);
    assert.deepEqual(await store.nodes.getMany([]), []);
  });

  it('update writes only the given fields and returns the stored node', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd', extra: { a: 1 }, name: 'n1' });
    await store.nodes.update(node.uuid, { properties: { cpus: 4 } });
    const updated = await store.nodes.update(node.uuid, { name: 'n2', description: undefined });
    assert.deepEqual(updated.properties, { cpus: 4 });
    assert.deepEqual(updated.extra, { a: 1 });
    assert.equal(updated.name, 'n2');
    assert.deepEqual(await store.nodes.get(node.uuid), updated);
    await rejectsWith(store.nodes.update(randomUUID(), { name: 'x' }), 'NodeNotFound');
  });

  it('update never writes the reservation, even when handed a whole node', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd' });
    assert.equal(await store.nodes.reserve(node.uuid, 'conductor-a'), true);
    const stale = { ...node, reservation: 'conductor-b', lastError: 'x' } as NodeChanges;
    const updated = await store.nodes.update(node.uuid, stale);
    assert.equal(updated.reservation, 'conductor-a');
    assert.equal(updated.lastError, 'x');
    assert.equal(await store.nodes.reservation(node.uuid), 'conductor-a');
  });

  it('update bumps updated_at, and provision_updated_at only when the provision state is written', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = await store.nodes.create({ driver: 'd' });
    assert.equal(node.updatedAt, null);
    assert.equal(node.provisionUpdatedAt, null);

    await clock.advance(1000);
    const a = await store.nodes.update(node.uuid, { lastError: 'e' });
    assert.deepEqual(a.updatedAt, new Date(T0 + 1000));
    assert.equal(a.provisionUpdatedAt, null);

    await clock.advance(1000);
    const b = await store.nodes.update(node.uuid, { provisionState: 'verifying' });
    assert.deepEqual(b.updatedAt, new Date(T0 + 2000));
    assert.deepEqual(b.provisionUpdatedAt, new Date(T0 + 2000));

    await clock.advance(1000);
    const c = await store.nodes.update(node.uuid, { powerState: 'power on' });
    assert.deepEqual(c.provisionUpdatedAt, new Date(T0 + 2000));

    // An explicit value wins over the automatic one.
    const explicit = new Date(T0 - 5000);
    const d = await store.nodes.update(node.uuid, {
      provisionState: 'manageable',
      provisionUpdatedAt: explicit,
    });
    assert.deepEqual(d.provisionUpdatedAt, explicit);
    assert.deepEqual((await store.nodes.get(node.uuid)).createdAt, new Date(T0));
  });

  it('refuses a duplicate name (DuplicateName) but allows any number of unnamed nodes', async () => {
    const store = await db.open();
    await store.nodes.create({ driver: 'd' });
    await store.nodes.create({ driver: 'd' });
    const named = await store.nodes.create({ driver: 'd', name: 'dup' });
    await rejectsWith(store.nodes.create({ driver: 'd', name: 'dup' }), 'DuplicateName', 'dup');
    const other = await store.nodes.create({ driver: 'd', name: 'other' });
    await rejectsWith(store.nodes.update(other.uuid, { name: 'dup' }), 'DuplicateName', 'dup');
    assert.equal((await store.nodes.get(other.uuid)).name, 'other');
    assert.equal(await store.nodes.count(), 4);
    assert.equal((await store.nodes.get('dup')).uuid, named.uuid);
  });

  it('creates arriving together succeed or fail each on its own', async () => {
    // SQLite commits concurrent creates together (db/sqlite/write-group.ts).
    const store = await db.open();
    await store.nodes.create({ driver: 'd', name: 'taken' });
    const names = ['a', 'taken', 'b', 'c', 'a', 'd'];
    const results = await Promise.allSettled([
      ...names.map((name) => store.nodes.create({ driver: 'd', name })),
      store.nodes.create({ driver: 'd', name: 'traited', traits: ['CUSTOM_X', 'CUSTOM_Y'] }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
    );
    for (const r of results) {
      if (r.status === 'rejected')
        assert.equal((r.reason as { code?: string }).code, 'DuplicateName');
    }
    assert.equal(await store.nodes.count(), 6);
    assert.deepEqual((await store.nodes.get('traited')).traits, ['CUSTOM_X', 'CUSTOM_Y']);
  });

  it('refuses a second node on one instance (InstanceAssociated) and a duplicate uuid (NodeAlreadyExists)', async () => {
    const store = await db.open();
    const instance = randomUUID();
    const a = await store.nodes.create({ driver: 'd', instanceUuid: instance });
    const b = await store.nodes.create({ driver: 'd' });
    await rejectsWith(
      store.nodes.create({ driver: 'd', instanceUuid: instance }),
      'InstanceAssociated',
      instance,
    );
    await rejectsWith(
      store.nodes.update(b.uuid, { instanceUuid: instance }),
      'InstanceAssociated',
      b.uuid,
    );
    await rejectsWith(
      store.nodes.create({ driver: 'd', uuid: a.uuid }),
      'NodeAlreadyExists',
      a.uuid,
    );
  });

  it('refuses a node in a chassis that does not exist (ChassisNotFound)', async () => {
    const store = await db.open();
    const chassis = randomUUID();
    await rejectsWith(
      store.nodes.create({ driver: 'd', chassisUuid: chassis }),
      'ChassisNotFound',
      chassis,
    );
    const node = await store.nodes.create({ driver: 'd' });
    await rejectsWith(store.nodes.update(node.uuid, { chassisUuid: chassis }), 'ChassisNotFound');
    assert.equal(await store.nodes.count(), 1);
  });

  it('stores traits sorted and unique; setTraits and update replace them', async () => {
    const store = await db.open();
    const node = await store.nodes.create({
      driver: 'd',
      traits: ['CUSTOM_Z', 'CUSTOM_A', 'CUSTOM_Z'],
    });
    assert.deepEqual(node.traits, ['CUSTOM_A', 'CUSTOM_Z']);
    await store.nodes.setTraits(node.uuid, ['HW_CPU_X86_VMX', 'CUSTOM_B']);
    assert.deepEqual((await store.nodes.get(node.uuid)).traits, ['CUSTOM_B', 'HW_CPU_X86_VMX']);
    const updated = await store.nodes.update(node.uuid, { traits: ['CUSTOM_C'] });
    assert.deepEqual(updated.traits, ['CUSTOM_C']);
    assert.deepEqual((await store.nodes.list())[0]?.traits, ['CUSTOM_C']);
    await store.nodes.setTraits(node.uuid, []);
    assert.deepEqual((await store.nodes.get(node.uuid)).traits, []);
    await rejectsWith(store.nodes.setTraits(randomUUID(), ['X']), 'NodeNotFound');
  });

  it('deletes a node with its ports, portgroups, traits, volume connectors and targets', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd', traits: ['CUSTOM_A'] });
    const keep = await store.nodes.create({ driver: 'd', traits: ['CUSTOM_A'] });
    const group = await store.portgroups.create(makePortgroup(node.uuid, { name: 'bond0' }));
    const port = await store.ports.create(makePort(node.uuid, { portgroupUuid: group.uuid }));
    const loose = await store.ports.create(makePort(node.uuid));
    const kept = await store.ports.create(makePort(keep.uuid));
    const connector = await store.volumes.createConnector({
      nodeUuid: node.uuid,
      type: 'iqn',
      connectorId: 'iqn.2026-01.org.example:node',
    });
    const target = await store.volumes.createTarget({
      nodeUuid: node.uuid,
      volumeType: 'iscsi',
      volumeId: 'vol-1',
      bootIndex: 0,
    });

    await store.nodes.delete(node.uuid);

    await rejectsWith(store.nodes.get(node.uuid), 'NodeNotFound');
    await rejectsWith(store.ports.get(port.uuid), 'PortNotFound');
    await rejectsWith(store.ports.get(loose.uuid), 'PortNotFound');
    await rejectsWith(store.portgroups.get(group.uuid), 'PortgroupNotFound');
    await rejectsWith(store.volumes.getConnector(connector.uuid), 'VolumeConnectorNotFound');
    await rejectsWith(store.volumes.getTarget(target.uuid), 'VolumeTargetNotFound');
    assert.deepEqual(await store.ports.list(), [kept]);
    assert.deepEqual((await store.nodes.get(keep.uuid)).traits, ['CUSTOM_A']);
    await rejectsWith(store.nodes.delete(node.uuid), 'NodeNotFound');
    // The trait rows went too: the same node uuid can be enrolled again with none.
    const again = await store.nodes.create({ driver: 'd', uuid: node.uuid });
    assert.deepEqual(again.traits, []);
    assert.deepEqual((await store.nodes.get(node.uuid)).traits, []);
  });
});

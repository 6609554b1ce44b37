import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

forEachDatabase((db) => {
  it('creates, gets, lists, updates and deletes volume connectors', async () => {
    // Lists come in creation order: the clock keeps the creations apart.
    const clock = new SimulatedClock();
    const store = await db.open({ clock });
    const a = (await store.nodes.create({ driver: 'd' })).uuid;
    const b = (await store.nodes.create({ driver: 'd' })).uuid;
    const iqn = await store.volumes.createConnector({
      nodeUuid: a,
      type: 'iqn',
      connectorId: 'iqn.2026-01.org.example:a',
    });
    assert.deepEqual(iqn, {
      uuid: iqn.uuid,
      nodeUuid: a,
      type: 'iqn',
      connectorId: 'iqn.2026-01.org.example:a',
      extra: {},
      createdAt: new Date(clock.now()),
      updatedAt: null,
    });
    await clock.advance(1);
    const wwpn = await store.volumes.createConnector({
      nodeUuid: b,
      type: 'wwpn',
      connectorId: '20:00:00:00:00:00:00:01',
      extra: { fabric: 'A' },
    });
    assert.deepEqual(await store.volumes.getConnector(wwpn.uuid), wwpn);
    assert.deepEqual(await store.volumes.listConnectors({ nodeUuid: a }), [iqn]);
    assert.deepEqual(await store.volumes.listConnectors({ nodeUuids: [a, b] }), [iqn, wwpn]);
    assert.equal((await store.volumes.listConnectors()).length, 2);
    await clock.advance(1);
    const updated = await store.volumes.updateConnector(iqn.uuid, { extra: { x: 1 } });
    assert.deepEqual(updated, { ...iqn, extra: { x: 1 }, updatedAt: new Date(clock.now()) });
    assert.deepEqual(await store.volumes.getConnector(iqn.uuid), updated);
    await store.volumes.deleteConnector(iqn.uuid);
    await rejectsWith(store.volumes.getConnector(iqn.uuid), 'VolumeConnectorNotFound', iqn.uuid);
    await rejectsWith(store.volumes.deleteConnector(iqn.uuid), 'VolumeConnectorNotFound');
    await rejectsWith(
      store.volumes.updateConnector(iqn.uuid, { extra: {} }),
      'VolumeConnectorNotFound',
    );
  });

  it('refuses a second connector with the same type and id, a duplicate uuid, or a missing node', async () => {
    const store = await db.open();
    const a = (await store.nodes.create({ driver: 'd' })).uuid;
    const b = (await store.nodes.create({ driver: 'd' })).uuid;
    const first = await store.volumes.createConnector({
      nodeUuid: a,
      type: 'iqn',
      connectorId: 'iqn.x',
    });
    await rejectsWith(
      store.volumes.createConnector({ nodeUuid: b, type: 'iqn', connectorId: 'iqn.x' }),
      'VolumeConnectorTypeAndIdAlreadyExists',
      'iqn.x',
    );
    // Same id, other type: allowed.
    const other = await store.volumes.createConnector({
      nodeUuid: b,
      type: 'ip',
      connectorId: 'iqn.x',
    });
    // The conflict names both values though the change carries only one.
    await rejectsWith(
      store.volumes.updateConnector(other.uuid, { type: 'iqn' }),
      'VolumeConnectorTypeAndIdAlreadyExists',
      'type iqn and connector ID iqn.x',
    );
    await rejectsWith(
      store.volumes.createConnector({
        uuid: first.uuid,
        nodeUuid: b,
        type: 'ip',
        connectorId: 'y',
      }),
      'VolumeConnectorAlreadyExists',
      first.uuid,
    );
    const missing = randomUUID();
    await rejectsWith(
      store.volumes.createConnector({ nodeUuid: missing, type: 'ip', connectorId: 'z' }),
      'NodeNotFound',
      missing,
    );
  });

  it('creates, gets, lists, updates and deletes volume targets', async () => {
    const clock = new SimulatedClock();
    const store = await db.open({ clock });
    const a = (await store.nodes.create({ driver: 'd' })).uuid;
    const boot = await store.volumes.createTarget({
      nodeUuid: a,
      volumeType: 'iscsi',
      volumeId: 'vol-boot',
      bootIndex: 0,
      properties: { target_lun: 0, auth: { method: 'CHAP' } },
    });
    assert.deepEqual(boot, {
      uuid: boot.uuid,
      nodeUuid: a,
      volumeType: 'iscsi',
      volumeId: 'vol-boot',
      bootIndex: 0,
      properties: { target_lun: 0, auth: { method: 'CHAP' } },
      extra: {},
      createdAt: new Date(clock.now()),
      updatedAt: null,
    });
    await clock.advance(1);
    const data = await store.volumes.createTarget({
      nodeUuid: a,
      volumeType: 'iscsi',
      volumeId: 'vol-data',
      bootIndex: 1,
    });
    assert.deepEqual(await store.volumes.getTarget(boot.uuid), boot);
    assert.deepEqual(await store.volumes.listTargets({ nodeUuid: a }), [boot, data]);
    assert.deepEqual(await store.volumes.listTargets({ nodeUuids: [randomUUID()] }), []);
    const updated = await store.volumes.updateTarget(data.uuid, {
      bootIndex: 5,
      volumeId: 'vol-2',
    });
    assert.deepEqual(updated, {
      ...data,
      bootIndex: 5,
      volumeId: 'vol-2',
      updatedAt: new Date(clock.now()),
    });
    assert.deepEqual(await store.volumes.getTarget(data.uuid), updated);
    await store.volumes.deleteTarget(data.uuid);
    await rejectsWith(store.volumes.getTarget(data.uuid), 'VolumeTargetNotFound', data.uuid);
    await rejectsWith(store.volumes.deleteTarget(data.uuid), 'VolumeTargetNotFound');
  });

  it('refuses a boot index used on the same node, but not on another', async () => {
    const store = await db.open();
    const a = (await store.nodes.create({ driver: 'd' })).uuid;
    const b = (await store.nodes.create({ driver: 'd' })).uuid;
    const target = { volumeType: 'iscsi', volumeId: 'v', bootIndex: 0 };
    const first = await store.volumes.createTarget({ ...target, nodeUuid: a });
    await rejectsWith(
      store.volumes.createTarget({ ...target, nodeUuid: a }),
      'VolumeTargetBootIndexAlreadyExists',
      "'0'",
    );
    const onB = await store.volumes.createTarget({ ...target, nodeUuid: b });
    // Moving it to node a keeps its index 0, which a already uses.
    await rejectsWith(
      store.volumes.updateTarget(onB.uuid, { nodeUuid: a }),
      'VolumeTargetBootIndexAlreadyExists',
      "'0'",
    );
    await rejectsWith(
      store.volumes.createTarget({ ...target, uuid: first.uuid, nodeUuid: b, bootIndex: 3 }),
      'VolumeTargetAlreadyExists',
      first.uuid,
    );
    await rejectsWith(
      store.volumes.createTarget({ ...target, nodeUuid: randomUUID(), bootIndex: 9 }),
      'NodeNotFound',
    );
  });
});

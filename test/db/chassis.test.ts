import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 2, 3, 4, 5, 6, 789);

forEachDatabase((db) => {
  it('creates, gets, lists, updates and deletes a chassis', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const plain = await store.chassis.create({});
    assert.deepEqual(plain, {
      uuid: plain.uuid,
      description: null,
      extra: {},
      createdAt: new Date(T0),
      updatedAt: null,
    });
    await clock.advance(5);
    const rich = await store.chassis.create({ description: 'rack 7', extra: { row: { n: 7 } } });
    assert.deepEqual(await store.chassis.get(rich.uuid), rich);
    assert.deepEqual(await store.chassis.list(), [plain, rich]);
    assert.deepEqual(await store.chassis.list({ sortDir: 'desc', limit: 1 }), [rich]);
    assert.deepEqual(await store.chassis.list({ marker: plain.uuid }), [rich]);

    await clock.advance(5);
    const updated = await store.chassis.update(rich.uuid, { description: null });
    assert.deepEqual(updated, { ...rich, description: null, updatedAt: new Date(T0 + 10) });
    assert.deepEqual(await store.chassis.get(rich.uuid), updated);

    await store.chassis.delete(rich.uuid);
    await rejectsWith(store.chassis.get(rich.uuid), 'ChassisNotFound', rich.uuid);
    await rejectsWith(store.chassis.delete(rich.uuid), 'ChassisNotFound');
    await rejectsWith(store.chassis.update(rich.uuid, { extra: {} }), 'ChassisNotFound');
  });

  it('refuses a duplicate chassis uuid (ChassisAlreadyExists)', async () => {
    const store = await db.open();
    const chassis = await store.chassis.create({});
    await rejectsWith(
      store.chassis.create({ uuid: chassis.uuid }),
      'ChassisAlreadyExists',
      chassis.uuid,
    );
  });

  it('refuses to delete a chassis that still has nodes (ChassisNotEmpty)', async () => {
    const store = await db.open();
    const chassis = await store.chassis.create({});
    const node = await store.nodes.create({ driver: 'd', chassisUuid: chassis.uuid });
    await rejectsWith(store.chassis.delete(chassis.uuid), 'ChassisNotEmpty', chassis.uuid);
    assert.equal((await store.chassis.get(chassis.uuid)).uuid, chassis.uuid);
    await store.nodes.update(node.uuid, { chassisUuid: null });
    await store.chassis.delete(chassis.uuid);
    assert.equal(await store.nodes.count({ chassisUuid: chassis.uuid }), 0);
    await rejectsWith(store.chassis.get(randomUUID()), 'ChassisNotFound');
  });
});

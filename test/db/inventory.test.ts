import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 7, 8, 9, 10, 11, 789);

const INVENTORY = {
  cpu: { count: 8, architecture: 'x86_64', flags: ['vmx', 'sse4_2'] },
  memory: { physical_mb: 16384 },
  interfaces: [{ name: 'eth0', mac_address: '52:54:00:12:34:56', has_carrier: true }],
  disks: [{ name: '/dev/sda', size: 500107862016, rotational: false }],
};

forEachDatabase((db) => {
  it('puts, gets, replaces and deletes a node inventory', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    await rejectsWith(store.inventory.get(node), 'NodeInventoryNotFound', node);

    const first = await store.inventory.put(node, {
      inventory: INVENTORY,
      pluginData: { root_disk: { name: '/dev/sda' }, valid_interfaces: null },
    });
    const expected = {
      nodeUuid: node,
      inventory: INVENTORY,
      pluginData: { root_disk: { name: '/dev/sda' }, valid_interfaces: null },
      createdAt: new Date(T0),
      updatedAt: null,
    };
    assert.deepEqual(first, expected);
    assert.deepEqual(await store.inventory.get(node), expected);

    await clock.advance(60_000);
    const again = await store.inventory.put(node, {
      inventory: { cpu: { count: 4 } },
      pluginData: {},
    });
    const replaced = {
      nodeUuid: node,
      inventory: { cpu: { count: 4 } },
      pluginData: {},
      createdAt: new Date(T0),
      updatedAt: new Date(T0 + 60_000),
    };
    assert.deepEqual(again, replaced);
    assert.deepEqual(await store.inventory.get(node), replaced);

    await store.inventory.delete(node);
    await rejectsWith(store.inventory.get(node), 'NodeInventoryNotFound', node);
    await rejectsWith(store.inventory.delete(node), 'NodeInventoryNotFound', node);
  });

  it('refuses an inventory for a missing node, and deletes it with its node', async () => {
    const store = await db.open();
    const missing = randomUUID();
    await rejectsWith(
      store.inventory.put(missing, { inventory: {}, pluginData: {} }),
      'NodeNotFound',
      missing,
    );
    const doomed = (await store.nodes.create({ driver: 'd' })).uuid;
    const kept = (await store.nodes.create({ driver: 'd' })).uuid;
    await store.inventory.put(doomed, { inventory: INVENTORY, pluginData: {} });
    const survivor = await store.inventory.put(kept, { inventory: {}, pluginData: { a: 1 } });
    await store.nodes.delete(doomed);
    await rejectsWith(store.inventory.get(doomed), 'NodeInventoryNotFound');
    assert.deepEqual(await store.inventory.get(kept), survivor);
  });
});

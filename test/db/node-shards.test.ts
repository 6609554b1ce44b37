import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Node } from '../../src/common/records.ts';
import { forEachDatabase } from '../support/databases.ts';

const uuids = (nodes: readonly Node[]) => nodes.map((n) => n.uuid).sort();

forEachDatabase((db) => {
  it('filters nodes by shard and by whether they have one, in list and count', async () => {
    const store = await db.open();
    const a1 = await store.nodes.create({ driver: 'd', shard: 'a' });
    const a2 = await store.nodes.create({ driver: 'd', shard: 'a' });
    const b = await store.nodes.create({ driver: 'd', shard: 'b' });
    const none = await store.nodes.create({ driver: 'd' });
    assert.equal(none.shard, null);

    assert.deepEqual(uuids(await store.nodes.list({ shard: ['a'] })), uuids([a1, a2]));
    assert.deepEqual(uuids(await store.nodes.list({ shard: ['a', 'b', 'c'] })), uuids([a1, a2, b]));
    assert.deepEqual(await store.nodes.list({ shard: [] }), []);
    assert.deepEqual(uuids(await store.nodes.list({ sharded: true })), uuids([a1, a2, b]));
    assert.deepEqual(uuids(await store.nodes.list({ sharded: false })), [none.uuid]);
    assert.deepEqual(await store.nodes.list({ shard: ['a'], sharded: false }), []);
    assert.equal(await store.nodes.count({ shard: ['b'] }), 1);
    assert.equal(await store.nodes.count({ sharded: true, driver: 'd' }), 3);

    await store.nodes.update(b.uuid, { shard: null });
    assert.deepEqual(uuids(await store.nodes.list({ sharded: false })), uuids([b, none]));
  });

  it('counts nodes per shard, largest first, with the unsharded under null', async () => {
    const store = await db.open();
    assert.deepEqual(await store.nodes.shards(), []);
    for (const shard of ['x', 'y', 'y', 'z', 'z', 'z', null, null]) {
      await store.nodes.create({ driver: 'd', shard });
    }
    assert.deepEqual(await store.nodes.shards(), [
      { name: 'z', count: 3 },
      // Equal counts: by name, null last.
      { name: 'y', count: 2 },
      { name: null, count: 2 },
      { name: 'x', count: 1 },
    ]);
  });

  it('stores the node fields added with shards: network data, boot mode, secure boot', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd' });
    assert.deepEqual(
      [node.networkData, node.bootMode, node.secureBoot, node.allocationUuid],
      [{}, null, null, null],
    );
    const networkData = { links: [{ id: 'bond0', type: 'bond' }], networks: [{ id: 'n1' }] };
    const updated = await store.nodes.update(node.uuid, {
      networkData,
      bootMode: 'uefi',
      secureBoot: false,
    });
    assert.deepEqual(updated.networkData, networkData);
    assert.equal(updated.bootMode, 'uefi');
    assert.equal(updated.secureBoot, false);
    assert.deepEqual(await store.nodes.get(node.uuid), updated);
    const on = await store.nodes.update(node.uuid, { secureBoot: true });
    assert.equal(on.secureBoot, true);
  });
});

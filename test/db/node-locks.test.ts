import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

forEachDatabase((db) => {
  it('reserve takes a free lock and refuses a held one, even to its holder', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd' });
    assert.equal(await store.nodes.reservation(node.uuid), null);
    assert.equal(await store.nodes.reserve(node.uuid, 'conductor-a'), true);
    assert.equal(await store.nodes.reservation(node.uuid), 'conductor-a');
    assert.equal(await store.nodes.reserve(node.uuid, 'conductor-b'), false);
    assert.equal(await store.nodes.reserve(node.uuid, 'conductor-a'), false);
    assert.equal((await store.nodes.get(node.uuid)).reservation, 'conductor-a');
  });

  it('release frees only a lock the host holds', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd' });
    assert.equal(await store.nodes.release(node.uuid, 'conductor-a'), false);
    await store.nodes.reserve(node.uuid, 'conductor-a');
    assert.equal(await store.nodes.release(node.uuid, 'conductor-b'), false);
    assert.equal(await store.nodes.reservation(node.uuid), 'conductor-a');
    assert.equal(await store.nodes.release(node.uuid, 'conductor-a'), true);
    assert.equal(await store.nodes.reservation(node.uuid), null);
    assert.equal(await store.nodes.reserve(node.uuid, 'conductor-b'), true);
  });

  it('tells a missing node (NodeNotFound) from a locked one (false)', async () => {
    const store = await db.open();
    const missing = randomUUID();
    await rejectsWith(store.nodes.reserve(missing, 'conductor-a'), 'NodeNotFound', missing);
    await rejectsWith(store.nodes.release(missing, 'conductor-a'), 'NodeNotFound', missing);
    await rejectsWith(store.nodes.reservation(missing), 'NodeNotFound', missing);
  });

  it('releaseAll frees every lock of one host and clears their target power state', async () => {
    const store = await db.open();
    const mine = [];
    for (let i = 0; i < 3; i++) {
      const node = await store.nodes.create({ driver: 'd', targetPowerState: 'power on' });
      await store.nodes.reserve(node.uuid, 'conductor-a');
      mine.push(node.uuid);
    }
    const theirs = await store.nodes.create({ driver: 'd', targetPowerState: 'power off' });
    await store.nodes.reserve(theirs.uuid, 'conductor-b');
    const free = await store.nodes.create({ driver: 'd', targetPowerState: 'rebooting' });

    const released = await store.nodes.releaseAll('conductor-a');

    assert.deepEqual([...released].sort(), [...mine].sort());
    for (const uuid of mine) {
      const node = await store.nodes.get(uuid);
      assert.equal(node.reservation, null);
      assert.equal(node.targetPowerState, null);
    }
    const other = await store.nodes.get(theirs.uuid);
    assert.equal(other.reservation, 'conductor-b');
    assert.equal(other.targetPowerState, 'power off');
    assert.equal((await store.nodes.get(free.uuid)).targetPowerState, 'rebooting');
    assert.deepEqual(await store.nodes.releaseAll('conductor-a'), []);
  });

  it('gives the lock to exactly one of 50 concurrent reserve calls', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'd' });
    const hosts = Array.from({ length: 50 }, (_, i) => `conductor-${i}`);
    const results = await Promise.all(hosts.map((h) => store.nodes.reserve(node.uuid, h)));
    const winners = hosts.filter((_, i) => results[i]);
    assert.equal(winners.length, 1);
    assert.equal(await store.nodes.reservation(node.uuid), winners[0]);
  });

  it('shares locks between two stores opened on the same database', async () => {
    const url = await db.freshUrl();
    const first = await db.openUrl(url);
    const second = await db.openUrl(url);
    const node = await first.nodes.create({ driver: 'd' });
    assert.equal(await first.nodes.reserve(node.uuid, 'conductor-a'), true);
    assert.equal(await second.nodes.reserve(node.uuid, 'conductor-b'), false);
    assert.equal(await second.nodes.reservation(node.uuid), 'conductor-a');
    assert.equal(await second.nodes.release(node.uuid, 'conductor-a'), true);
    assert.equal(await first.nodes.reserve(node.uuid, 'conductor-c'), true);
    assert.equal(await second.nodes.reserve(node.uuid, 'conductor-b'), false);
    // Both race for a second node: still exactly one winner across the two stores.
    const contested = await second.nodes.create({ driver: 'd' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? first : second).nodes.reserve(contested.uuid, `host-${i}`),
      ),
    );
    assert.equal(results.filter(Boolean).length, 1);
  });
});

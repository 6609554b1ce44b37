import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';

async function revisionOf(store: Store, uuid: string): Promise<number> {
  const found = (await store.nodes.revisions()).find((r) => r.uuid === uuid);
  assert.ok(found, `no revision for ${uuid}`);
  return found.revision;
}

forEachDatabase((db) => {
  it('changes a node’s revision with every kind of write, and lists revisions like list', async () => {
    const store = await db.open();
    const node = await store.nodes.create({ driver: 'fake-hardware', name: 'r1' });
    const other = await store.nodes.create({ driver: 'fake-hardware', name: 'r2' });
    const seen = [await revisionOf(store, node.uuid)];
    const step = async (what: string, write: () => Promise<unknown>) => {
      await write();
      const now = await revisionOf(store, node.uuid);
      assert.ok(!seen.includes(now), `${what} left the revision at ${now}`);
      seen.push(now);
    };
    await step('update', () => store.nodes.update(node.uuid, { extra: { a: 1 } }));
    await step('write', () => store.nodes.write(node.uuid, { powerState: 'power on' }));
    await step('lock', () => store.nodes.lock(node.uuid, 'c1'));
    await step('release with changes', () =>
      store.nodes.release(node.uuid, 'c1', { lastError: 'x' }),
    );
    await step('reserve', () => store.nodes.reserve(node.uuid, 'c1'));
    await step('release', () => store.nodes.release(node.uuid, 'c1'));
    await step('traits', () => store.nodes.setTraits(node.uuid, ['CUSTOM_A']));
    await step('allocation', () =>
      store.allocations.create({ nodeUuid: node.uuid, resourceClass: 'x' }),
    );
    const list = await store.nodes.list();
    assert.deepEqual(
      (await store.nodes.revisions()).map((r) => r.uuid),
      list.map((n) => n.uuid),
    );
    const revised = await store.nodes.getWithRevisions([
      other.uuid,
      node.uuid,
      crypto.randomUUID(),
    ]);
    assert.deepEqual(revised.map((r) => r.node.uuid).sort(), [node.uuid, other.uuid].sort());
    const mine = revised.find((r) => r.node.uuid === node.uuid);
    assert.equal(mine?.revision, seen.at(-1));
    assert.deepEqual(mine?.node.traits, ['CUSTOM_A']);
    assert.deepEqual(await store.nodes.getWithRevisions([]), []);
    const latest = { uuid: node.uuid, revision: seen.at(-1) };
    assert.deepEqual(await store.nodes.revisionOf(node.uuid), latest);
    assert.deepEqual(await store.nodes.revisionOf('r1'), latest, 'by name');
    assert.equal(await store.nodes.revisionOf(crypto.randomUUID()), undefined);
    assert.equal(await store.nodes.revisionOf('nobody'), undefined);
  });

  it('starts a node created again under the same uuid at another revision', async () => {
    const store = await db.open();
    const uuid = crypto.randomUUID();
    const revisions = new Set<number>();
    for (let i = 0; i < 5; i++) {
      await store.nodes.create({ uuid, driver: 'fake-hardware' });
      revisions.add(await revisionOf(store, uuid));
      await store.nodes.delete(uuid);
    }
    assert.ok(revisions.size >= 4, `revisions repeat: ${[...revisions].join(', ')}`);
  });
});

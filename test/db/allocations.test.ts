import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { Allocation } from '../../src/common/records.ts';
import type { Store } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 3, 4, 5, 6, 7, 891);

async function allocationOf(store: Store, node: string): Promise<string | null> {
  return (await store.nodes.get(node)).allocationUuid;
}

forEachDatabase((db) => {
  it('creates an allocation with defaults, round-trips every field, gets by uuid or name', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const plain = await store.allocations.create({});
    const expectedPlain: Allocation = {
      uuid: plain.uuid,
      name: null,
      nodeUuid: null,
      state: 'allocating',
      lastError: null,
      resourceClass: null,
      traits: [],
      candidateNodes: [],
      extra: {},
      owner: null,
      conductorAffinity: null,
      createdAt: new Date(T0),
      updatedAt: null,
    };
    assert.deepEqual(plain, expectedPlain);
    assert.deepEqual(await store.allocations.get(plain.uuid), expectedPlain);

    const node = await store.nodes.create({ driver: 'd' });
    const rich: Omit<Allocation, 'createdAt' | 'updatedAt'> = {
      uuid: randomUUID(),
      name: 'alloc-1',
      nodeUuid: node.uuid,
      state: 'active',
      lastError: 'an earlier failure',
      resourceClass: 'baremetal.large',
      traits: ['CUSTOM_GPU', 'CUSTOM_RAID1'],
      candidateNodes: [node.uuid, randomUUID()],
      extra: { nested: { list: [1, null, 'x'] } },
      owner: 'project-a',
      conductorAffinity: 'conductor-1',
    };
    const created = await store.allocations.create(structuredClone(rich));
    const expected: Allocation = { ...rich, createdAt: new Date(T0), updatedAt: null };
    assert.deepEqual(created, expected);
    assert.deepEqual(await store.allocations.get(rich.uuid), expected);
    assert.deepEqual(await store.allocations.get('alloc-1'), expected);

    const missing = randomUUID();
    await rejectsWith(store.allocations.get(missing), 'AllocationNotFound', missing);
    await rejectsWith(
      store.allocations.get('no-such-alloc'),
      'AllocationNotFound',
      'no-such-alloc',
    );
  });

  it('updates only the given fields and stamps updatedAt; AllocationNotFound when missing', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const allocation = await store.allocations.create({ name: 'a', resourceClass: 'rc' });
    await clock.advance(10);
    const updated = await store.allocations.update(allocation.uuid, {
      state: 'error',
      lastError: 'no node found',
      extra: { retry: 1 },
    });
    assert.deepEqual(updated, {
      ...allocation,
      state: 'error',
      lastError: 'no node found',
      extra: { retry: 1 },
      updatedAt: new Date(T0 + 10),
    });
    assert.deepEqual(await store.allocations.get(allocation.uuid), updated);
    const renamed = await store.allocations.update(allocation.uuid, { name: null });
    assert.equal(renamed.name, null);
    assert.equal(renamed.resourceClass, 'rc');

    const missing = randomUUID();
    await rejectsWith(store.allocations.update(missing, { state: 'active' }), 'AllocationNotFound');
    await rejectsWith(
      store.allocations.update(missing, { nodeUuid: null }),
      'AllocationNotFound',
      missing,
    );
    await store.allocations.delete(allocation.uuid);
    await rejectsWith(store.allocations.get(allocation.uuid), 'AllocationNotFound');
    await rejectsWith(store.allocations.delete(allocation.uuid), 'AllocationNotFound');
  });

  it('refuses a duplicate uuid (AllocationAlreadyExists) or name (AllocationDuplicateName)', async () => {
    const store = await db.open();
    const first = await store.allocations.create({ name: 'taken' });
    await rejectsWith(
      store.allocations.create({ uuid: first.uuid }),
      'AllocationAlreadyExists',
      first.uuid,
    );
    await rejectsWith(
      store.allocations.create({ name: 'taken' }),
      'AllocationDuplicateName',
      'taken',
    );
    const other = await store.allocations.create({ name: 'free' });
    await rejectsWith(
      store.allocations.update(other.uuid, { name: 'taken' }),
      'AllocationDuplicateName',
      'taken',
    );
    assert.equal((await store.allocations.get(other.uuid)).name, 'free');
    // Unnamed allocations do not collide.
    await store.allocations.create({});
    await store.allocations.create({});
    assert.equal((await store.allocations.list()).length, 4);
  });

  it("keeps the node's allocationUuid in step as the allocation gets, moves and loses its node", async () => {
    const store = await db.open();
    const a = (await store.nodes.create({ driver: 'd' })).uuid;
    const b = (await store.nodes.create({ driver: 'd' })).uuid;

    const allocation = await store.allocations.create({ nodeUuid: a });
    assert.equal(await allocationOf(store, a), allocation.uuid);

    const moved = await store.allocations.update(allocation.uuid, { nodeUuid: b });
    assert.equal(moved.nodeUuid, b);
    assert.equal(await allocationOf(store, a), null);
    assert.equal(await allocationOf(store, b), allocation.uuid);

    // Other changes leave the node alone.
    await store.allocations.update(allocation.uuid, { nodeUuid: b, state: 'active' });
    assert.equal(await allocationOf(store, b), allocation.uuid);

    const released = await store.allocations.update(allocation.uuid, { nodeUuid: null });
    assert.equal(released.nodeUuid, null);
    assert.equal(await allocationOf(store, b), null);

    const later = await store.allocations.update(allocation.uuid, { nodeUuid: a });
    assert.equal(later.nodeUuid, a);
    assert.equal(await allocationOf(store, a), allocation.uuid);
    await store.allocations.delete(allocation.uuid);
    assert.equal(await allocationOf(store, a), null);
    // instance_uuid is the conductor's: the store never set or cleared it.
    assert.equal((await store.nodes.get(a)).instanceUuid, null);
  });

  it('refuses a node that holds another allocation or instance (NodeAssociated), or does not exist', async () => {
    const store = await db.open();
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    const first = await store.allocations.create({ nodeUuid: node });

    await rejectsWith(
      store.allocations.create({ nodeUuid: node, name: 'second' }),
      'NodeAssociated',
      first.uuid,
    );
    // Rolled back whole: the second allocation was not left behind without its node.
    await rejectsWith(store.allocations.get('second'), 'AllocationNotFound');
    const second = await store.allocations.create({ name: 'second' });
    await rejectsWith(
      store.allocations.update(second.uuid, { nodeUuid: node }),
      'NodeAssociated',
      node,
    );
    assert.equal((await store.allocations.get(second.uuid)).nodeUuid, null);
    assert.equal(await allocationOf(store, node), first.uuid);

    const busy = await store.nodes.create({ driver: 'd', instanceUuid: randomUUID() });
    await rejectsWith(
      store.allocations.update(second.uuid, { nodeUuid: busy.uuid }),
      'NodeAssociated',
      busy.instanceUuid ?? '',
    );
    // An instance whose uuid is the allocation's own is no obstacle.
    const own = await store.nodes.create({ driver: 'd', instanceUuid: second.uuid });
    await store.allocations.update(second.uuid, { nodeUuid: own.uuid });
    assert.equal(await allocationOf(store, own.uuid), second.uuid);

    const missing = randomUUID();
    await rejectsWith(store.allocations.create({ nodeUuid: missing }), 'NodeNotFound', missing);
    await rejectsWith(
      store.allocations.update(first.uuid, { nodeUuid: missing }),
      'NodeNotFound',
      missing,
    );
    // The failed move left everything where it was.
    assert.equal((await store.allocations.get(first.uuid)).nodeUuid, node);
    assert.equal(await allocationOf(store, node), first.uuid);
  });

  it("deletes a node's allocation with the node, and leaves the others", async () => {
    const store = await db.open();
    const doomed = (await store.nodes.create({ driver: 'd' })).uuid;
    const kept = (await store.nodes.create({ driver: 'd' })).uuid;
    const gone = await store.allocations.create({ nodeUuid: doomed });
    const stays = await store.allocations.create({ nodeUuid: kept });
    const unassigned = await store.allocations.create({});
    await store.nodes.delete(doomed);
    await rejectsWith(store.allocations.get(gone.uuid), 'AllocationNotFound');
    assert.deepEqual(
      (await store.allocations.list()).map((a) => a.uuid).sort(),
      [stays.uuid, unassigned.uuid].sort(),
    );
    assert.equal(await allocationOf(store, kept), stays.uuid);
  });

  it('lists by node, resource class, state and owner, with pages in any sort order', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    const all: Allocation[] = [];
    for (let i = 0; i < 7; i++) {
      all.push(
        await store.allocations.create({
          name: `alloc-${String(6 - i)}`,
          resourceClass: i % 2 === 0 ? 'even' : 'odd',
          state: i < 2 ? 'active' : 'allocating',
          owner: i === 3 ? 'project-x' : null,
          nodeUuid: i === 5 ? node : null,
        }),
      );
      await clock.advance(1);
    }
    const uuids = (list: readonly Allocation[]) => list.map((a) => a.uuid);
    assert.deepEqual(await store.allocations.list(), all);
    assert.deepEqual(uuids(await store.allocations.list({ nodeUuid: node })), [all[5]?.uuid]);
    assert.deepEqual(
      uuids(await store.allocations.list({ resourceClass: 'odd' })),
      uuids(all.filter((_, i) => i % 2 === 1)),
    );
    assert.deepEqual(
      uuids(await store.allocations.list({ state: 'active' })),
      uuids(all.slice(0, 2)),
    );
    assert.deepEqual(uuids(await store.allocations.list({ owner: 'project-x' })), [all[3]?.uuid]);
    assert.deepEqual(await store.allocations.list({ state: 'active', resourceClass: 'odd' }), [
      all[1],
    ]);
    assert.deepEqual(await store.allocations.list({ state: 'error' }), []);

    for (const [sortKey, expected] of [
      ['createdAt', all],
      ['name', [...all].reverse()],
    ] as const) {
      const seen: Allocation[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await store.allocations.list({}, { limit: 3, marker, sortKey });
        seen.push(...page);
        if (page.length < 3) break;
        marker = page.at(-1)?.uuid;
      }
      assert.deepEqual(seen, expected, sortKey);
    }
    assert.deepEqual(
      await store.allocations.list({}, { sortKey: 'createdAt', sortDir: 'desc', limit: 2 }),
      [all[6], all[5]],
    );
    await rejectsWith(
      store.allocations.list({}, { marker: randomUUID(), sortKey: 'name' }),
      'AllocationNotFound',
    );
    await rejectsWith(
      store.allocations.list({}, { sortKey: 'traits' as 'name' }),
      'InvalidParameterValue',
    );
  });
});

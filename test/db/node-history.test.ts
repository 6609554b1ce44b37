import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { NodeHistoryEvent } from '../../src/common/records.ts';
import type { Store } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 5, 6, 7, 8, 9, 123);

/** Records `count` events for `node`, one clock tick apart; returns them oldest first. */
async function recordEvents(
  store: Store,
  clock: SimulatedClock,
  node: string,
  count: number,
): Promise<NodeHistoryEvent[]> {
  const events: NodeHistoryEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push(
      await store.nodeHistory.record({
        nodeUuid: node,
        event: `failure ${String(i)}`,
        eventType: 'provisioning',
        severity: 'ERROR',
      }),
    );
    await clock.advance(1);
  }
  return events;
}

const uuids = (events: readonly NodeHistoryEvent[]) => events.map((e) => e.uuid);

forEachDatabase((db) => {
  it('records, gets and lists a node history, oldest first', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    const other = (await store.nodes.create({ driver: 'd' })).uuid;
    const plain = await store.nodeHistory.record({
      nodeUuid: node,
      event: 'Deploy failed: no image',
      eventType: 'deploy',
      severity: 'ERROR',
    });
    assert.deepEqual(plain, {
      uuid: plain.uuid,
      nodeUuid: node,
      conductor: null,
      event: 'Deploy failed: no image',
      eventType: 'deploy',
      severity: 'ERROR',
      user: null,
      createdAt: new Date(T0),
    });
    await clock.advance(1);
    const full = await store.nodeHistory.record({
      uuid: randomUUID(),
      nodeUuid: node,
      conductor: 'conductor-1',
      event: 'Maintenance set',
      eventType: 'maintenance',
      severity: 'INFO',
      user: 'admin',
    });
    assert.deepEqual(full.createdAt, new Date(T0 + 1));
    const elsewhere = await store.nodeHistory.record({
      nodeUuid: other,
      event: 'x',
      eventType: 'console',
      severity: 'WARNING',
    });

    assert.deepEqual(await store.nodeHistory.get(node, full.uuid), full);
    assert.deepEqual(await store.nodeHistory.list(node), [plain, full]);
    assert.deepEqual(await store.nodeHistory.list(other), [elsewhere]);
    assert.deepEqual(await store.nodeHistory.list(node, { sortDir: 'desc', limit: 1 }), [full]);

    // An event is only found through its own node.
    await rejectsWith(store.nodeHistory.get(other, full.uuid), 'NodeHistoryNotFound', full.uuid);
    const missing = randomUUID();
    await rejectsWith(store.nodeHistory.get(node, missing), 'NodeHistoryNotFound', missing);
  });

  it('reports a missing node as NodeNotFound, and an empty history as empty', async () => {
    const store = await db.open();
    const missing = randomUUID();
    await rejectsWith(
      store.nodeHistory.record({ nodeUuid: missing, event: 'e', eventType: 't', severity: 'INFO' }),
      'NodeNotFound',
      missing,
    );
    await rejectsWith(store.nodeHistory.list(missing), 'NodeNotFound', missing);
    await rejectsWith(store.nodeHistory.get(missing, randomUUID()), 'NodeNotFound', missing);
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    assert.deepEqual(await store.nodeHistory.list(node), []);
  });

  it('pages through a history with a marker, both ways', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    const events = await recordEvents(store, clock, node, 7);
    for (const sortDir of ['asc', 'desc'] as const) {
      const seen: NodeHistoryEvent[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await store.nodeHistory.list(node, { limit: 3, marker, sortDir });
        seen.push(...page);
        if (page.length < 3) break;
        marker = page.at(-1)?.uuid;
      }
      assert.deepEqual(seen, sortDir === 'asc' ? events : [...events].reverse());
    }
    await rejectsWith(
      store.nodeHistory.list(node, { marker: randomUUID() }),
      'NodeHistoryNotFound',
    );
  });

  it('prunes all but the newest events of each node', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const a = (await store.nodes.create({ driver: 'd' })).uuid;
    const b = (await store.nodes.create({ driver: 'd' })).uuid;
    const c = (await store.nodes.create({ driver: 'd' })).uuid;
    const onA = await recordEvents(store, clock, a, 6);
    const onB = await recordEvents(store, clock, b, 2);
    const onC = await recordEvents(store, clock, c, 5);

    // Only node a's history, and only what is older than its fifth event.
    const fifthOfA = onA[4]?.createdAt ?? new Date(0);
    assert.equal(
      await store.nodeHistory.prune({ keep: 1, nodeUuids: [a], createdBefore: fifthOfA }),
      4,
    );
    assert.deepEqual(uuids(await store.nodeHistory.list(a)), uuids(onA.slice(4)));
    assert.equal((await store.nodeHistory.list(c)).length, 5);

    assert.equal(await store.nodeHistory.prune({ keep: 3 }), 2);
    assert.deepEqual(uuids(await store.nodeHistory.list(a)), uuids(onA.slice(4)));
    assert.deepEqual(uuids(await store.nodeHistory.list(b)), uuids(onB));
    assert.deepEqual(uuids(await store.nodeHistory.list(c)), uuids(onC.slice(2)));
    // Nothing left to prune.
    assert.equal(await store.nodeHistory.prune({ keep: 3 }), 0);
    assert.equal(await store.nodeHistory.prune({ keep: 0, nodeUuids: [] }), 0);

    assert.equal(await store.nodeHistory.prune({ keep: 0, nodeUuids: [b, c] }), 5);
    assert.deepEqual(await store.nodeHistory.list(b), []);
    assert.equal((await store.nodeHistory.list(a)).length, 2);

    for (const keep of [-1, 1.5, Number.NaN]) {
      await rejectsWith(store.nodeHistory.prune({ keep }), 'InvalidParameterValue');
    }
  });

  it('breaks ties between events of the same millisecond by uuid when pruning', async () => {
    const store = await db.open({ clock: new SimulatedClock(T0) });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    for (let i = 0; i < 4; i++) {
      await store.nodeHistory.record({
        nodeUuid: node,
        event: 'e',
        eventType: 't',
        severity: 'INFO',
      });
    }
    const byUuid = uuids(await store.nodeHistory.list(node, { sortKey: 'uuid' }));
    assert.equal(await store.nodeHistory.prune({ keep: 2 }), 2);
    assert.deepEqual(
      uuids(await store.nodeHistory.list(node, { sortKey: 'uuid' })),
      byUuid.slice(2),
    );
  });

  it("deletes a node's history with the node", async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const doomed = (await store.nodes.create({ driver: 'd' })).uuid;
    const kept = (await store.nodes.create({ driver: 'd' })).uuid;
    const [event] = await recordEvents(store, clock, doomed, 3);
    const survivors = await recordEvents(store, clock, kept, 2);
    await store.nodes.delete(doomed);
    await rejectsWith(store.nodeHistory.list(doomed), 'NodeNotFound');
    await rejectsWith(store.nodeHistory.get(doomed, event?.uuid ?? ''), 'NodeNotFound');
    assert.deepEqual(await store.nodeHistory.list(kept), survivors);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { Node } from '../../src/common/records.ts';
import type { NodeFilter, NodeSortKey, Store } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 0, 1);

/** Every page of `list` with `limit`, following markers; checks no page is longer than asked. */
async function pageAll(
  store: Store,
  limit: number,
  sortKey?: NodeSortKey,
  sortDir?: 'asc' | 'desc',
  filter: NodeFilter = {},
): Promise<string[]> {
  const seen: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await store.nodes.list(filter, { limit, marker, sortKey, sortDir });
    assert.ok(page.length <= limit);
    seen.push(...page.map((n) => n.uuid));
    if (page.length < limit) return seen;
    marker = page.at(-1)?.uuid;
  }
}

/** (key, uuid) order with NULLs first ascending and last descending, as the store documents. */
function expectedOrder(
  nodes: readonly Node[],
  key: (n: Node) => string | null,
  dir: 'asc' | 'desc',
): string[] {
  const sorted = [...nodes].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) {
      if (ka === null) return -1;
      if (kb === null) return 1;
      return ka < kb ? -1 : 1;
    }
    return a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0;
  });
  const uuids = sorted.map((n) => n.uuid);
  return dir === 'asc' ? uuids : uuids.reverse();
}

forEachDatabase((db) => {
  it('lists in creation order by default, and counts', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      created.push((await store.nodes.create({ driver: 'd' })).uuid);
      await clock.advance(10);
    }
    assert.deepEqual(
      (await store.nodes.list()).map((n) => n.uuid),
      created,
    );
    assert.equal(await store.nodes.count(), 5);
  });

  it('pages with a marker through more rows than the limit, ascending and descending, by every kind of key', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const nodes: Node[] = [];
    for (let i = 0; i < 23; i++) {
      // Same creation time in pairs, so ties are broken by uuid; every third node unnamed.
      if (i % 2 === 0) await clock.advance(1000);
      const node = await store.nodes.create({
        driver: i % 3 === 0 ? 'ipmi' : 'redfish',
        name: i % 3 === 1 ? null : `node-${String(i).padStart(2, '0')}`,
      });
      nodes.push(node);
    }
    const created = (n: Node) => n.createdAt.toISOString();
    for (const dir of ['asc', 'desc'] as const) {
      assert.deepEqual(
        await pageAll(store, 5, 'createdAt', dir),
        expectedOrder(nodes, created, dir),
      );
      assert.deepEqual(
        await pageAll(store, 4, 'uuid', dir),
        expectedOrder(nodes, (n) => n.uuid, dir),
      );
      assert.deepEqual(
        await pageAll(store, 3, 'name', dir),
        expectedOrder(nodes, (n) => n.name, dir),
      );
      assert.deepEqual(
        await pageAll(store, 6, 'driver', dir),
        expectedOrder(nodes, (n) => n.driver, dir),
      );
      // A key that is NULL on every row: the whole walk happens inside one run of NULLs.
      assert.deepEqual(
        await pageAll(store, 7, 'powerState', dir),
        expectedOrder(nodes, () => null, dir),
      );
    }
    assert.deepEqual(await pageAll(store, 23), expectedOrder(nodes, created, 'asc'));
    assert.deepEqual(await pageAll(store, 100), expectedOrder(nodes, created, 'asc'));
  });

  it('pages through a filtered list', async () => {
    const store = await db.open();
    const wanted: string[] = [];
    for (let i = 0; i < 12; i++) {
      const node = await store.nodes.create({ driver: i % 2 === 0 ? 'even' : 'odd' });
      if (i % 2 === 0) wanted.push(node.uuid);
    }
    const walked = await pageAll(store, 4, 'uuid', 'asc', { driver: 'even' });
    assert.deepEqual(walked, [...wanted].sort());
  });

  it('treats an unknown marker as NodeNotFound, except when walking by uuid', async () => {
    const store = await db.open();
    const a = await store.nodes.create({ driver: 'd' });
    const b = await store.nodes.create({ driver: 'd' });
    const gone = randomUUID();
    await rejectsWith(store.nodes.list({}, { marker: gone, limit: 1 }), 'NodeNotFound', gone);
    // A sweep in uuid order survives the deletion of its marker row.
    const [first, second] = [a.uuid, b.uuid].sort();
    await store.nodes.delete(first!);
    const rest = await store.nodes.list({}, { marker: first, sortKey: 'uuid', limit: 10 });
    assert.deepEqual(
      rest.map((n) => n.uuid),
      [second],
    );
  });

  it('refuses an unknown sort key or a bad limit, and returns nothing for limit 0', async () => {
    const store = await db.open();
    await store.nodes.create({ driver: 'd' });
    await rejectsWith(
      store.nodes.list({}, { sortKey: 'reservation' as NodeSortKey }),
      'InvalidParameterValue',
      'reservation',
    );
    await rejectsWith(store.nodes.list({}, { limit: -1 }), 'InvalidParameterValue');
    await rejectsWith(store.nodes.list({}, { limit: 1.5 }), 'InvalidParameterValue');
    assert.deepEqual(await store.nodes.list({}, { limit: 0 }), []);
  });

  it('filters on every NodeFilter field, alone and combined, in list and count', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const chassis = await store.chassis.create({});
    const instance = randomUUID();
    const a = await store.nodes.create({
      driver: 'ipmi',
      provisionState: 'active',
      maintenance: true,
      instanceUuid: instance,
      resourceClass: 'large',
      conductorGroup: 'rack1',
      conductorAffinity: 'c1',
      fault: 'power failure',
      owner: 'p1',
      lessee: 'l1',
      chassisUuid: chassis.uuid,
      targetPowerState: 'power on',
      provisionUpdatedAt: new Date(T0 - 60_000),
      inspectionStartedAt: new Date(T0 - 60_000),
    });
    const b = await store.nodes.create({
      driver: 'redfish',
      provisionState: 'available',
      provisionUpdatedAt: new Date(T0),
      inspectionStartedAt: new Date(T0),
    });
    const c = await store.nodes.create({ driver: 'redfish', provisionState: 'clean wait' });
    await store.nodes.reserve(b.uuid, 'host-b');
    await store.nodes.reserve(c.uuid, 'host-c');

    const cases: [NodeFilter, Node[]][] = [
      [{}, [a, b, c]],
      [{ provisionState: 'active' }, [a]],
      [{ provisionState: ['available', 'clean wait'] }, [b, c]],
      [{ provisionState: [] }, []],
      [{ maintenance: true }, [a]],
      [{ maintenance: false }, [b, c]],
      [{ reserved: true }, [b, c]],
      [{ reserved: false }, [a]],
      [{ reservedBy: ['host-c', 'host-x'] }, [c]],
      [{ reservedBy: [] }, []],
      [{ driver: 'redfish' }, [b, c]],
      [{ associated: true }, [a]],
      [{ associated: false }, [b, c]],
      [{ instanceUuid: instance }, [a]],
      [{ resourceClass: 'large' }, [a]],
      [{ conductorGroup: 'rack1' }, [a]],
      [{ conductorGroup: '' }, [b, c]],
      [{ conductorAffinity: 'c1' }, [a]],
      [{ fault: 'power failure' }, [a]],
      [{ owner: 'p1' }, [a]],
      [{ lessee: 'l1' }, [a]],
      [{ chassisUuid: chassis.uuid }, [a]],
      [{ provisionUpdatedBefore: new Date(T0) }, [a]],
      [{ provisionUpdatedBefore: new Date(T0 + 1) }, [a, b]],
      [{ inspectionStartedBefore: new Date(T0) }, [a]],
      [{ powerActionInFlight: true }, [a]],
      [{ powerActionInFlight: false }, [b, c]],
      [{ driver: 'redfish', reserved: true, provisionState: ['clean wait', 'active'] }, [c]],
      [{ driver: 'ipmi', maintenance: false }, []],
    ];
    for (const [filter, expected] of cases) {
      const uuids = expected.map((n) => n.uuid).sort();
      const listed = (await store.nodes.list(filter)).map((n) => n.uuid).sort();
      assert.deepEqual(listed, uuids, `list ${JSON.stringify(filter)}`);
      assert.equal(
        await store.nodes.count(filter),
        uuids.length,
        `count ${JSON.stringify(filter)}`,
      );
    }
  });

  it('filters on retired, and on a description fragment taken literally and without case', async () => {
    const store = await db.open();
    const plain = await store.nodes.create({
      driver: 'fake-hardware',
      description: 'Rack 12, row B',
    });
    const wild = await store.nodes.create({ driver: 'fake-hardware', description: '100% used_up' });
    const retired = await store.nodes.create({ driver: 'fake-hardware', retired: true });
    const uuids = async (filter: NodeFilter) =>
      (await store.nodes.list(filter)).map((n) => n.uuid).sort();
    assert.deepEqual(await uuids({ retired: true }), [retired.uuid]);
    assert.deepEqual(await uuids({ retired: false }), [plain.uuid, wild.uuid].sort());
    assert.deepEqual(await uuids({ descriptionContains: 'rack 12' }), [plain.uuid]);
    assert.deepEqual(await uuids({ descriptionContains: '0% u' }), [wild.uuid]);
    assert.deepEqual(await uuids({ descriptionContains: 'd_u' }), [wild.uuid]);
    assert.deepEqual(await uuids({ descriptionContains: '_' }), [wild.uuid], '_ is no wildcard');
    assert.deepEqual(await uuids({ descriptionContains: '%' }), [wild.uuid], '% is no wildcard');
    assert.deepEqual(await uuids({ descriptionContains: 'x\\y' }), []);
  });

  it('loads the traits of every listed node', async () => {
    const store = await db.open();
    const uuids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const traits = i % 3 === 0 ? [] : [`CUSTOM_${i}`, 'CUSTOM_ALL'];
      uuids.push((await store.nodes.create({ driver: 'd', traits })).uuid);
    }
    const listed = await store.nodes.list({}, { limit: 20 });
    assert.equal(listed.length, 20);
    for (const node of listed) {
      const i = uuids.indexOf(node.uuid);
      assert.deepEqual(node.traits, i % 3 === 0 ? [] : [`CUSTOM_${i}`, 'CUSTOM_ALL'].sort());
    }
  });
});

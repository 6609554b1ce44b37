import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openStore } from '../../src/db/open.ts';
import { forEachDatabase } from '../support/databases.ts';
import { makePort } from '../support/node.ts';
import { rejectsWith } from './assertions.ts';

forEachDatabase((db) => {
  it('names its dialect', async () => {
    const store = await db.open();
    assert.equal(store.dialect, db.dialect);
  });

  it('commits a transaction when its work resolves, and returns its result', async () => {
    const store = await db.open();
    const result = await store.transaction(async (tx) => {
      const node = await tx.nodes.create({ driver: 'd', name: 'in-tx' });
      await tx.ports.create(makePort(node.uuid));
      // The transaction sees its own writes.
      assert.equal((await tx.nodes.get('in-tx')).uuid, node.uuid);
      return node.uuid;
    });
    assert.equal((await store.nodes.get('in-tx')).uuid, result);
    assert.equal((await store.ports.list({ nodeUuid: result })).length, 1);
  });

  it('rolls a transaction back when its work throws, and rethrows the error', async () => {
    const store = await db.open();
    const existing = await store.nodes.create({ driver: 'd', extra: { v: 1 } });
    const failure = new Error('work failed');
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.nodes.create({ driver: 'd', name: 'never' });
        await tx.nodes.update(existing.uuid, { extra: { v: 2 } });
        await tx.nodes.setTraits(existing.uuid, ['CUSTOM_X']);
        assert.equal(await tx.nodes.reserve(existing.uuid, 'c1'), true);
        throw failure;
      }),
      (error) => error === failure,
    );
    assert.equal(await store.nodes.find('never'), undefined);
    const after = await store.nodes.get(existing.uuid);
    assert.deepEqual(after.extra, { v: 1 });
    assert.deepEqual(after.traits, []);
    assert.equal(after.reservation, null);
  });

  it('rolls back when a write in the transaction violates a constraint, with the catalogue error', async () => {
    const store = await db.open();
    await store.nodes.create({ driver: 'd', name: 'taken' });
    await rejectsWith(
      store.transaction(async (tx) => {
        await tx.nodes.create({ driver: 'd', name: 'first' });
        await tx.nodes.create({ driver: 'd', name: 'taken' });
      }),
      'DuplicateName',
      'taken',
    );
    assert.equal(await store.nodes.find('first'), undefined);
    assert.equal(await store.nodes.count(), 1);
  });

  it('joins the current transaction when transaction() is called inside one', async () => {
    const store = await db.open();
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.transaction(async (inner) => {
          await inner.nodes.create({ driver: 'd', name: 'inner' });
        });
        // Repository methods that use a transaction themselves join it too.
        await tx.chassis.create({});
        throw new Error('undo everything');
      }),
      /undo everything/,
    );
    assert.equal(await store.nodes.count(), 0);
    assert.deepEqual(await store.chassis.list(), []);
  });

  it('lets other flows use the store while a transaction runs', async () => {
    const store = await db.open();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const running = store.transaction(async (tx) => {
      await tx.nodes.create({ driver: 'd' });
      started();
      await gate;
    });
    await inside;
    // SQLite: waits for the commit and sees the node; PostgreSQL: reads the last committed state.
    const counting = store.nodes.count();
    release();
    await running;
    assert.ok([0, 1].includes(await counting));
    assert.equal(await store.nodes.count(), 1);
  });

  it('refuses migrate() and close() on a store bound to a transaction', async () => {
    const store = await db.open();
    await store.transaction(async (tx) => {
      await rejectsWith(tx.migrate(), 'InvalidState');
      await rejectsWith(tx.close(), 'InvalidState');
    });
  });

  it('migrates once: reopening keeps the data, and migrate() again changes nothing', async () => {
    const url = await db.freshUrl();
    const first = await openStore(url);
    const node = await first.nodes.create({ driver: 'd', name: 'persisted' });
    await first.migrate();
    await first.close();
    await first.close();
    const second = await db.openUrl(url);
    assert.equal((await second.nodes.get('persisted')).uuid, node.uuid);
  });

  it('several stores on one database see each other’s writes', async () => {
    // One process should hold one store per SQLite file (better-sqlite3 is
    // synchronous: a second connection waiting for the first one's write
    // lock blocks the thread the first one needs); several here only show
    // that they share the data. Processes are tested in store-processes.test.ts.
    const url = await db.freshUrl();
    const first = await db.openUrl(url);
    const second = await db.openUrl(url);
    await first.nodes.create({ driver: 'd', name: 'seen-by-all' });
    assert.equal((await second.nodes.get('seen-by-all')).driver, 'd');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createSqliteKysely } from './sqlite-kysely.ts';
import { WriteGroup } from './write-group.ts';

async function table(): Promise<ReturnType<typeof createSqliteKysely>> {
  const db = createSqliteKysely(':memory:');
  await sql`create table t (k text primary key)`.execute(db);
  return db;
}

async function keys(db: ReturnType<typeof createSqliteKysely>): Promise<string[]> {
  const { rows } = await sql<{ k: string }>`select k from t order by k`.execute(db);
  return rows.map((r) => r.k);
}

describe('WriteGroup', () => {
  it('commits writes queued in one turn together, each failure on its own', async () => {
    const db = await table();
    const group = new WriteGroup(db);
    const seen: boolean[] = [];
    const insert = (k: string) => async (tx: typeof db) => {
      seen.push(tx.isTransaction);
      await sql`insert into t (k) values (${k})`.execute(tx);
      return k;
    };
    const results = await Promise.allSettled([
      group.run(insert('a'), true),
      group.run(insert('a'), true),
      // Two statements, the second failing: the first is undone with it.
      group.run(async (tx) => {
        await insert('b')(tx);
        await insert('a')(tx);
      }),
      group.run(insert('c'), true),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
    assert.ok(seen.every(Boolean), 'all ran in the shared transaction');
    assert.deepEqual(await keys(db), ['a', 'c']);
    await db.destroy();
  });

  it('runs a write alone without a transaction of its own when it is one statement', async () => {
    const db = await table();
    const group = new WriteGroup(db);
    let inTransaction: boolean | undefined;
    await group.run(async (tx) => {
      inTransaction = tx.isTransaction;
      await sql`insert into t (k) values ('x')`.execute(tx);
    }, true);
    assert.equal(inTransaction, false);
    await group.drain();
    assert.deepEqual(await keys(db), ['x']);
    await db.destroy();
  });

  it('drain waits for writes still queued', async () => {
    const db = await table();
    const group = new WriteGroup(db);
    const pending = [group.run((tx) => sql`insert into t (k) values ('q')`.execute(tx), true)];
    await group.drain();
    assert.deepEqual(await keys(db), ['q']);
    await Promise.all(pending);
    await db.destroy();
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';

const SCRIPT = fileURLToPath(new URL('./store-process.ts', import.meta.url));

/** store-process.ts in a child process: its output lines, and its exit. */
function child(...args: string[]): { lines: AsyncIterator<string>; exited: Promise<void> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(proc, 'exit').then((args: unknown[]) => {
    const code = args[0];
    if (code !== 0) throw new Error(`store-process.ts exited with ${String(code)}: ${stderr}`);
  });
  return { lines: createInterface({ input: proc.stdout })[Symbol.asyncIterator](), exited };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const next = await lines.next();
  assert.ok(next.done !== true, 'the child process ended early');
  return next.value;
}

async function increment(store: Store, uuid: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await store.transaction(async (tx) => {
      const node = await tx.nodes.get(uuid);
      await tx.nodes.update(uuid, { extra: { count: Number(node.extra.count ?? 0) + 1 } });
    });
  }
}

forEachDatabase((db) => {
  it('several processes opening one new database at once all migrate it without failing', async () => {
    const url = await db.freshUrl();
    const children = [child(url, 'open'), child(url, 'open'), child(url, 'open')];
    const store = await db.openUrl(url);
    for (const { lines, exited } of children) {
      assert.equal(await nextLine(lines), 'opened');
      await exited;
    }
    await store.nodes.create({ driver: 'd' });
    assert.equal(await store.nodes.count(), 1);
  });

  it('a store in another process sees this process’s locks', async () => {
    const url = await db.freshUrl();
    const store = await db.openUrl(url);
    const locked = await store.nodes.create({ driver: 'd' });
    const free = await store.nodes.create({ driver: 'd' });
    assert.equal(await store.nodes.reserve(locked.uuid, 'parent'), true);
    const { lines, exited } = child(url, 'reserve', 'child', locked.uuid, free.uuid);
    assert.deepEqual(JSON.parse(await nextLine(lines)), [false, true]);
    await exited;
    assert.equal(await store.nodes.reservation(free.uuid), 'child');
    assert.equal(await store.nodes.reserve(free.uuid, 'parent'), false);
  });

  it('two processes writing transactions at once wait for each other instead of failing', async () => {
    const url = await db.freshUrl();
    const store = await db.openUrl(url);
    const node = await store.nodes.create({ driver: 'd', extra: { count: 0 } });
    const times = 100;
    const { lines, exited } = child(url, 'increment', node.uuid, String(times));
    assert.equal(await nextLine(lines), 'ready');
    await Promise.all([increment(store, node.uuid, times), exited]);
    const count = (await store.nodes.get(node.uuid)).extra.count;
    if (db.dialect === 'sqlite') {
      // BEGIN IMMEDIATE serialises whole transactions: no increment is lost.
      assert.equal(count, 2 * times);
    } else {
      // READ COMMITTED: neither fails, though a read-modify-write may lose an increment.
      assert.ok(
        typeof count === 'number' && count >= times && count <= 2 * times,
        JSON.stringify(count),
      );
    }
  });
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SimulatedClock } from '../../src/common/clock.ts';
import { isFerriteError } from '../../src/common/errors.ts';
import { forEachDatabase } from '../support/databases.ts';
import { drive } from '../support/drive.ts';
import { startConductor } from '../support/conductor.ts';

forEachDatabase((db) => {
  async function harness(settings: Parameters<typeof startConductor>[1] = {}) {
    const clock = new SimulatedClock();
    const store = await db.open({ clock });
    const h = await startConductor(store, settings, { clock });
    const node = await h.enroll();
    return { h, node, tasks: h.conductor.tasks, clock };
  }

  it('takes the lock with one conditional update and refuses a second holder, naming it after the retries', async () => {
    const { h, node, tasks, clock } = await harness({
      lockRetry: { attempts: 3, intervalMs: 1000 },
    });
    const holder = await tasks.acquire(node.uuid, { purpose: 'test' });
    assert.equal((await h.node(node.uuid)).reservation, 'conductor-1');
    const other = await startConductor(
      h.store,
      { host: 'conductor-2', lockRetry: { attempts: 3, intervalMs: 1000 } },
      { clock, start: false },
    );
    const started = clock.now();
    await assert.rejects(
      drive(clock, other.conductor.tasks.acquire(node.uuid, { purpose: 'competing' })),
      (error: unknown) =>
        isFerriteError(error, 'NodeLocked') &&
        error.status === 409 &&
        error.message.startsWith(`Node ${node.uuid} is locked by host conductor-1`),
    );
    // Three attempts, backing off 1 s then 2 s between them.
    assert.equal(clock.now() - started, 3000);
    await holder.release();
    assert.equal((await h.node(node.uuid)).reservation, null);
    const second = await drive(
      clock,
      other.conductor.tasks.acquire(node.uuid, { purpose: 'competing' }),
    );
    assert.equal((await h.node(node.uuid)).reservation, 'conductor-2');
    await second.release();
  });

  it('gets a node that frees up while it retries', async () => {
    const { node, tasks, clock } = await harness();
    const holder = await tasks.acquire(node.uuid, { purpose: 'first' });
    const waiting = tasks.acquire(node.uuid, { purpose: 'second' });
    await clock.advance(500);
    await holder.release();
    const task = await drive(clock, waiting);
    assert.equal(task.shared, false);
    await task.release();
  });

  it('gives shared tasks without a lock, and upgrades them', async () => {
    const { h, node, tasks } = await harness();
    const holder = await tasks.acquire(node.uuid, { purpose: 'holder' });
    const reader = await tasks.acquire(node.uuid, { shared: true, purpose: 'reader' });
    assert.equal(reader.shared, true);
    assert.equal(reader.node.uuid, node.uuid);
    await assert.rejects(reader.save(), (e: unknown) => isFerriteError(e, 'ExclusiveLockRequired'));
    await assert.rejects(reader.upgradeLock(1), (e: unknown) => isFerriteError(e, 'NodeLocked'));
    await holder.release();
    await reader.upgradeLock(1);
    assert.equal(reader.shared, false);
    assert.equal((await h.node(node.uuid)).reservation, 'conductor-1');
    reader.node.extra = { upgraded: true };
    await reader.release();
    const stored = await h.node(node.uuid);
    assert.deepEqual(stored.extra, { upgraded: true });
    assert.equal(stored.reservation, null);
  });

  it('never has two holders among 50 concurrent exclusive requests', async () => {
    const { h, node, tasks, clock } = await harness({
      lockRetry: { attempts: 1000, intervalMs: 10 },
    });
    let holders = 0;
    let most = 0;
    let done = 0;
    const work = Array.from({ length: 50 }, (_, i) =>
      tasks.run(node.uuid, { purpose: `contender ${i}` }, async (task) => {
        holders += 1;
        most = Math.max(most, holders);
        assert.equal(await h.store.nodes.reservation(node.uuid), 'conductor-1');
        task.node.extra = { ...task.node.extra, [`c${i}`]: true };
        await nextTurn();
        holders -= 1;
        done += 1;
      }),
    );
    await drive(clock, Promise.all(work));
    assert.equal(done, 50);
    assert.equal(most, 1);
    const stored = await h.node(node.uuid);
    assert.equal(Object.keys(stored.extra).length, 50, 'every holder saved its change');
    assert.equal(stored.reservation, null);
  });

  it('keeps the lock for background work until it ends, and releases on success', async () => {
    const { h, node, tasks, clock } = await harness();
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    await tasks.run(node.uuid, { purpose: 'background' }, async (task) => {
      task.spawn(
        async (t) => {
          await gate;
          t.node.extra = { worked: true };
        },
        () => undefined,
      );
    });
    assert.equal((await h.node(node.uuid)).reservation, 'conductor-1', 'held while the work runs');
    finish();
    await drive(clock, h.conductor.idle());
    const stored = await h.node(node.uuid);
    assert.equal(stored.reservation, null);
    assert.deepEqual(stored.extra, { worked: true });
  });

  it('releases and records last_error when background work throws or rejects', async () => {
    const { h, node, tasks, clock } = await harness();
    for (const fail of [
      async () => {
        throw new Error('BMC on fire');
      },
      () => Promise.reject(new Error('BMC on fire')),
    ]) {
      await tasks.run(node.uuid, { purpose: 'failing' }, async (task) => {
        task.spawn(fail, (t, error) => {
          t.node.lastError = `failed: ${(error as Error).message}`;
        });
      });
      await drive(clock, h.conductor.idle());
      const stored = await h.node(node.uuid);
      assert.equal(stored.reservation, null);
      assert.equal(stored.lastError, 'failed: BMC on fire');
    }
    // A failure handler that itself fails still leaves the error and releases.
    await tasks.run(node.uuid, { purpose: 'failing twice' }, async (task) => {
      task.spawn(
        () => Promise.reject(new Error('first')),
        () => {
          throw new Error('handler broke');
        },
      );
    });
    await drive(clock, h.conductor.idle());
    const stored = await h.node(node.uuid);
    assert.equal(stored.reservation, null);
    assert.equal(stored.lastError, 'first');
  });

  it('releases when the code holding the task throws, discarding its background work', async () => {
    const { h, node, tasks, clock } = await harness();
    let ran = false;
    await assert.rejects(
      tasks.run(node.uuid, { purpose: 'throws' }, async (task) => {
        task.spawn(
          async () => {
            ran = true;
          },
          () => undefined,
        );
        throw new Error('validation failed');
      }),
      /validation failed/,
    );
    await drive(clock, h.conductor.idle());
    assert.equal(ran, false);
    assert.equal((await h.node(node.uuid)).reservation, null);
    assert.equal(h.conductor.pool.size, 0);
  });

  it('refuses background work past the worker limit with NoFreeConductorWorker, changing nothing', async () => {
    const { h, tasks, clock } = await harness({ workers: 1 });
    const a = await h.enroll();
    const b = await h.enroll();
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    await tasks.run(a.uuid, { purpose: 'busy' }, async (task) => {
      task.spawn(
        () => gate,
        () => undefined,
      );
    });
    await assert.rejects(
      h.conductor.changeProvisionState(b.uuid, 'manage'),
      (e: unknown) => isFerriteError(e, 'NoFreeConductorWorker') && e.status === 503,
    );
    const untouched = await h.node(b.uuid);
    assert.equal(untouched.provisionState, 'enroll');
    assert.equal(untouched.reservation, null);
    finish();
    await drive(clock, h.conductor.idle());
  });

  it('answers NodeNotFound for a node that does not exist', async () => {
    const { tasks } = await harness();
    await assert.rejects(
      tasks.acquire('no-such-node', { purpose: 'test' }),
      (e: unknown) => isFerriteError(e, 'NodeNotFound') && e.status === 404,
    );
  });
});

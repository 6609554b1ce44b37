import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulatedClock, systemClock } from './clock.ts';

describe('SimulatedClock', () => {
  it('wakes sleepers in due order as time advances, and not before', async () => {
    const clock = new SimulatedClock(1000);
    const woke: string[] = [];
    const a = clock.sleep(300).then(() => woke.push(`a@${clock.now()}`));
    const b = clock.sleep(100).then(() => woke.push(`b@${clock.now()}`));
    const c = clock.sleep(100).then(() => woke.push(`c@${clock.now()}`));
    await clock.advance(50);
    assert.deepEqual(woke, []);
    assert.equal(clock.pending, 3);
    await clock.advance(250);
    await Promise.all([a, b, c]);
    assert.deepEqual(woke, ['b@1100', 'c@1100', 'a@1300']);
    assert.equal(clock.now(), 1300);
  });

  it('lets woken code sleep again within the same advance', async () => {
    const clock = new SimulatedClock(0);
    const ticks: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        ticks.push(clock.now());
      }
    })();
    await clock.advance(100);
    await loop;
    assert.deepEqual(ticks, [10, 20, 30]);
    assert.equal(clock.now(), 100);
  });

  it('rejects an aborted sleep with the signal’s reason and forgets it', async () => {
    const clock = new SimulatedClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error('conductor stopping'));
    await assert.rejects(sleeping, /conductor stopping/);
    assert.equal(clock.pending, 0);
    await assert.rejects(clock.sleep(1, controller.signal), /conductor stopping/);
  });

  it('runNext jumps straight to the next sleeper', async () => {
    const clock = new SimulatedClock(0);
    const done = clock.sleep(60_000);
    assert.equal(await clock.runNext(), true);
    await done;
    assert.equal(clock.now(), 60_000);
    assert.equal(await clock.runNext(), false);
  });
});

describe('systemClock', () => {
  it('rejects at once when the signal is already aborted, and on abort while sleeping', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(systemClock.sleep(10_000, controller.signal), { name: 'AbortError' });
    const later = new AbortController();
    const sleeping = systemClock.sleep(10_000, later.signal);
    later.abort(new Error('stop'));
    await assert.rejects(sleeping, /stop/);
  });
});

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SimulatedClock } from '../../src/common/clock.ts';

/** Simulated time after which an operation is taken to hang. */
const MAX_SIMULATED_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Awaits `operation` while moving the simulated clock from one pending
 * sleeper to the next, so that code which waits (retries, delays, polling)
 * finishes without real sleeps. Without a clock it just awaits.
 */
export async function drive<R>(
  clock: SimulatedClock | undefined,
  operation: Promise<R>,
): Promise<R> {
  if (!clock) return operation;
  const state = { settled: false };
  operation.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  const start = clock.now();
  while (!state.settled) {
    if (clock.now() - start > MAX_SIMULATED_MS) {
      throw new Error(`operation still pending after ${MAX_SIMULATED_MS} ms of simulated time`);
    }
    // Nothing asleep on the clock: the operation waits on real I/O.
    if (!(await clock.runNext())) await nextTurn();
  }
  return operation;
}

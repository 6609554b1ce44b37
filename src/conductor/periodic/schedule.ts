import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/logging.ts';
import { describeError } from '../context.ts';

/**
 * Runs `work` every `intervalMs` on `clock` until `signal` aborts. A run that
 * throws is logged and the loop goes on; runs never overlap. Returns the
 * loop's promise, which settles after the abort.
 */
export function every(
  clock: Clock,
  intervalMs: number,
  name: string,
  work: () => Promise<unknown>,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  if (intervalMs <= 0) return Promise.resolve();
  return (async () => {
    while (!signal.aborted) {
      try {
        await clock.sleep(intervalMs, signal);
      } catch {
        return;
      }
      try {
        await work();
      } catch (error) {
        logger.error({ periodic: name, error: describeError(error) }, 'periodic task failed');
      }
    }
  })();
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

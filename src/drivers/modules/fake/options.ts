import { FerriteError } from '../../../common/errors.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import type { Task } from '../../task.ts';

/**
 * How long a fake operation takes, in seconds: a fixed time, or a range
 * `[min, max]` drawn from a triangular distribution peaking at `min` (so most
 * operations are quick and a few are slow, as with real BMCs). Ironic's
 * string forms `'N'` and `'min,max'` are accepted too.
 */
export type FakeDelay = number | readonly [number, number];

export const FAKE_DELAY_KEYS = [
  'power',
  'boot',
  'deploy',
  'vendor',
  'management',
  'inspect',
  'raid',
  'storage',
  'rescue',
  'console',
] as const;
export type FakeDelayKey = (typeof FAKE_DELAY_KEYS)[number];

export type FakeOptions = { readonly [K in FakeDelayKey]?: FakeDelay };

function parseDelay(key: string, value: unknown): FakeDelay {
  const fail = (): never => {
    throw new FerriteError('ConfigInvalid', {
      error_msg: `fake.${key}: expected seconds, [min, max] or "min,max", got ${JSON.stringify(value)}`,
    });
  };
  let parts: unknown[];
  if (typeof value === 'number') parts = [value];
  else if (Array.isArray(value)) parts = value;
  else if (typeof value === 'string') parts = value.split(',').map((p) => Number(p.trim()));
  else return fail();
  if (parts.length < 1 || parts.length > 2) fail();
  const nums = parts.map((p) =>
    typeof p === 'number' && Number.isFinite(p) && p >= 0 ? p : fail(),
  );
  const [low, high = low] = nums as [number, number?];
  if (high < low) fail();
  return low === high ? low : [low, high];
}

/** Reads `options.fake` from the driver environment, refusing malformed delays. */
export function fakeOptions(env: DriverEnvironment): FakeOptions {
  const raw = env.options['fake'];
  if (raw === undefined) return {};
  if (!isJsonObject(raw)) {
    throw new FerriteError('ConfigInvalid', { error_msg: 'fake: expected an object of delays' });
  }
  const result: Partial<Record<FakeDelayKey, FakeDelay>> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(FAKE_DELAY_KEYS as readonly string[]).includes(key)) {
      throw new FerriteError('ConfigInvalid', {
        error_msg: `fake.${key}: unknown delay; known: ${FAKE_DELAY_KEYS.join(', ')}`,
      });
    }
    result[key as FakeDelayKey] = parseDelay(key, value);
  }
  return result;
}

/** Seconds one operation takes under `delay`. */
export function delaySeconds(
  delay: FakeDelay | undefined,
  random: () => number = Math.random,
): number {
  if (delay === undefined) return 0;
  if (typeof delay === 'number') return delay;
  const [low, high] = delay;
  return high - (high - low) * Math.sqrt(1 - random());
}

/** Waits out a fake operation on the task's clock; aborted with the task. */
export async function fakeWait(task: Task, delay: FakeDelay | undefined): Promise<void> {
  const seconds = delaySeconds(delay);
  if (seconds > 0) await task.clock.sleep(seconds * 1000, task.signal);
}

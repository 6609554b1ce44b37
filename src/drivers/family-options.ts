import { FerriteError } from '../common/errors.ts';
import { isJsonObject } from '../common/json.ts';
import type { JsonValue } from '../common/json.ts';
import type { DriverEnvironment } from './catalog.ts';

/** How each setting of a driver family is read; the keys are the known settings. */
export type OptionReaders<T> = { readonly [K in keyof T]: (value: JsonValue) => T[K] };

export function configInvalid(error_msg: string): FerriteError {
  return new FerriteError('ConfigInvalid', { error_msg });
}

/** A whole number of at least `minimum`, for the setting `family.key`. */
export function integerOption(
  family: string,
  key: string,
  minimum: number,
): (value: JsonValue) => number {
  return (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      throw configInvalid(
        `${family}.${key}: expected an integer ≥ ${String(minimum)}, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
}

/**
 * The settings of one driver family (`options.ipmi`, `options.redfish`):
 * the defaults with what is given, refusing unknown keys and bad values
 * with ConfigInvalid naming the setting.
 */
export function familyOptions<T extends object>(
  env: DriverEnvironment,
  family: string,
  defaults: T,
  readers: OptionReaders<T>,
): T {
  const raw = env.options[family];
  if (raw === undefined) return defaults;
  if (!isJsonObject(raw)) throw configInvalid(`${family}: expected an object of settings`);
  const result: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  const known = readers as Readonly<Record<string, (value: JsonValue) => unknown>>;
  for (const [key, value] of Object.entries(raw)) {
    const read = Object.hasOwn(known, key) ? known[key] : undefined;
    if (read === undefined) {
      throw configInvalid(
        `${family}.${key}: unknown setting; known: ${Object.keys(known).join(', ')}`,
      );
    }
    result[key] = read(value);
  }
  return result as T;
}

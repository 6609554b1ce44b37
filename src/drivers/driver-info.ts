import { FerriteError } from '../common/errors.ts';
import type { JsonValue } from '../common/json.ts';
import type { PropertyDescriptions } from './interfaces/base.ts';
import type { Task } from './task.ts';

/** One driver_info key an implementation reads. */
export interface DriverInfoField {
  readonly description: string;
  readonly required?: boolean;
  /** Passwords and tokens: masked wherever driver_info is shown or logged. */
  readonly secret?: boolean;
  /** Checks a present value; throws InvalidParameterValue with a message naming the key. */
  readonly check?: (value: JsonValue, key: string) => void;
}

export type DriverInfoSpec = Readonly<Record<string, DriverInfoField>>;

/** true/false as JSON booleans or the strings clients send ("true", "False", "1", …). */
export function booleanOf(value: JsonValue, key: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['true', 'yes', 'on', '1'].includes(word)) return true;
    if (['false', 'no', 'off', '0'].includes(word)) return false;
  }
  throw new FerriteError('InvalidParameterValue', {
    err: `${key} must be a boolean, not ${JSON.stringify(value)}.`,
  });
}

/**
 * What `getProperties()` returns for a spec: each key's description ending in
 * "Required." or "Optional.", as clients expect.
 */
export function describeDriverInfo(spec: DriverInfoSpec): PropertyDescriptions {
  const result: Record<string, string> = {};
  for (const [key, field] of Object.entries(spec)) {
    result[key] = `${field.description} ${field.required === true ? 'Required.' : 'Optional.'}`;
  }
  return result;
}

/**
 * Checks a node's driver_info against a spec: every required key present
 * (MissingParameterValue listing all that are missing), every present value
 * passing its check (InvalidParameterValue).
 */
export function checkDriverInfo(task: Task, spec: DriverInfoSpec, what = 'properties'): void {
  const info = task.node.driverInfo;
  const missing = Object.entries(spec)
    .filter(
      ([key, field]) =>
        field.required === true &&
        (info[key] === undefined || info[key] === null || info[key] === ''),
    )
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new FerriteError('MissingParameterValue', {
      err: `Missing the following ${what} in node's driver_info: ${missing.join(', ')}.`,
    });
  }
  for (const [key, field] of Object.entries(spec)) {
    const value = info[key];
    if (value !== undefined && value !== null && field.check) field.check(value, key);
  }
}

/** The keys of a spec that hold secrets. */
export function secretKeys(spec: DriverInfoSpec): string[] {
  return Object.entries(spec)
    .filter(([, field]) => field.secret === true)
    .map(([key]) => key);
}

/** Common checks for DriverInfoField.check. */
export const checks = {
  string: (value: JsonValue, key: string): void => {
    if (typeof value !== 'string') {
      throw new FerriteError('InvalidParameterValue', { err: `${key} must be a string.` });
    }
  },
  port: (value: JsonValue, key: string): void => {
    const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new FerriteError('InvalidParameterValue', {
        err: `${key} must be a port number between 1 and 65535, not ${JSON.stringify(value)}.`,
      });
    }
  },
  oneOf: (allowed: readonly string[]) => {
    return (value: JsonValue, key: string): void => {
      if (typeof value !== 'string' || !allowed.includes(value)) {
        throw new FerriteError('InvalidParameterValue', {
          err: `${key} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}.`,
        });
      }
    };
  },
} as const;

import { FerriteError } from '../../common/errors.ts';

/** Reads an optional boolean step or passthru argument, refusing other types. */
export function booleanArg(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new FerriteError('InvalidParameterValue', {
      err: `Argument "${name}" must be a boolean, not ${JSON.stringify(value)}`,
    });
  }
  return value;
}

/**
 * Checks a power-operation timeout: undefined (use the default) or a
 * positive integer number of seconds.
 */
export function checkPowerTimeout(timeout: unknown): number | undefined {
  if (timeout === undefined || timeout === null) return undefined;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout <= 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `The timeout must be a positive integer number of seconds, not ${JSON.stringify(timeout)}`,
    });
  }
  return timeout;
}

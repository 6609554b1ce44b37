import { FerriteError } from '../../../common/errors.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';

/** Conductor-wide settings of the redfish interfaces (`options.redfish`). */
export interface RedfishOptions {
  /** Seconds a power change may take before PowerStateFailure. */
  readonly powerStateChangeTimeout: number;
  /** How often the power state is read while waiting for a change, in ms. */
  readonly powerPollIntervalMs: number;
  /** Time for each HTTP exchange with a BMC, in ms. */
  readonly requestTimeoutMs: number;
  /** Retries on connection errors and 5xx. */
  readonly retries: number;
}

export const DEFAULT_REDFISH_OPTIONS: RedfishOptions = {
  powerStateChangeTimeout: 60,
  powerPollIntervalMs: 1000,
  requestTimeoutMs: 60_000,
  retries: 3,
};

/** Reads `options.redfish`, refusing unknown keys and values that are not whole numbers. */
export function redfishOptions(env: DriverEnvironment): RedfishOptions {
  const raw = env.options['redfish'];
  if (raw === undefined) return DEFAULT_REDFISH_OPTIONS;
  const invalid = (error_msg: string): FerriteError =>
    new FerriteError('ConfigInvalid', { error_msg });
  if (!isJsonObject(raw)) throw invalid('redfish: expected an object of settings');
  const result: Record<string, number> = { ...DEFAULT_REDFISH_OPTIONS };
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(DEFAULT_REDFISH_OPTIONS, key)) {
      throw invalid(
        `redfish.${key}: unknown setting; known: ${Object.keys(DEFAULT_REDFISH_OPTIONS).join(', ')}`,
      );
    }
    const minimum = key === 'retries' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      throw invalid(`redfish.${key}: expected an integer ≥ ${String(minimum)}`);
    }
    result[key] = value;
  }
  return result as unknown as RedfishOptions;
}

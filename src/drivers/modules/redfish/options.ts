import type { DriverEnvironment } from '../../catalog.ts';
import { familyOptions, integerOption } from '../../family-options.ts';
import type { OptionReaders } from '../../family-options.ts';

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

const READERS: OptionReaders<RedfishOptions> = {
  powerStateChangeTimeout: integerOption('redfish', 'powerStateChangeTimeout', 1),
  powerPollIntervalMs: integerOption('redfish', 'powerPollIntervalMs', 1),
  requestTimeoutMs: integerOption('redfish', 'requestTimeoutMs', 1),
  retries: integerOption('redfish', 'retries', 0),
};

/** Reads `options.redfish`, refusing unknown keys and values that are not whole numbers. */
export function redfishOptions(env: DriverEnvironment): RedfishOptions {
  return familyOptions(env, 'redfish', DEFAULT_REDFISH_OPTIONS, READERS);
}

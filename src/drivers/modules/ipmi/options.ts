import { FerriteError } from '../../../common/errors.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';

/** Conductor-wide settings of the ipmi interfaces (`options.ipmi`), after Ironic's [ipmi] options. */
export interface IpmiOptions {
  /** Seconds a power change may take before PowerStateFailure (Ironic's power_state_change_timeout). */
  readonly powerStateChangeTimeout: number;
  /** Seconds a soft power off may take (Ironic's soft_power_off_timeout). */
  readonly softPowerOffTimeout: number;
  /** How often the power state is read while waiting for a change, in ms. */
  readonly powerPollIntervalMs: number;
  /** Per-attempt timeout of one IPMI request, in ms. */
  readonly requestTimeoutMs: number;
  /** Attempts after the first, over lossy UDP. */
  readonly retries: number;
  /** Requests in flight per BMC at most; the rest wait. */
  readonly maxInFlightPerBmc: number;
}

export const DEFAULT_IPMI_OPTIONS: IpmiOptions = {
  powerStateChangeTimeout: 60,
  softPowerOffTimeout: 600,
  powerPollIntervalMs: 1000,
  requestTimeoutMs: 1000,
  retries: 3,
  maxInFlightPerBmc: 2,
};

/** Reads `options.ipmi` of the driver environment, refusing unknown keys and bad values. */
export function ipmiOptions(env: DriverEnvironment): IpmiOptions {
  const raw = env.options['ipmi'];
  if (raw === undefined) return DEFAULT_IPMI_OPTIONS;
  if (!isJsonObject(raw)) {
    throw new FerriteError('ConfigInvalid', { error_msg: 'ipmi: expected an object of settings' });
  }
  const result: Record<string, number> = { ...DEFAULT_IPMI_OPTIONS };
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in DEFAULT_IPMI_OPTIONS)) {
      throw new FerriteError('ConfigInvalid', {
        error_msg: `ipmi.${key}: unknown setting; known: ${Object.keys(DEFAULT_IPMI_OPTIONS).join(', ')}`,
      });
    }
    const minimum = key === 'retries' ? 0 : 1;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      throw new FerriteError('ConfigInvalid', {
        error_msg: `ipmi.${key}: expected an integer ≥ ${String(minimum)}, got ${JSON.stringify(value)}`,
      });
    }
    result[key] = value;
  }
  return result as unknown as IpmiOptions;
}

import type { DriverEnvironment } from '../../catalog.ts';
import { configInvalid, familyOptions, integerOption } from '../../family-options.ts';
import type { OptionReaders } from '../../family-options.ts';

/** Conductor-wide settings of the ipmi interfaces (`options.ipmi`), after Ironic's [ipmi] and [console] options. */
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
  /** Address the serial consoles' TCP listeners bind (Ironic's [console] socat_address). */
  readonly consoleHost: string;
  /** Ports the consoles take ("10000-10100", Ironic's port_range); undefined: any free port. */
  readonly consolePortRange: { readonly min: number; readonly max: number } | undefined;
}

export const DEFAULT_IPMI_OPTIONS: IpmiOptions = {
  powerStateChangeTimeout: 60,
  softPowerOffTimeout: 600,
  powerPollIntervalMs: 1000,
  requestTimeoutMs: 1000,
  retries: 3,
  maxInFlightPerBmc: 2,
  consoleHost: '127.0.0.1',
  consolePortRange: undefined,
};

/** How each setting is read; the key set is also what "unknown setting" checks against. */
const READERS: OptionReaders<IpmiOptions> = {
  powerStateChangeTimeout: integerOption('ipmi', 'powerStateChangeTimeout', 1),
  softPowerOffTimeout: integerOption('ipmi', 'softPowerOffTimeout', 1),
  powerPollIntervalMs: integerOption('ipmi', 'powerPollIntervalMs', 1),
  requestTimeoutMs: integerOption('ipmi', 'requestTimeoutMs', 1),
  retries: integerOption('ipmi', 'retries', 0),
  maxInFlightPerBmc: integerOption('ipmi', 'maxInFlightPerBmc', 1),
  consoleHost: (v) => {
    if (typeof v !== 'string' || v.trim() === '') {
      throw configInvalid(`ipmi.consoleHost: expected an address, got ${JSON.stringify(v)}`);
    }
    return v.trim();
  },
  consolePortRange: (v) => {
    const match = typeof v === 'string' ? /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(v) : null;
    const min = Number(match?.[1]);
    const max = Number(match?.[2]);
    if (match === null || min < 1 || max > 65535 || min > max) {
      throw configInvalid(
        `ipmi.consolePortRange: expected "MIN-MAX" within 1-65535, got ${JSON.stringify(v)}`,
      );
    }
    return { min, max };
  },
};

/** Reads `options.ipmi` of the driver environment, refusing unknown keys and bad values. */
export function ipmiOptions(env: DriverEnvironment): IpmiOptions {
  return familyOptions(env, 'ipmi', DEFAULT_IPMI_OPTIONS, READERS);
}

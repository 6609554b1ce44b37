import { FerriteError } from '../common/errors.ts';
import { MICROVERSION_HISTORY } from './microversion-history.ts';

/**
 * API microversions, as Ironic's clients negotiate them: a client names the
 * version it speaks in `X-OpenStack-Ironic-API-Version` (or `latest`), and
 * fields and behaviours appear at the version that introduced them. The
 * history table is the single source: supporting a newer version is adding
 * rows to it.
 */
export interface Microversion {
  readonly major: 1;
  readonly minor: number;
}

export const MIN_VERSION: Microversion = { major: 1, minor: 1 };
export const MAX_VERSION: Microversion = {
  major: 1,
  minor: MICROVERSION_HISTORY[MICROVERSION_HISTORY.length - 1]?.minor ?? 1,
};

export const VERSION_HEADER = 'x-openstack-ironic-api-version';
export const MIN_HEADER = 'X-OpenStack-Ironic-API-Minimum-Version';
export const MAX_HEADER = 'X-OpenStack-Ironic-API-Maximum-Version';
export const VERSION_RESPONSE_HEADER = 'X-OpenStack-Ironic-API-Version';

export function formatVersion(v: Microversion): string {
  return `${v.major}.${v.minor}`;
}

/** Whether `v` is at least `1.minor`. */
export function atLeast(v: Microversion, minor: number): boolean {
  return v.minor >= minor;
}

function fromOpenStackHeader(value: string | undefined): string | undefined {
  // `OpenStack-API-Version: baremetal 1.38` is the generic form of the same header.
  if (value === undefined) return undefined;
  const match = /(?:^|,)\s*baremetal\s+(\S+)\s*(?:,|$)/i.exec(value);
  return match?.[1];
}

/**
 * The version a request asks for: the Ironic header, or the generic
 * OpenStack one; the minimum when neither is given (as Ironic does).
 * A malformed value is 400; one outside the supported range is 406.
 */
export function negotiate(
  ironicHeader: string | undefined,
  openstackHeader?: string,
): Microversion {
  const requested = ironicHeader?.trim() ?? fromOpenStackHeader(openstackHeader);
  if (requested === undefined || requested === '') return MIN_VERSION;
  if (requested.toLowerCase() === 'latest') return MAX_VERSION;
  const match = /^(\d+)\.(\d+)$/.exec(requested);
  if (!match) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Invalid value for ${VERSION_RESPONSE_HEADER} header: ${requested}. The version must be MAJOR.MINOR, such as 1.78, or "latest".`,
    });
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major !== 1 || minor < MIN_VERSION.minor || minor > MAX_VERSION.minor) {
    throw new FerriteError('UnsupportedApiVersion', {
      requested,
      min: formatVersion(MIN_VERSION),
      max: formatVersion(MAX_VERSION),
    });
  }
  return { major: 1, minor };
}

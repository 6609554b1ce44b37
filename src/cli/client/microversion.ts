/** The newest microversion this client knows the shapes of. */
export const CLIENT_MAX_VERSION = '1.82';

/** A `major.minor` microversion as numbers. */
export interface Version {
  readonly major: number;
  readonly minor: number;
}

/** Parses `1.82`; undefined for anything else. */
export function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major === b.major ? a.minor - b.minor : a.major - b.major;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}`;
}

/**
 * The version to speak with a server whose newest is `serverMax` (from the
 * `version` of `GET /`'s `default_version`): the smaller of it and ours.
 * A server that names no version predates microversions: 1.1.
 */
export function negotiateVersion(serverMax: string | undefined): string {
  const ours = parseVersion(CLIENT_MAX_VERSION) as Version;
  const theirs = serverMax === undefined ? undefined : parseVersion(serverMax);
  if (!theirs) return '1.1';
  return formatVersion(compareVersions(theirs, ours) < 0 ? theirs : ours);
}

/** Whether `version` is at least `1.minor` (feature gates in the commands). */
export function atLeast(version: string, minor: number): boolean {
  const v = parseVersion(version);
  return v !== undefined && compareVersions(v, { major: 1, minor }) >= 0;
}

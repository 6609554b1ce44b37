/**
 * Which checksum an image is verified against, as ironic-python-agent reads
 * image_info: os_hash_algo/os_hash_value first, else the legacy `checksum`
 * (its algorithm told by its length); either value may be the URL of a
 * checksum file (`sha256sum` output, or just the hash).
 */
import { displayUrl, ImageWriteError, ImageWriteReason, describe } from './errors.ts';
import { openFirst, readText } from './download.ts';

/** The hash algorithms Ferrite verifies images with, by Ironic's names. */
export const HashAlgorithm = { Md5: 'md5', Sha256: 'sha256', Sha512: 'sha512' } as const;
export type HashAlgorithm = (typeof HashAlgorithm)[keyof typeof HashAlgorithm];

const HEX_LENGTH: Readonly<Record<HashAlgorithm, number>> = { md5: 32, sha256: 64, sha512: 128 };
const BY_LENGTH = new Map<number, HashAlgorithm>([
  [32, 'md5'],
  [64, 'sha256'],
  [128, 'sha512'],
]);

/** The checksum fields of image_info that matter here. */
export interface ChecksumFields {
  readonly id: string;
  readonly urls: readonly string[];
  readonly checksum?: string;
  readonly os_hash_algo?: string;
  readonly os_hash_value?: string;
}

/** What to verify against, before any remote checksum file is read. */
export interface ChecksumSpec {
  /** Undefined when the legacy checksum is a URL: the value's length will tell. */
  readonly algorithm: HashAlgorithm | undefined;
  /** A hex value, or an http(s) URL of a checksum file. */
  readonly value: string;
}

/** The checksum to verify: an algorithm and its expected hex value, lower case. */
export interface ExpectedChecksum {
  readonly algorithm: HashAlgorithm;
  readonly value: string;
}

const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

function refuseMd5(id: string): ImageWriteError {
  return new ImageWriteError(
    ImageWriteReason.Md5Refused,
    id,
    `image ${id} is to be verified with md5, which this agent does not allow: give the image an ` +
      `os_hash_algo of sha256 or sha512 (Glance's os_hash_value), or allow md5 in the agent's configuration`,
  );
}

/** Picks the checksum from image_info, refusing before any download when there is none. */
export function checksumSpec(info: ChecksumFields, allowMd5: boolean): ChecksumSpec {
  const algo = info.os_hash_algo?.trim().toLowerCase();
  const osValue = info.os_hash_value?.trim();
  if (algo !== undefined && algo !== '' && osValue !== undefined && osValue !== '') {
    if (!(algo in HEX_LENGTH)) {
      throw new ImageWriteError(
        ImageWriteReason.Checksum,
        info.id,
        `image ${info.id} has os_hash_algo "${algo}", which Ferrite does not verify: use sha256, sha512 or md5`,
      );
    }
    const algorithm = algo as HashAlgorithm;
    if (algorithm === 'md5' && !allowMd5) throw refuseMd5(info.id);
    return { algorithm, value: osValue };
  }
  const legacy = info.checksum?.trim();
  if (legacy !== undefined && legacy !== '') {
    if (isUrl(legacy)) return { algorithm: undefined, value: legacy };
    const algorithm = BY_LENGTH.get(legacy.length);
    if (algorithm === undefined) {
      throw new ImageWriteError(
        ImageWriteReason.Checksum,
        info.id,
        `image ${info.id} has a checksum of ${legacy.length} characters, which is neither md5 (32), ` +
          `sha256 (64) nor sha512 (128): give os_hash_algo and os_hash_value instead`,
      );
    }
    if (algorithm === 'md5' && !allowMd5) throw refuseMd5(info.id);
    return { algorithm, value: legacy };
  }
  throw new ImageWriteError(
    ImageWriteReason.Checksum,
    info.id,
    `image ${info.id} has no checksum: set os_hash_algo and os_hash_value (or the legacy checksum) ` +
      `in its image_info; Ferrite does not write an image it cannot verify`,
  );
}

/** The last path segment of a URL, as a checksum file names the image. */
function fileName(url: string): string {
  try {
    const segments = new URL(url).pathname.split('/');
    return decodeURIComponent(segments[segments.length - 1] ?? '');
  } catch {
    return '';
  }
}

/**
 * The hash a checksum file gives for `name`: the file may hold the hash
 * alone, `sha256sum` lines (`<hash>  <name>`, `<hash> *<name>`) or BSD
 * lines (`SHA256 (<name>) = <hash>`). With one line, its hash whatever the
 * name. Undefined when no line is for `name`.
 */
export function parseChecksumFile(text: string, name: string): string | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const entries: { hash: string; name: string }[] = [];
  for (const line of lines) {
    const bsd = /^[A-Za-z0-9-]+ \((.*)\) = ([0-9A-Fa-f]+)$/.exec(line);
    if (bsd !== null) {
      entries.push({ hash: bsd[2] ?? '', name: bsd[1] ?? '' });
      continue;
    }
    const [hash = '', ...rest] = line.split(/\s+/);
    entries.push({ hash, name: rest.join(' ').replace(/^\*/, '') });
  }
  if (entries.length === 1) return entries[0]?.hash;
  return entries.find((entry) => entry.name === name || entry.name === `./${name}`)?.hash;
}

/**
 * The expected checksum, reading the checksum file when the value is a URL.
 * Checks the value is hex of the algorithm's length, and refuses md5 unless allowed.
 */
export async function expectedChecksum(
  info: ChecksumFields,
  spec: ChecksumSpec,
  allowMd5: boolean,
  signal: AbortSignal,
): Promise<ExpectedChecksum> {
  let value = spec.value;
  if (isUrl(value)) {
    const where = displayUrl(value);
    const { download, attempts } = await openFirst([value], signal);
    if (download === undefined) {
      throw new ImageWriteError(
        ImageWriteReason.Checksum,
        info.id,
        `the checksum file of image ${info.id} could not be fetched from ${where}: ${attempts.map((a) => a.error).join('; ')}`,
      );
    }
    let text: string;
    try {
      text = await readText(download);
    } catch (error) {
      signal.throwIfAborted();
      throw new ImageWriteError(
        ImageWriteReason.Checksum,
        info.id,
        `the checksum file of image ${info.id} at ${where} could not be read: ${describe(error)}`,
        error,
      );
    }
    const name = fileName(info.urls[0] ?? '');
    const found = parseChecksumFile(text, name);
    if (found === undefined) {
      throw new ImageWriteError(
        ImageWriteReason.Checksum,
        info.id,
        `the checksum file of image ${info.id} at ${where} has no line for "${name}"`,
      );
    }
    value = found;
  }
  value = value.toLowerCase();
  const algorithm = spec.algorithm ?? BY_LENGTH.get(value.length);
  if (
    algorithm === undefined ||
    !/^[0-9a-f]+$/.test(value) ||
    value.length !== HEX_LENGTH[algorithm]
  ) {
    throw new ImageWriteError(
      ImageWriteReason.Checksum,
      info.id,
      `image ${info.id} has checksum "${value.slice(0, 140)}", which is not a ` +
        `${algorithm === undefined ? 'md5, sha256 or sha512' : algorithm} value in hex`,
    );
  }
  if (algorithm === 'md5' && !allowMd5) throw refuseMd5(info.id);
  return { algorithm, value };
}

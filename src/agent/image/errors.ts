/**
 * The one error the image writer throws, with a reason the agent's command
 * API can map to ironic-python-agent's error types, and URLs printed without
 * the credentials they may carry.
 */

/** Why an image was not written; each one is a different thing for an operator to fix. */
export const ImageWriteReason = {
  /** image_info has no usable checksum, or a checksum file could not be read or parsed. */
  Checksum: 'checksum',
  /** md5 was asked for and the agent does not allow it. */
  Md5Refused: 'md5-refused',
  /** The downloaded bytes do not hash to the expected value. */
  ChecksumMismatch: 'checksum-mismatch',
  /** No URL answered, or the transfer broke. */
  Download: 'download',
  /** The image does not fit on the device. */
  TooLarge: 'too-large',
  /** A disk_format Ferrite does not write, or a qcow2 it will not convert. */
  Format: 'format',
  /** qemu-img is not installed or failed. */
  Convert: 'convert',
  /** Writing to or syncing the device failed. */
  Device: 'device',
  /** The caller's signal aborted the write. */
  Aborted: 'aborted',
} as const;
export type ImageWriteReason = (typeof ImageWriteReason)[keyof typeof ImageWriteReason];

/** An image could not be written; `message` says what to do about it. */
export class ImageWriteError extends Error {
  override readonly name = 'ImageWriteError';
  readonly reason: ImageWriteReason;
  readonly imageId: string;

  constructor(reason: ImageWriteReason, imageId: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.reason = reason;
    this.imageId = imageId;
  }
}

/**
 * A URL fit for a log line or an error: no user or password, and no query
 * string, where signed URLs (Swift temp URLs, S3 presigned ones) keep theirs.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    const query = parsed.search === '' ? '' : '?…';
    parsed.search = '';
    parsed.hash = '';
    return `${parsed.toString()}${query}`;
  } catch {
    return '(an unparsable URL)';
  }
}

/** The text of an error, whatever was thrown, with any URL in it shown as displayUrl would. */
export function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"<>]+/gi, (url) => displayUrl(url));
}

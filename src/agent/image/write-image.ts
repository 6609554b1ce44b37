/**
 * Writing an image to the root disk for standby.prepare_image, verified by
 * its checksum. Raw images stream from the network onto the disk with no
 * temporary copy; qcow2 images are staged in a temporary directory and
 * converted with qemu-img. Whatever fails, the disk is left without a
 * partial image on it: what was written is wiped before the error is thrown.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDevice, wipeWritten } from '../disk/device.ts';
import type { OpenDevice } from '../disk/device.ts';
import { checksumSpec, expectedChecksum } from './checksum.ts';
import type { ExpectedChecksum, HashAlgorithm } from './checksum.ts';
import { openFirst } from './download.ts';
import type { OpenDownload } from './download.ts';
import { describe, displayUrl, ImageWriteError, ImageWriteReason } from './errors.ts';
import { convertToRaw, QCOW2_MAGIC, qemuImageInfo, QemuImgError } from './qemu-img.ts';
import { ImageSink, TooLargeError } from './stream-writer.ts';

/** Ironic's image_info as the conductor sends it with standby.prepare_image. */
export interface ImageInfo {
  readonly id: string;
  readonly urls: readonly string[];
  /** 'raw' or 'qcow2'; absent, the image's first bytes tell. Others are refused. */
  readonly disk_format?: string;
  /** Legacy: a hex value (md5 when 32 characters) or the http(s) URL of a checksum file. */
  readonly checksum?: string;
  /** 'sha256', 'sha512' or 'md5'; preferred to `checksum` when given with os_hash_value. */
  readonly os_hash_algo?: string;
  /** A hex value or the http(s) URL of a checksum file. */
  readonly os_hash_value?: string;
  /** Accepted for compatibility: Ferrite always streams raw images. */
  readonly stream_raw_images?: boolean;
}

export interface WriteImageOptions {
  /** The root device's path: /dev/sda, or a file in tests. */
  readonly device: string;
  /** Whether md5 checksums are accepted; otherwise they are refused with a clear error. */
  readonly allowMd5: boolean;
  readonly signal: AbortSignal;
  /** Where a qcow2 image is staged before conversion; default the system's temporary directory. */
  readonly tmpDir?: string;
  /** Bytes downloaded so far and the image's size when the server told it. */
  readonly onProgress?: (written: number, total: number | undefined) => void;
}

export interface WriteImageResult {
  /** Bytes of raw image now on the device (a qcow2 image's virtual size). */
  readonly bytes: number;
  readonly algorithm: HashAlgorithm;
  /** The verified checksum, lower-case hex. */
  readonly checksum: string;
  readonly format: 'raw' | 'qcow2';
  /** The URL the image came from, without credentials or query. */
  readonly url: string;
}

const FORMATS = new Set(['raw', 'qcow2']);

function checkInfo(info: ImageInfo): 'raw' | 'qcow2' | undefined {
  // image_info arrives as JSON: the types are a hope until checked.
  if ((info.id as unknown) === undefined || typeof info.id !== 'string' || info.id === '') {
    throw new ImageWriteError(ImageWriteReason.Format, '', 'image_info has no id');
  }
  if (!Array.isArray(info.urls) || info.urls.length === 0) {
    throw new ImageWriteError(
      ImageWriteReason.Download,
      info.id,
      `image ${info.id} has no URLs to download it from`,
    );
  }
  const format = info.disk_format?.trim().toLowerCase();
  if (format === undefined || format === '') return undefined;
  if (!FORMATS.has(format)) {
    throw new ImageWriteError(
      ImageWriteReason.Format,
      info.id,
      `image ${info.id} has disk_format "${format}", which Ferrite does not write: convert it to raw or qcow2`,
    );
  }
  return format as 'raw' | 'qcow2';
}

/** The context every failure message needs. */
interface Job {
  readonly info: ImageInfo;
  readonly options: WriteImageOptions;
  readonly device: OpenDevice;
  readonly download: OpenDownload;
  readonly expected: ExpectedChecksum;
}

/** Wipes what was written and says so, or says why it could not be. */
async function wipe(job: Job, extent: number): Promise<string> {
  if (extent <= 0) return 'nothing had been written to the device';
  try {
    await wipeWritten(job.device, extent);
    return `the ${extent} bytes written to ${job.device.path} have been wiped`;
  } catch (error) {
    return `wiping the ${extent} bytes written to ${job.device.path} FAILED (${describe(error)}): the disk holds a partial image`;
  }
}

/** Turns whatever a stream threw into an ImageWriteError, after wiping `extent` bytes. */
async function failure(
  job: Job,
  error: unknown,
  extent: number,
  limit: number,
): Promise<ImageWriteError> {
  const { info, options, device } = job;
  const wiped = await wipe(job, extent);
  const from = displayUrl(job.download.url);
  if (error instanceof ImageWriteError) {
    return new ImageWriteError(error.reason, info.id, `${error.message}; ${wiped}`, error);
  }
  if (options.signal.aborted) {
    return new ImageWriteError(
      ImageWriteReason.Aborted,
      info.id,
      `writing image ${info.id} to ${device.path} was aborted; ${wiped}`,
      error,
    );
  }
  if (error instanceof TooLargeError) {
    return new ImageWriteError(
      ImageWriteReason.TooLarge,
      info.id,
      `image ${info.id} from ${from} is larger than ${device.path} (${limit} bytes): ${error.message}; ${wiped}`,
      error,
    );
  }
  if (error instanceof QemuImgError) {
    return new ImageWriteError(
      ImageWriteReason.Convert,
      info.id,
      `image ${info.id}: ${describe(error)}; ${wiped}`,
      error,
    );
  }
  const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
  if (syscall !== undefined && syscall !== 'read' && syscall !== 'connect') {
    return new ImageWriteError(
      ImageWriteReason.Device,
      info.id,
      `writing image ${info.id} to ${device.path} failed: ${describe(error)}; ${wiped}`,
      error,
    );
  }
  return new ImageWriteError(
    ImageWriteReason.Download,
    info.id,
    `downloading image ${info.id} from ${from} failed: ${describe(error)}; ${wiped}`,
    error,
  );
}

function mismatch(job: Job, computed: string): ImageWriteError {
  const { info, expected } = job;
  return new ImageWriteError(
    ImageWriteReason.ChecksumMismatch,
    info.id,
    `image ${info.id} from ${displayUrl(job.download.url)} failed verification: expected ${expected.algorithm} ` +
      `${expected.value}, computed ${computed}`,
  );
}

/** A temporary directory for a qcow2 image, and the open file it is staged in. */
interface Staging {
  readonly dir: string;
  readonly path: string;
  readonly handle: FileHandle;
}

async function stage(tmpDir: string | undefined): Promise<Staging> {
  const dir = await mkdtemp(join(tmpDir ?? tmpdir(), 'ferrite-image-'));
  const path = join(dir, 'image.qcow2');
  try {
    return { dir, path, handle: await open(path, 'w') };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Where a qcow2 image is staged, once its first bytes have said it is one. */
interface StagingSlot {
  staging?: Staging;
}

/** Downloads into the device (raw) or a staging file (qcow2), hashing; wipes and throws on failure. */
async function receive(
  job: Job,
  declared: 'raw' | 'qcow2' | undefined,
  slot: StagingSlot,
): Promise<{ qcow2: boolean; bytes: number; computed: string }> {
  const { device, download, expected, options } = job;
  const sink = new ImageSink(
    createHash(expected.algorithm),
    async (head) => {
      const qcow2 = declared === 'qcow2' || (declared === undefined && head.equals(QCOW2_MAGIC));
      if (!qcow2) return { handle: device.handle, limit: device.size };
      // Made only for a qcow2 image, so a raw write leaves nothing behind whatever happens.
      slot.staging = await stage(options.tmpDir);
      return { handle: slot.staging.handle, limit: Number.MAX_SAFE_INTEGER };
    },
    download,
    download.length,
    (written) => options.onProgress?.(written, download.length),
  );
  const onDevice = (): number => (sink.target?.handle === device.handle ? sink.dispatched : 0);
  let bytes: number;
  let computed: string;
  try {
    try {
      await download.consume(sink);
    } catch (error) {
      throw sink.failure ?? error;
    }
    bytes = await sink.finish();
    if (download.length !== undefined && bytes !== download.length) {
      throw new Error(`the server sent ${bytes} of ${download.length} bytes`);
    }
    computed = sink.digest();
    if (computed !== expected.value) throw mismatch(job, computed);
  } catch (error) {
    await sink.settle();
    const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
    const staging = slot.staging;
    if (staging !== undefined && sink.target?.handle === staging.handle && syscall === 'write') {
      throw new ImageWriteError(
        ImageWriteReason.Device,
        job.info.id,
        `staging qcow2 image ${job.info.id} in ${staging.dir} failed: ${describe(error)}; ` +
          'nothing had been written to the device',
        error,
      );
    }
    throw await failure(job, error, onDevice(), device.size);
  }
  return { qcow2: sink.target?.handle !== device.handle, bytes, computed };
}

async function writeQcow2(job: Job, staging: Staging): Promise<number> {
  const { info, device, options } = job;
  let extent = 0;
  try {
    await staging.handle.close();
    const image = await qemuImageInfo(staging.path, 'qcow2', options.signal);
    if (image.backingFile !== undefined || image.dataFile !== undefined) {
      throw new ImageWriteError(
        ImageWriteReason.Format,
        info.id,
        `image ${info.id} is a qcow2 image that refers to another file ` +
          `(${image.backingFile ?? image.dataFile ?? ''}); Ferrite writes only self-contained images`,
      );
    }
    if (!Number.isSafeInteger(image.virtualSize) || image.virtualSize > device.size) {
      throw new TooLargeError(`virtual size ${image.virtualSize}`);
    }
    extent = image.virtualSize;
    await convertToRaw(staging.path, device.path, options.signal);
    await device.handle.sync();
    return image.virtualSize;
  } catch (error) {
    throw await failure(job, error, extent, device.size);
  }
}

/**
 * Downloads the image from the first of its URLs that answers, verifies its
 * checksum and writes it to `options.device` from offset 0, synced to the
 * disk before returning. Throws ImageWriteError, having wiped any partial
 * write, when the checksum is missing, refused or wrong, no URL answers, the
 * transfer breaks, the image does not fit, or the signal aborts.
 */
export async function writeImage(
  info: ImageInfo,
  options: WriteImageOptions,
): Promise<WriteImageResult> {
  const declared = checkInfo(info);
  const spec = checksumSpec(info, options.allowMd5);
  let expected: ExpectedChecksum;
  try {
    expected = await expectedChecksum(info, spec, options.allowMd5, options.signal);
  } catch (error) {
    if (error instanceof ImageWriteError) throw error;
    throw new ImageWriteError(
      ImageWriteReason.Aborted,
      info.id,
      `writing image ${info.id} was aborted before it started`,
      error,
    );
  }
  let device: OpenDevice;
  try {
    device = await openDevice(options.device);
  } catch (error) {
    throw new ImageWriteError(
      ImageWriteReason.Device,
      info.id,
      `cannot open ${options.device} to write image ${info.id}: ${describe(error)}`,
      error,
    );
  }
  try {
    let opened: Awaited<ReturnType<typeof openFirst>>;
    try {
      opened = await openFirst(info.urls, options.signal);
    } catch (error) {
      throw new ImageWriteError(
        ImageWriteReason.Aborted,
        info.id,
        `writing image ${info.id} was aborted before it started`,
        error,
      );
    }
    const download = opened.download;
    if (download === undefined) {
      const tried = opened.attempts.map((a) => `${a.url}: ${a.error}`).join('; ');
      throw new ImageWriteError(
        ImageWriteReason.Download,
        info.id,
        `no URL of image ${info.id} answered (${tried})`,
      );
    }
    const job: Job = { info, options, device, download, expected };
    const url = displayUrl(download.url);
    const slot: StagingSlot = {};
    try {
      const received = await receive(job, declared, slot);
      if (received.qcow2 && slot.staging !== undefined) {
        const bytes = await writeQcow2(job, slot.staging);
        return {
          bytes,
          algorithm: expected.algorithm,
          checksum: received.computed,
          format: 'qcow2',
          url,
        };
      }
      try {
        await device.handle.sync();
      } catch (error) {
        throw await failure(job, error, received.bytes, device.size);
      }
      return {
        bytes: received.bytes,
        algorithm: expected.algorithm,
        checksum: received.computed,
        format: 'raw',
        url,
      };
    } finally {
      download.abort(new Error('the write is over'));
      if (slot.staging !== undefined) {
        await slot.staging.handle.close().catch(() => undefined);
        await rm(slot.staging.dir, { recursive: true, force: true });
      }
    }
  } finally {
    await device.handle.close();
  }
}

/**
 * A disk the agent writes to: a block device in production (/dev/sda), a
 * plain file of fixed size in tests. Both are opened read-write without
 * creating or truncating, and sized without ioctls: the kernel's sector
 * count in /sys for a block device, fstat for a file.
 */
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** An open disk: its handle, size in bytes, and whether it is a real block device. */
export interface OpenDevice {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
  readonly isBlockDevice: boolean;
  /** A block device's logical sector size; undefined for a file, where the data must tell. */
  readonly sectorSize: number | undefined;
}

/** Bytes per write when zeroing: big enough that syscalls do not count. */
const ZERO_CHUNK = 8 * 1024 * 1024;

/** Linux's dev_t layout (glibc's gnu_dev_major/minor), on numbers because rdev is one. */
export function majorMinor(rdev: number): string {
  const high = Math.floor(rdev / 2 ** 32);
  const low = rdev % 2 ** 32;
  const major = ((low >>> 8) & 0xfff) | ((high & 0xfffff000) >>> 0);
  const minor = (low & 0xff) | ((low >>> 12) & 0xfff00);
  return `${major}:${minor}`;
}

/** A number from the block device's directory in /sys, when there is one. */
async function sysNumber(rdev: number, file: string): Promise<number | undefined> {
  try {
    const text = await readFile(`/sys/dev/block/${majorMinor(rdev)}/${file}`, 'utf8');
    const value = Number(text.trim());
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The size of a block device: /sys/dev/block/M:m/size counts 512-byte sectors whatever the device's own. */
async function blockDeviceSize(handle: FileHandle, rdev: number): Promise<number> {
  try {
    const sectors = Number(
      (await readFile(`/sys/dev/block/${majorMinor(rdev)}/size`, 'utf8')).trim(),
    );
    if (Number.isSafeInteger(sectors) && sectors > 0) return sectors * 512;
  } catch {
    // No sysfs (a container without it): find the end by reading.
  }
  return sizeByReading(handle);
}

/** The first offset where a read returns nothing: doubling, then bisecting, some 80 one-byte reads. */
export async function sizeByReading(handle: FileHandle): Promise<number> {
  const probe = Buffer.alloc(1);
  const readable = async (offset: number): Promise<boolean> =>
    (await handle.read(probe, 0, 1, offset)).bytesRead === 1;
  if (!(await readable(0))) return 0;
  // Invariant: byte low-1 reads, byte high-1 does not.
  let low = 1;
  let high = 2;
  while (await readable(high - 1)) {
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await readable(middle - 1)) low = middle;
    else high = middle;
  }
  return low;
}

/** Opens a disk, read-write unless `readOnly`: never creates it and never truncates it. */
export async function openDevice(path: string, readOnly = false): Promise<OpenDevice> {
  const handle = await open(path, readOnly ? constants.O_RDONLY : constants.O_RDWR);
  try {
    const stat = await handle.stat();
    if (stat.isBlockDevice()) {
      return {
        path,
        handle,
        size: await blockDeviceSize(handle, stat.rdev),
        isBlockDevice: true,
        sectorSize: await sysNumber(stat.rdev, 'queue/logical_block_size'),
      };
    }
    if (!stat.isFile()) throw new Error(`${path} is neither a block device nor a regular file`);
    return { path, handle, size: stat.size, isBlockDevice: false, sectorSize: undefined };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Writes zeros over [start, end) and flushes them to the disk. Writing is the
 * only way on a block device; a test file could be punched, but one code path
 * for both keeps what the tests check the same as what production runs.
 */
export async function zeroRange(
  device: OpenDevice,
  start: number,
  end: number,
  signal?: AbortSignal,
  onProgress?: (done: number) => void,
): Promise<void> {
  const zeros = Buffer.alloc(Math.min(ZERO_CHUNK, Math.max(0, end - start)));
  for (let offset = start; offset < end;) {
    signal?.throwIfAborted();
    const length = Math.min(zeros.length, end - offset);
    const { bytesWritten } = await device.handle.write(zeros, 0, length, offset);
    offset += bytesWritten;
    onProgress?.(offset - start);
  }
  await device.handle.sync();
}

/**
 * Undoes a partial write of [0, written): a block device gets zeros written
 * over the range; a regular file (a test disk) is truncated to nothing and
 * back to its size, which reads back as zeros throughout at no cost.
 */
export async function wipeWritten(device: OpenDevice, written: number): Promise<void> {
  if (written <= 0) return;
  if (device.isBlockDevice) {
    await zeroRange(device, 0, Math.min(written, device.size));
    return;
  }
  await device.handle.truncate(0);
  await device.handle.truncate(device.size);
  await device.handle.sync();
}

/**
 * Erasing disks for cleaning, as ironic-python-agent's erase_devices_metadata
 * and erase_devices (shred) steps do: the partition tables at both ends of
 * the disk, or the whole disk overwritten with random passes and zeros.
 */
import { randomFillSync } from 'node:crypto';
import { openDevice, zeroRange } from './device.ts';
import type { OpenDevice } from './device.ts';

const MIB = 1024 * 1024;
/** Bytes per write while erasing: large requests, and randomness made in big blocks. */
const ERASE_CHUNK = 8 * MIB;

/** A byte range [start, end) of a device. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What eraseMetadata did. */
export interface MetadataErasure {
  readonly device: string;
  readonly size: number;
  /** The ranges zeroed: the first MiB and the last MiB (one range on a disk of 2 MiB or less). */
  readonly zeroed: readonly ByteRange[];
}

async function withDevice<T>(path: string, action: (device: OpenDevice) => Promise<T>): Promise<T> {
  const device = await openDevice(path);
  try {
    return await action(device);
  } finally {
    await device.handle.close();
  }
}

/**
 * Zeros the first and the last MiB of the device: the MBR, the primary GPT
 * and the backup GPT at the end, and most file system signatures with them.
 * Synced before it returns. Throws the signal's reason when aborted.
 */
export async function eraseMetadata(device: string, signal: AbortSignal): Promise<MetadataErasure> {
  return withDevice(device, async (open) => {
    signal.throwIfAborted();
    const head = Math.min(MIB, open.size);
    const tailStart = Math.max(head, open.size - MIB);
    const zeroed: ByteRange[] = [];
    if (tailStart <= head) {
      await zeroRange(open, 0, open.size, signal);
      zeroed.push({ start: 0, end: open.size });
    } else {
      await zeroRange(open, 0, head, signal);
      await zeroRange(open, tailStart, open.size, signal);
      zeroed.push({ start: 0, end: head }, { start: tailStart, end: open.size });
    }
    return { device, size: open.size, zeroed };
  });
}

/** How eraseDevice overwrites a disk. */
export interface EraseOptions {
  /** Passes of random data (IPA's agent_erase_devices_iterations); 0 for none. */
  readonly randomPasses: number;
  /** A final pass of zeros (IPA's agent_erase_devices_zeroize). */
  readonly zeroPass: boolean;
}

/** Where an erasure stands: bytes done over all passes, of `total`. */
export interface EraseProgress {
  readonly pass: number;
  readonly passes: number;
  readonly done: number;
  readonly total: number;
}

/** What eraseDevice did. */
export interface DeviceErasure {
  readonly device: string;
  readonly size: number;
  readonly randomPasses: number;
  readonly zeroPass: boolean;
  readonly bytesWritten: number;
}

/**
 * One pass of random bytes over the whole device. The next block is filled
 * (OpenSSL's generator, GB/s) while the previous one is written from the
 * thread pool, so the disk, not the randomness, sets the pace.
 */
async function randomPass(
  device: OpenDevice,
  signal: AbortSignal,
  onWritten: (done: number) => void,
): Promise<void> {
  const buffers = [Buffer.allocUnsafeSlow(ERASE_CHUNK), Buffer.allocUnsafeSlow(ERASE_CHUNK)];
  let pending: Promise<unknown> | undefined;
  let turn = 0;
  try {
    for (let offset = 0; offset < device.size;) {
      signal.throwIfAborted();
      const buffer = buffers[turn % 2] ?? Buffer.alloc(0);
      const length = Math.min(buffer.length, device.size - offset);
      randomFillSync(buffer, 0, length);
      await pending;
      const at = offset;
      pending = writeFully(device, buffer, length, at).then(() => onWritten(at + length));
      offset += length;
      turn += 1;
    }
    await pending;
  } catch (error) {
    // Nothing may still be writing when the caller hears of the failure.
    await pending?.catch(() => undefined);
    throw error;
  }
  await device.handle.sync();
}

async function writeFully(
  device: OpenDevice,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await device.handle.write(
      buffer,
      done,
      length - done,
      position + done,
    );
    if (bytesWritten === 0)
      throw new Error(`${device.path} took no bytes at offset ${position + done}`);
    done += bytesWritten;
  }
}

/**
 * Overwrites the whole device: `randomPasses` passes of random data, then
 * zeros when `zeroPass`. Each pass is synced before the next, so a later
 * pass cannot merely replace an earlier one in the page cache. Throws the
 * signal's reason when aborted (the disk is then partly overwritten).
 */
export async function eraseDevice(
  device: string,
  options: EraseOptions,
  signal: AbortSignal,
  onProgress?: (progress: EraseProgress) => void,
): Promise<DeviceErasure> {
  const randomPasses = Math.max(0, Math.floor(options.randomPasses));
  const passes = randomPasses + (options.zeroPass ? 1 : 0);
  return withDevice(device, async (open) => {
    const total = open.size * passes;
    let bytesWritten = 0;
    for (let pass = 1; pass <= passes; pass++) {
      const before = (pass - 1) * open.size;
      const report = (done: number): void => {
        bytesWritten = before + done;
        onProgress?.({ pass, passes, done: bytesWritten, total });
      };
      if (pass <= randomPasses) await randomPass(open, signal, report);
      else await zeroRange(open, 0, open.size, signal, report);
    }
    return { device, size: open.size, randomPasses, zeroPass: options.zeroPass, bytesWritten };
  });
}

/**
 * The small bootable image Ferrite makes for the lab and the demo: a GPT
 * disk with an EFI system partition and a root partition whose first
 * sector names the image (and the sha256 of what follows), so a lab
 * machine booting from its disk can tell which image it holds and whether
 * every byte arrived.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { FIRST_USABLE, PARTITION_TYPE, SECTOR, gptStructures, readGpt } from './gpt.ts';

const MIB = 1024 * 1024;
const MAGIC = 'FERRITE-IMAGE\n';
export const ROOT_PARTITION_NAME = 'ferrite-root';

/** What the image says about itself, in its root partition's first sector. */
export interface ImageLabel {
  readonly name: string;
  readonly id: string;
  readonly payloadBytes: number;
  readonly payloadSha256: string;
}

export interface DemoImage {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly label: ImageLabel;
}

/**
 * Writes a raw image of `sizeMiB` (at least 4) to `path`: partition 1 the
 * ESP (1 MiB), partition 2 the root, filled with random bytes after its label.
 */
export async function makeDemoImage(
  path: string,
  sizeMiB: number,
  name = 'ferrite-demo',
): Promise<DemoImage> {
  if (!Number.isInteger(sizeMiB) || sizeMiB < 4)
    throw new Error('a demo image needs at least 4 MiB');
  const bytes = sizeMiB * MIB;
  const sectors = bytes / SECTOR;
  const espFirst = MIB / SECTOR;
  const rootFirst = 2 * (MIB / SECTOR);
  const rootLast = sectors - FIRST_USABLE - 1;
  const partitions = [
    {
      type: PARTITION_TYPE.esp,
      uuid: randomUUID(),
      name: 'EFI system partition',
      firstLba: espFirst,
      lastLba: rootFirst - 1,
    },
    {
      type: PARTITION_TYPE.linux,
      uuid: randomUUID(),
      name: ROOT_PARTITION_NAME,
      firstLba: rootFirst,
      lastLba: rootLast,
    },
  ];
  const { head, tail } = gptStructures(sectors, partitions);
  const payloadBytes = (rootLast - rootFirst) * SECTOR;
  const hash = createHash('sha256');
  const whole = createHash('sha256');
  const handle = await open(path, 'w+');
  try {
    await handle.truncate(bytes);
    await handle.write(head, 0, head.length, 0);
    // Random payload in 1 MiB pieces after the label sector.
    const payloadStart = (rootFirst + 1) * SECTOR;
    for (let at = 0; at < payloadBytes; at += MIB) {
      const piece = randomBytes(Math.min(MIB, payloadBytes - at));
      hash.update(piece);
      await handle.write(piece, 0, piece.length, payloadStart + at);
    }
    const label: ImageLabel = {
      name,
      id: randomUUID(),
      payloadBytes,
      payloadSha256: hash.digest('hex'),
    };
    const sector = Buffer.alloc(SECTOR);
    sector.write(`${MAGIC}${JSON.stringify(label)}\n`, 0, 'utf8');
    await handle.write(sector, 0, SECTOR, rootFirst * SECTOR);
    await handle.write(tail, 0, tail.length, bytes - tail.length);
    await handle.sync();
    // The image's own checksum, as instance_info will carry it.
    const reader = Buffer.alloc(4 * MIB);
    for (let at = 0; at < bytes; at += reader.length) {
      const { bytesRead } = await handle.read(reader, 0, Math.min(reader.length, bytes - at), at);
      whole.update(reader.subarray(0, bytesRead));
    }
    return { path, bytes, sha256: whole.digest('hex'), label };
  } finally {
    await handle.close();
  }
}

/** What a machine finds on its disk when it boots from it. */
export type DiskReport =
  | {
      readonly bootable: true;
      readonly label: ImageLabel;
      readonly intact: boolean;
      readonly diskGuid: string;
    }
  | { readonly bootable: false; readonly reason: string };

/**
 * Reads the image on a disk: its GPT, the root partition's label, and (when
 * `verify`) the payload against the label's sha256.
 */
export async function readDiskImage(disk: string, verify = true): Promise<DiskReport> {
  const handle = await open(disk, 'r');
  try {
    const start = Buffer.alloc(FIRST_USABLE * SECTOR);
    await handle.read(start, 0, start.length, 0);
    const gpt = readGpt(start);
    if (!gpt) return { bootable: false, reason: 'no partition table' };
    const root = gpt.partitions.find((p) => p.name === ROOT_PARTITION_NAME);
    if (!root) return { bootable: false, reason: 'no ferrite-root partition' };
    const sector = Buffer.alloc(SECTOR);
    await handle.read(sector, 0, SECTOR, root.firstLba * SECTOR);
    const text = sector.toString('utf8');
    if (!text.startsWith(MAGIC))
      return { bootable: false, reason: 'the root partition holds no image label' };
    const label = JSON.parse(text.slice(MAGIC.length).split('\n')[0] ?? '{}') as ImageLabel;
    let intact = true;
    if (verify) {
      const hash = createHash('sha256');
      const buffer = Buffer.alloc(4 * MIB);
      const from = (root.firstLba + 1) * SECTOR;
      for (let at = 0; at < label.payloadBytes; at += buffer.length) {
        const length = Math.min(buffer.length, label.payloadBytes - at);
        const { bytesRead } = await handle.read(buffer, 0, length, from + at);
        hash.update(buffer.subarray(0, bytesRead));
      }
      intact = hash.digest('hex') === label.payloadSha256;
    }
    return { bootable: true, label, intact, diskGuid: gpt.diskGuid };
  } finally {
    await handle.close();
  }
}

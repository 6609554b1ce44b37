/**
 * Reading the partition table an image put on the disk, for
 * standby.get_partition_uuids: GPT (primary header, or the backup at the
 * end of the disk when the primary is damaged) or MBR, parsed from the
 * bytes rather than with parted or blkid, which a test disk file and a
 * minimal ramdisk may both lack.
 */
import { crc32 } from 'node:zlib';
import { openDevice } from './device.ts';
import type { OpenDevice } from './device.ts';

/** The EFI system partition's GPT type GUID. */
export const ESP_TYPE_GUID = 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b';
/** The EFI system partition's MBR type byte. */
export const ESP_MBR_TYPE = 0xef;

/** One partition, numbered as the kernel numbers it (sda1 is 1). */
export interface PartitionEntry {
  readonly number: number;
  /** GPT: the partition's unique GUID. MBR: Linux's PARTUUID, `<signature>-<number>` in hex. */
  readonly uuid: string;
  /** GPT: the type GUID. MBR: the type byte as `0x..`. */
  readonly type: string;
  readonly first_lba: number;
  readonly last_lba: number;
  /** GPT only: the partition's name. */
  readonly name?: string;
  /** MBR only: the active (boot) flag. */
  readonly bootable?: boolean;
}

/**
 * Shaped like ironic-python-agent's get_partition_uuids result for a whole
 * disk image. Like IPA (ironic-lib's get_disk_identifier, which hexdumps
 * the four bytes at offset 440), "root uuid" is the MBR disk signature as
 * `0x` and eight hex digits, on a GPT disk too (there, the protective MBR's,
 * usually 0x00000000); the GPT disk GUID is given beside it.
 */
export interface PartitionUuids {
  readonly 'root uuid': string | null;
  readonly 'efi system partition uuid': string | null;
  readonly partitions: PartitionEntry[];
  readonly 'partition table': 'gpt' | 'msdos' | null;
  /** GPT only: the disk GUID. */
  readonly 'disk guid': string | null;
}

const NONE: PartitionUuids = {
  'root uuid': null,
  'efi system partition uuid': null,
  partitions: [],
  'partition table': null,
  'disk guid': null,
};

/** A GUID as text: the first three fields little-endian, the rest as stored; lower case. */
export function guidText(bytes: Buffer): string {
  const hex = (from: number, to: number): string => bytes.subarray(from, to).toString('hex');
  const le = (from: number, to: number): string =>
    Buffer.from(bytes.subarray(from, to)).reverse().toString('hex');
  return `${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${hex(8, 10)}-${hex(10, 16)}`;
}

async function readAt(device: OpenDevice, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  if (position < 0 || position >= device.size) return buffer.subarray(0, 0);
  const { bytesRead } = await device.handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

interface GptHeader {
  readonly diskGuid: string;
  readonly entriesLba: bigint;
  readonly entryCount: number;
  readonly entrySize: number;
  readonly entriesCrc: number;
}

/** A GPT header at `lba`, when its signature and CRC are right. */
async function gptHeader(
  device: OpenDevice,
  sector: number,
  lba: number,
): Promise<GptHeader | undefined> {
  const header = await readAt(device, lba * sector, sector);
  if (header.length < 92 || header.toString('latin1', 0, 8) !== 'EFI PART') return undefined;
  const size = header.readUInt32LE(12);
  if (size < 92 || size > header.length) return undefined;
  const copy = Buffer.from(header.subarray(0, size));
  copy.writeUInt32LE(0, 16);
  if (crc32(copy) !== header.readUInt32LE(16)) return undefined;
  if (header.readBigUInt64LE(24) !== BigInt(lba)) return undefined;
  const entryCount = header.readUInt32LE(80);
  const entrySize = header.readUInt32LE(84);
  if (entrySize < 128 || entrySize % 8 !== 0 || entryCount > 4096) return undefined;
  return {
    diskGuid: guidText(header.subarray(56, 72)),
    entriesLba: header.readBigUInt64LE(72),
    entryCount,
    entrySize,
    entriesCrc: header.readUInt32LE(88),
  };
}

async function gptPartitions(
  device: OpenDevice,
  sector: number,
  header: GptHeader,
): Promise<PartitionEntry[] | undefined> {
  const table = await readAt(
    device,
    Number(header.entriesLba) * sector,
    header.entryCount * header.entrySize,
  );
  if (table.length !== header.entryCount * header.entrySize || crc32(table) !== header.entriesCrc) {
    return undefined;
  }
  const partitions: PartitionEntry[] = [];
  for (let index = 0; index < header.entryCount; index++) {
    const entry = table.subarray(index * header.entrySize, (index + 1) * header.entrySize);
    if (entry.subarray(0, 16).every((byte) => byte === 0)) continue;
    const name = entry.toString('utf16le', 56, 128);
    const end = name.indexOf('\u0000');
    partitions.push({
      number: index + 1,
      uuid: guidText(entry.subarray(16, 32)),
      type: guidText(entry.subarray(0, 16)),
      first_lba: Number(entry.readBigUInt64LE(32)),
      last_lba: Number(entry.readBigUInt64LE(40)),
      name: end === -1 ? name : name.slice(0, end),
    });
  }
  return partitions;
}

/** The GPT, tried at each plausible sector size, primary header first and then the backup. */
async function readGpt(
  device: OpenDevice,
): Promise<{ diskGuid: string; partitions: PartitionEntry[] } | undefined> {
  const sizes = device.sectorSize === undefined ? [512, 4096] : [device.sectorSize];
  for (const sector of sizes) {
    const last = Math.floor(device.size / sector) - 1;
    for (const lba of [1, last]) {
      if (lba < 1) continue;
      const header = await gptHeader(device, sector, lba);
      if (header === undefined) continue;
      const partitions = await gptPartitions(device, sector, header);
      if (partitions !== undefined) return { diskGuid: header.diskGuid, partitions };
    }
  }
  return undefined;
}

/**
 * Reads the partition table on `device` (a block device or a disk image
 * file). A disk with neither a valid MBR nor a GPT gives nulls and no
 * partitions. Only MBR primary partitions are listed (not logical ones).
 */
export async function readPartitionUuids(device: string): Promise<PartitionUuids> {
  const open = await openDevice(device, true);
  try {
    const mbr = await readAt(open, 0, 512);
    if (mbr.length < 512 || mbr[510] !== 0x55 || mbr[511] !== 0xaa) return NONE;
    const signature = mbr.readUInt32LE(440);
    const rootUuid = `0x${signature.toString(16).padStart(8, '0')}`;
    const entries = [0, 1, 2, 3].map((index) => mbr.subarray(446 + index * 16, 462 + index * 16));
    const protective = entries.some((entry) => entry[4] === 0xee);
    if (protective) {
      const gpt = await readGpt(open);
      if (gpt === undefined) return NONE;
      const esp = gpt.partitions.find((partition) => partition.type === ESP_TYPE_GUID);
      return {
        'root uuid': rootUuid,
        'efi system partition uuid': esp?.uuid ?? null,
        partitions: gpt.partitions,
        'partition table': 'gpt',
        'disk guid': gpt.diskGuid,
      };
    }
    const partitions: PartitionEntry[] = [];
    entries.forEach((entry, index) => {
      const type = entry[4] ?? 0;
      const sectors = entry.readUInt32LE(12);
      if (type === 0 || sectors === 0) return;
      const first = entry.readUInt32LE(8);
      partitions.push({
        number: index + 1,
        uuid: `${signature.toString(16).padStart(8, '0')}-${String(index + 1).padStart(2, '0')}`,
        type: `0x${type.toString(16).padStart(2, '0')}`,
        first_lba: first,
        last_lba: first + sectors - 1,
        bootable: entry[0] === 0x80,
      });
    });
    const esp = partitions.find((partition) => partition.type === '0xef');
    return {
      'root uuid': rootUuid,
      'efi system partition uuid': esp?.uuid ?? null,
      partitions,
      'partition table': 'msdos',
      'disk guid': null,
    };
  } finally {
    await open.handle.close();
  }
}

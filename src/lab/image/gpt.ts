/**
 * Just enough GPT to make and read the lab's disk images: a protective MBR,
 * primary and backup headers with their partition arrays, CRC32s included.
 */
import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const SECTOR = 512;
const ENTRIES = 128;
const ENTRY_SIZE = 128;
const ENTRY_SECTORS = (ENTRIES * ENTRY_SIZE) / SECTOR;
/** The first usable sector: after the MBR, the header and the partition array. */
export const FIRST_USABLE = 2 + ENTRY_SECTORS;

export const PARTITION_TYPE = {
  esp: 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b',
  linux: '0fc63daf-8483-4772-8e79-3d69d8477de4',
} as const;

export interface GptPartition {
  readonly type: string;
  readonly uuid: string;
  readonly name: string;
  readonly firstLba: number;
  readonly lastLba: number;
}

/** A GUID in its text form → the mixed-endian bytes GPT stores. */
export function guidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  const out = Buffer.alloc(16);
  out.writeUInt32LE(bytes.readUInt32BE(0), 0);
  out.writeUInt16LE(bytes.readUInt16BE(4), 4);
  out.writeUInt16LE(bytes.readUInt16BE(6), 6);
  bytes.copy(out, 8, 8, 16);
  return out;
}

export function guidText(bytes: Buffer): string {
  const hex = [
    bytes.readUInt32LE(0).toString(16).padStart(8, '0'),
    bytes.readUInt16LE(4).toString(16).padStart(4, '0'),
    bytes.readUInt16LE(6).toString(16).padStart(4, '0'),
    bytes.subarray(8, 10).toString('hex'),
    bytes.subarray(10, 16).toString('hex'),
  ];
  return hex.join('-');
}

function entryArray(partitions: readonly GptPartition[]): Buffer {
  const array = Buffer.alloc(ENTRIES * ENTRY_SIZE);
  partitions.forEach((p, i) => {
    const at = i * ENTRY_SIZE;
    guidBytes(p.type).copy(array, at);
    guidBytes(p.uuid).copy(array, at + 16);
    array.writeBigUInt64LE(BigInt(p.firstLba), at + 32);
    array.writeBigUInt64LE(BigInt(p.lastLba), at + 40);
    array.write(p.name.slice(0, 36), at + 56, 'utf16le');
  });
  return array;
}

function header(
  diskGuid: string,
  current: number,
  backup: number,
  entriesLba: number,
  lastUsable: number,
  arrayCrc: number,
): Buffer {
  const h = Buffer.alloc(SECTOR);
  h.write('EFI PART', 0, 'latin1');
  h.writeUInt32LE(0x00010000, 8);
  h.writeUInt32LE(92, 12);
  h.writeBigUInt64LE(BigInt(current), 24);
  h.writeBigUInt64LE(BigInt(backup), 32);
  h.writeBigUInt64LE(BigInt(FIRST_USABLE), 40);
  h.writeBigUInt64LE(BigInt(lastUsable), 48);
  guidBytes(diskGuid).copy(h, 56);
  h.writeBigUInt64LE(BigInt(entriesLba), 72);
  h.writeUInt32LE(ENTRIES, 80);
  h.writeUInt32LE(ENTRY_SIZE, 84);
  h.writeUInt32LE(arrayCrc, 88);
  h.writeUInt32LE(crc32(h.subarray(0, 92)), 16);
  return h;
}

/** The structures of a GPT disk of `sectors` sectors: what goes at its start and at its end. */
export function gptStructures(
  sectors: number,
  partitions: readonly GptPartition[],
  diskGuid: string = randomUUID(),
): { head: Buffer; tail: Buffer } {
  const last = sectors - 1;
  const lastUsable = last - 1 - ENTRY_SECTORS;
  const array = entryArray(partitions);
  const arrayCrc = crc32(array);
  const mbr = Buffer.alloc(SECTOR);
  // One protective partition of type 0xEE over the whole disk.
  mbr.writeUInt8(0xee, 446 + 4);
  mbr.writeUInt32LE(1, 446 + 8);
  mbr.writeUInt32LE(Math.min(sectors - 1, 0xffffffff), 446 + 12);
  mbr.writeUInt16LE(0xaa55, 510);
  const head = Buffer.concat([mbr, header(diskGuid, 1, last, 2, lastUsable, arrayCrc), array]);
  const tail = Buffer.concat([
    array,
    header(diskGuid, last, 1, last - ENTRY_SECTORS, lastUsable, arrayCrc),
  ]);
  return { head, tail };
}

/** Reads the primary GPT of a disk's first sectors; undefined when there is none (or it is damaged). */
export function readGpt(
  start: Buffer,
): { diskGuid: string; partitions: GptPartition[] } | undefined {
  if (start.length < FIRST_USABLE * SECTOR) return undefined;
  const h = start.subarray(SECTOR, 2 * SECTOR);
  if (h.toString('latin1', 0, 8) !== 'EFI PART') return undefined;
  const copy = Buffer.from(h.subarray(0, 92));
  const crc = copy.readUInt32LE(16);
  copy.writeUInt32LE(0, 16);
  if (crc32(copy) !== crc) return undefined;
  const entriesLba = Number(h.readBigUInt64LE(72));
  const count = h.readUInt32LE(80);
  const size = h.readUInt32LE(84);
  const array = start.subarray(entriesLba * SECTOR, entriesLba * SECTOR + count * size);
  if (array.length < count * size || crc32(array) !== h.readUInt32LE(88)) return undefined;
  const partitions: GptPartition[] = [];
  for (let i = 0; i < count; i++) {
    const entry = array.subarray(i * size, (i + 1) * size);
    if (entry.subarray(0, 16).every((b) => b === 0)) continue;
    partitions.push({
      type: guidText(entry.subarray(0, 16)),
      uuid: guidText(entry.subarray(16, 32)),
      firstLba: Number(entry.readBigUInt64LE(32)),
      lastLba: Number(entry.readBigUInt64LE(40)),
      name: entry.toString('utf16le', 56, 128).replace(/\0.*$/s, ''),
    });
  }
  return { diskGuid: guidText(h.subarray(56, 72)), partitions };
}

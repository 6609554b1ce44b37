import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { SECTOR } from './encoding.ts';

/** A directory entry as read: its name (Rock Ridge when present), where its data is, and its kind. */
interface Entry {
  readonly name: string;
  readonly lba: number;
  readonly size: number;
  readonly directory: boolean;
}

/** The Rock Ridge NM name in a record's System Use area, if any (no continuation areas). */
function rockRidgeName(record: Buffer, systemUseStart: number): string | undefined {
  let name: string | undefined;
  for (let at = systemUseStart; at + 4 <= record.length;) {
    const length = record[at + 2] ?? 0;
    if (length < 4) break;
    if (record.toString('latin1', at, at + 2) === 'NM') {
      name = (name ?? '') + record.toString('utf8', at + 5, at + length);
    }
    at += length;
  }
  return name;
}

/** `NAME.EXT;1` → `name.ext`, for images without Rock Ridge. */
function plainName(identifier: string): string {
  return identifier.replace(/;\d+$/, '').replace(/\.$/, '').toLowerCase();
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error('The ISO image ends early.');
  return buffer;
}

async function readDirectory(handle: FileHandle, lba: number, size: number): Promise<Entry[]> {
  const extent = await readAt(handle, lba * SECTOR, size);
  const entries: Entry[] = [];
  for (let at = 0; at < extent.length;) {
    const length = extent[at] ?? 0;
    if (length === 0) {
      // The rest of this sector is padding: records never cross sectors.
      at = (Math.floor(at / SECTOR) + 1) * SECTOR;
      continue;
    }
    const record = extent.subarray(at, at + length);
    at += length;
    const idLength = record[32] ?? 0;
    const identifier = record.subarray(33, 33 + idLength);
    if (idLength === 1 && (identifier[0] === 0 || identifier[0] === 1)) continue;
    const systemUseStart = 33 + idLength + (idLength % 2 === 0 ? 1 : 0);
    entries.push({
      name: rockRidgeName(record, systemUseStart) ?? plainName(identifier.toString('latin1')),
      lba: record.readUInt32LE(2),
      size: record.readUInt32LE(10),
      directory: ((record[25] ?? 0) & 2) !== 0,
    });
  }
  return entries;
}

/**
 * Reads one file of an ISO 9660 image (by its Rock Ridge name, or
 * case-insensitively by its ISO 9660 name), without reading the rest:
 * what Ferrite's lab needs to learn a ramdisk ISO's parameters without
 * booting it. Undefined when there is no such file. Single-extent files
 * only, as Ferrite writes them.
 */
export async function readFileFromIso(iso: string, path: string): Promise<Buffer | undefined> {
  const handle = await open(iso, 'r');
  try {
    const pvd = await readAt(handle, 16 * SECTOR, SECTOR);
    if (pvd[0] !== 1 || pvd.toString('latin1', 1, 6) !== 'CD001') {
      throw new Error(`${iso} is not an ISO 9660 image.`);
    }
    let current: Entry = {
      name: '',
      lba: pvd.readUInt32LE(156 + 2),
      size: pvd.readUInt32LE(156 + 10),
      directory: true,
    };
    for (const name of path.split('/').filter((n) => n !== '')) {
      if (!current.directory) return undefined;
      const entries = await readDirectory(handle, current.lba, current.size);
      const found =
        entries.find((e) => e.name === name) ??
        entries.find((e) => e.name.toLowerCase() === name.toLowerCase());
      if (found === undefined) return undefined;
      current = found;
    }
    if (current.directory) return undefined;
    return current.size === 0
      ? Buffer.alloc(0)
      : await readAt(handle, current.lba * SECTOR, current.size);
  } finally {
    await handle.close();
  }
}

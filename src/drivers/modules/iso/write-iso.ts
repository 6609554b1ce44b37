import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { bootCatalog, bootRecord, patchBootInfoTable } from './el-torito.ts';
import type { BootImage } from './el-torito.ts';
import { both16, both32, padded, recordDate, SECTOR, sectorsFor, volumeDate } from './encoding.ts';
import { DIRECTORY_MODE, erEntry, FILE_MODE, nmEntry, pxEntry, spEntry } from './rock-ridge.ts';
import {
  addFile,
  assignIsoNames,
  directoriesInPathTableOrder,
  filesInOrder,
  newDirectory,
  sortedChildren,
} from './tree.ts';
import type { IsoFileSource, TreeDirectory, TreeFile } from './tree.ts';

export type { IsoFileSource } from './tree.ts';

/** One file of the image: its path inside (`isolinux/isolinux.bin`) and where its bytes come from. */
export interface IsoFile {
  readonly path: string;
  readonly source: IsoFileSource;
}

/** El Torito boot entries; each names a file of the image. */
export interface IsoBoot {
  /** A BIOS no-emulation boot image, e.g. `isolinux/isolinux.bin`. */
  readonly bios?: {
    readonly path: string;
    /** Patch in ISOLINUX's boot info table (mkisofs' -boot-info-table). Default true. */
    readonly bootInfoTable?: boolean;
    /** 512-byte sectors the BIOS loads. Default 4, as for ISOLINUX. */
    readonly loadSectors?: number;
  };
  /** A UEFI boot image: an EFI System Partition (FAT) image file. */
  readonly uefi?: { readonly path: string };
  /** Where the boot catalog appears in the image. Default `boot.cat`. */
  readonly catalogPath?: string;
}

/** What to write. */
export interface IsoSpec {
  /** The volume label (upper-cased to d-characters, at most 32). */
  readonly volumeId: string;
  readonly files: readonly IsoFile[];
  readonly boot?: IsoBoot;
  /** The dates recorded; default now. */
  readonly date?: Date;
}

const PVD_LBA = 16;
const DOT = Buffer.of(0);
const DOT_DOT = Buffer.of(1);

/** A directory record (ECMA-119 9.1) with its System Use area. */
function directoryRecord(
  identifier: Buffer,
  lba: number,
  size: number,
  directory: boolean,
  date: Buffer,
  systemUse: Buffer = Buffer.alloc(0),
): Buffer {
  const pad = identifier.length % 2 === 0 ? 1 : 0;
  let length = 33 + identifier.length + pad + systemUse.length;
  const tail = length % 2;
  length += tail;
  if (length > 255) throw new Error(`A directory record of ${String(length)} bytes is too long.`);
  const record = Buffer.alloc(length);
  record[0] = length;
  both32(record, 2, lba);
  both32(record, 10, size);
  date.copy(record, 18);
  record[25] = directory ? 2 : 0;
  both16(record, 28, 1);
  record[32] = identifier.length;
  identifier.copy(record, 33);
  systemUse.copy(record, 33 + identifier.length + pad);
  return record;
}

/** The records of a directory's extent, given the tree's current LBAs and sizes. */
function directoryRecords(directory: TreeDirectory, date: Buffer): Buffer[] {
  const isRoot = directory.parent === undefined;
  const parent = directory.parent ?? directory;
  const here = isRoot
    ? Buffer.concat([spEntry(), pxEntry(DIRECTORY_MODE, 2), erEntry()])
    : pxEntry(DIRECTORY_MODE, 2);
  const records = [
    directoryRecord(DOT, directory.lba, directory.size, true, date, here),
    directoryRecord(DOT_DOT, parent.lba, parent.size, true, date, pxEntry(DIRECTORY_MODE, 2)),
  ];
  for (const child of sortedChildren(directory)) {
    const isDirectory = child.kind === 'directory';
    const systemUse = Buffer.concat([
      pxEntry(isDirectory ? DIRECTORY_MODE : FILE_MODE, isDirectory ? 2 : 1),
      nmEntry(child.name),
    ]);
    records.push(
      directoryRecord(
        Buffer.from(child.isoName, 'latin1'),
        child.lba,
        child.size,
        isDirectory,
        date,
        systemUse,
      ),
    );
  }
  return records;
}

/** Lays records into sectors: a record never crosses a sector boundary (ECMA-119 6.8.1.1). */
function extentOf(records: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  let used = 0;
  for (const record of records) {
    if (used + record.length > SECTOR) {
      parts.push(Buffer.alloc(SECTOR - used));
      used = 0;
    }
    parts.push(record);
    used += record.length;
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, Buffer.alloc(sectorsFor(body.length) * SECTOR - body.length)]);
}

/** A path table (ECMA-119 9.4), little-endian (type L) or big-endian (type M). */
function pathTable(directories: readonly TreeDirectory[], bigEndian: boolean): Buffer {
  const entries = directories.map((directory) => {
    const identifier =
      directory.parent === undefined ? DOT : Buffer.from(directory.isoName, 'latin1');
    const entry = Buffer.alloc(8 + identifier.length + (identifier.length % 2));
    entry[0] = identifier.length;
    const parentNumber = directory.parent?.number ?? 1;
    if (bigEndian) {
      entry.writeUInt32BE(directory.lba, 2);
      entry.writeUInt16BE(parentNumber, 6);
    } else {
      entry.writeUInt32LE(directory.lba, 2);
      entry.writeUInt16LE(parentNumber, 6);
    }
    identifier.copy(entry, 8);
    return entry;
  });
  return Buffer.concat(entries);
}

function primaryVolumeDescriptor(
  spec: IsoSpec,
  totalSectors: number,
  pathTableSize: number,
  pathTableL: number,
  pathTableM: number,
  root: TreeDirectory,
  date: Date,
): Buffer {
  const sector = Buffer.alloc(SECTOR);
  sector[0] = 1;
  sector.write('CD001', 1, 'latin1');
  sector[6] = 1;
  padded(sector, 8, 32, '');
  padded(sector, 40, 32, spec.volumeId.toUpperCase().replace(/[^A-Z0-9_]/g, '_'));
  both32(sector, 80, totalSectors);
  both16(sector, 120, 1);
  both16(sector, 124, 1);
  both16(sector, 128, SECTOR);
  both32(sector, 132, pathTableSize);
  sector.writeUInt32LE(pathTableL, 140);
  sector.writeUInt32BE(pathTableM, 148);
  directoryRecord(DOT, root.lba, root.size, true, recordDate(date)).copy(sector, 156);
  padded(sector, 190, 128, '');
  padded(sector, 318, 128, '');
  padded(sector, 446, 128, '');
  padded(sector, 574, 128, 'FERRITE');
  padded(sector, 702, 37, '');
  padded(sector, 739, 37, '');
  padded(sector, 776, 37, '');
  volumeDate(date).copy(sector, 813);
  volumeDate(date).copy(sector, 830);
  volumeDate(undefined).copy(sector, 847);
  volumeDate(undefined).copy(sector, 864);
  sector[881] = 1;
  return sector;
}

function terminator(): Buffer {
  const sector = Buffer.alloc(SECTOR);
  sector[0] = 255;
  sector.write('CD001', 1, 'latin1');
  sector[6] = 1;
  return sector;
}

async function sizeOf(source: IsoFileSource): Promise<number> {
  return 'data' in source ? source.data.length : (await stat(source.file)).size;
}

/** Writes one file's bytes, then zeros to the end of its last sector. */
async function writeFileData(
  handle: FileHandle,
  file: TreeFile,
  replaced: ReadonlyMap<TreeFile, Buffer>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const inMemory = replaced.get(file) ?? ('data' in file.source ? file.source.data : undefined);
  let written = 0;
  if (inMemory !== undefined) {
    await handle.write(inMemory);
    written = inMemory.length;
  } else if ('file' in file.source) {
    for await (const chunk of createReadStream(file.source.file, signal ? { signal } : {})) {
      const bytes = chunk as Buffer;
      await handle.write(bytes);
      written += bytes.length;
    }
  }
  if (written !== file.size) {
    throw new Error(`${file.name} changed size while the ISO image was written.`);
  }
  const tail = sectorsFor(written) * SECTOR - written;
  if (tail > 0) await handle.write(Buffer.alloc(tail));
}

/**
 * Writes an ISO 9660 image to `output`: primary volume descriptor, an El
 * Torito boot record when `boot` is given, the terminator, both path
 * tables, the directories (with Rock Ridge names) and the files, in that
 * order. File contents are streamed from disk, never held whole in memory
 * (except a BIOS boot image whose boot info table is patched: a few KiB).
 * Files larger than 4 GiB - 1 are refused (no multi-extent files).
 */
export async function writeIso(output: string, spec: IsoSpec, signal?: AbortSignal): Promise<void> {
  const date = spec.date ?? new Date();
  const recorded = recordDate(date);
  const root = newDirectory('', undefined);
  const files = new Map<string, TreeFile>();
  for (const file of spec.files) files.set(file.path, addFile(root, file.path, file.source));

  const boot = spec.boot;
  const bootFile = (path: string): TreeFile => {
    const found = files.get(path);
    if (found === undefined)
      throw new Error(`The boot image ${path} is not a file of the ISO image.`);
    return found;
  };
  const catalog =
    boot === undefined
      ? undefined
      : addFile(root, boot.catalogPath ?? 'boot.cat', { data: Buffer.alloc(SECTOR) });
  const biosFile = boot?.bios === undefined ? undefined : bootFile(boot.bios.path);
  const uefiFile = boot?.uefi === undefined ? undefined : bootFile(boot.uefi.path);
  if (boot !== undefined && biosFile === undefined && uefiFile === undefined) {
    throw new Error('An El Torito boot needs a BIOS or a UEFI image.');
  }

  for (const file of files.values()) {
    file.size = await sizeOf(file.source);
    if (file.size > 0xffffffff)
      throw new Error(`${file.name} is too large for one ISO 9660 extent.`);
  }
  if (catalog !== undefined) catalog.size = SECTOR;
  assignIsoNames(root);
  const directories = directoriesInPathTableOrder(root);
  const ordered = filesInOrder(directories);

  // Layout: sizes first (record lengths do not depend on where things are), then places.
  for (const directory of directories) {
    directory.size = extentOf(directoryRecords(directory, recorded)).length;
  }
  const pathTableSize = pathTable(directories, false).length;
  let lba = PVD_LBA + 1 + (boot === undefined ? 0 : 1) + 1;
  const pathTableL = lba;
  lba += sectorsFor(pathTableSize);
  const pathTableM = lba;
  lba += sectorsFor(pathTableSize);
  for (const directory of directories) {
    directory.lba = lba;
    lba += directory.size / SECTOR;
  }
  for (const file of ordered) {
    // An empty file takes no sector; sharing the next file's would make it an alias (of the boot catalog, say).
    file.lba = file.size === 0 ? 0 : lba;
    lba += sectorsFor(file.size);
  }
  const totalSectors = lba;

  const replaced = new Map<TreeFile, Buffer>();
  if (boot !== undefined && catalog !== undefined) {
    const image = (file: TreeFile | undefined, loadSectors: number): BootImage | undefined =>
      file === undefined ? undefined : { lba: file.lba, loadSectors };
    replaced.set(
      catalog,
      bootCatalog(
        image(biosFile, boot.bios?.loadSectors ?? 4),
        image(uefiFile, uefiFile === undefined ? 0 : Math.ceil(uefiFile.size / 512)),
      ),
    );
    if (biosFile !== undefined && boot.bios?.bootInfoTable !== false) {
      const source = biosFile.source;
      const bytes = 'data' in source ? Buffer.from(source.data) : await readFile(source.file);
      replaced.set(biosFile, patchBootInfoTable(bytes, biosFile.lba, PVD_LBA));
    }
  }

  const handle = await open(output, 'w');
  try {
    await handle.write(Buffer.alloc(PVD_LBA * SECTOR));
    await handle.write(
      primaryVolumeDescriptor(
        spec,
        totalSectors,
        pathTableSize,
        pathTableL,
        pathTableM,
        root,
        date,
      ),
    );
    if (catalog !== undefined) await handle.write(bootRecord(catalog.lba));
    await handle.write(terminator());
    for (const bigEndian of [false, true]) {
      const table = pathTable(directories, bigEndian);
      await handle.write(
        Buffer.concat([table, Buffer.alloc(sectorsFor(table.length) * SECTOR - table.length)]),
      );
    }
    for (const directory of directories) {
      await handle.write(extentOf(directoryRecords(directory, recorded)));
    }
    for (const file of ordered) {
      signal?.throwIfAborted();
      await writeFileData(handle, file, replaced, signal);
    }
  } finally {
    await handle.close();
  }
}

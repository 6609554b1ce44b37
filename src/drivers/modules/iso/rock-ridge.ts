/**
 * The few Rock Ridge (RRIP 1.10, "RRIP_1991A") entries Ferrite writes, in
 * the System Use area of directory records (SUSP): enough for readers to
 * show the real, mixed-case, long names (NM) with sane permissions (PX),
 * while the ISO 9660 names stay strict upper-case d-characters for readers
 * without Rock Ridge (firmware, ISOLINUX's case-insensitive lookup).
 */
import { both32 } from './encoding.ts';

const ER_ID = 'RRIP_1991A';
const ER_DESCRIPTION = 'ROCK RIDGE INTERCHANGE PROTOCOL 1.10 (POSIX NAMES AND MODES)';
const ER_SOURCE = 'WRITTEN BY FERRITE';

/** SP: SUSP is in use here; only in the first record ("."") of the root directory. */
export function spEntry(): Buffer {
  return Buffer.from([0x53, 0x50, 7, 1, 0xbe, 0xef, 0]);
}

/** ER: which extension the entries belong to; in the root's "." record. */
export function erEntry(): Buffer {
  const id = Buffer.from(ER_ID, 'latin1');
  const description = Buffer.from(ER_DESCRIPTION, 'latin1');
  const source = Buffer.from(ER_SOURCE, 'latin1');
  const head = Buffer.from([
    0x45,
    0x52,
    8 + id.length + description.length + source.length,
    1,
    id.length,
    description.length,
    source.length,
    1,
  ]);
  return Buffer.concat([head, id, description, source]);
}

/** PX: POSIX mode, links, owner (root) and group (root). */
export function pxEntry(mode: number, links: number): Buffer {
  const entry = Buffer.alloc(36);
  entry.write('PX', 0, 'latin1');
  entry[2] = 36;
  entry[3] = 1;
  both32(entry, 4, mode);
  both32(entry, 12, links);
  both32(entry, 20, 0);
  both32(entry, 28, 0);
  return entry;
}

/** NM: the file's real name. */
export function nmEntry(name: string): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  return Buffer.concat([Buffer.from([0x4e, 0x4d, 5 + bytes.length, 1, 0]), bytes]);
}

/** Mode bits of read-only files and directories. */
export const FILE_MODE = 0o100444;
export const DIRECTORY_MODE = 0o040555;

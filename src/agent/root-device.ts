/**
 * Which disk the image goes to: the one the node's `root_device` hints
 * describe, or the smallest disk big enough to hold an operating system,
 * as ironic-python-agent chooses.
 */
import type { InventoryDisk } from './inventory.ts';

/** Disks smaller than this are not candidates without hints (IPA's 4 GiB). */
export const MIN_ROOT_DISK_BYTES = 4 * 1024 ** 3;
const GIB = 1024 ** 3;

/** The hints Ferrite understands, as Ironic names them in properties.root_device. */
export interface RootDeviceHints {
  readonly size?: number | string;
  readonly serial?: string;
  readonly model?: string;
  readonly vendor?: string;
  readonly wwn?: string;
  readonly name?: string;
  readonly rotational?: boolean;
}

const KNOWN = ['size', 'serial', 'model', 'vendor', 'wwn', 'name', 'rotational'];

/** Hints that are not understood are refused: a typo must not pick another disk. */
export function checkHints(hints: Readonly<Record<string, unknown>>): RootDeviceHints {
  for (const key of Object.keys(hints)) {
    if (!KNOWN.includes(key)) {
      throw new Error(`unknown root device hint ${key}; known: ${KNOWN.join(', ')}`);
    }
  }
  return hints;
}

/** A size hint: GiB as a number, or with an operator (">= 100", "<= 500", "== 200"). */
function sizeMatches(hint: number | string, bytes: number): boolean {
  const gib = Math.floor(bytes / GIB);
  if (typeof hint === 'number') return gib === hint;
  const match = /^\s*(>=|<=|==|>|<|!=)?\s*(\d+)\s*$/.exec(hint);
  if (match === null) throw new Error(`root device hint size "${hint}" is not a number of GiB`);
  const want = Number(match[2]);
  switch (match[1]) {
    case '>=':
      return gib >= want;
    case '<=':
      return gib <= want;
    case '>':
      return gib > want;
    case '<':
      return gib < want;
    case '!=':
      return gib !== want;
    default:
      return gib === want;
  }
}

const same = (a: string | null, b: string): boolean =>
  a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

function matches(disk: InventoryDisk, hints: RootDeviceHints): boolean {
  if (hints.size !== undefined && !sizeMatches(hints.size, disk.size)) return false;
  if (hints.serial !== undefined && !same(disk.serial, hints.serial)) return false;
  if (hints.model !== undefined && !same(disk.model, hints.model)) return false;
  if (hints.vendor !== undefined && !same(disk.vendor, hints.vendor)) return false;
  if (hints.wwn !== undefined && !same(disk.wwn, hints.wwn)) return false;
  if (hints.rotational !== undefined && disk.rotational !== hints.rotational) return false;
  if (hints.name !== undefined) {
    // A bare name is a kernel device name; a path (a file disk, a /dev/disk/by-* link) is taken as given.
    const name = hints.name.startsWith('/') ? hints.name : `/dev/${hints.name}`;
    if (disk.name !== name) return false;
  }
  return true;
}

/**
 * The root disk: the first (by name) matching every hint when hints are
 * given, else the smallest of at least 4 GiB. Undefined when none fits.
 */
export function chooseRootDevice(
  disks: readonly InventoryDisk[],
  hints: RootDeviceHints = {},
): InventoryDisk | undefined {
  const sorted = [...disks].sort((a, b) => a.name.localeCompare(b.name));
  if (Object.keys(hints).length > 0) return sorted.find((disk) => matches(disk, hints));
  return sorted
    .filter((disk) => disk.size >= MIN_ROOT_DISK_BYTES)
    .sort((a, b) => a.size - b.size)[0];
}

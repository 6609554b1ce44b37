/**
 * The directory tree of an ISO image being written: real names (given by
 * the caller, kept in Rock Ridge NM entries) and ISO 9660 identifiers
 * derived from them (upper-case d-characters, at most 30 characters for a
 * file and 31 for a directory: interchange level 2).
 */

/** Where a file's bytes come from: a file on the conductor, or bytes in memory. */
export type IsoFileSource = { readonly file: string } | { readonly data: Uint8Array };

export interface TreeFile {
  readonly kind: 'file';
  readonly name: string;
  isoName: string;
  readonly source: IsoFileSource;
  size: number;
  lba: number;
}

export interface TreeDirectory {
  readonly kind: 'directory';
  readonly name: string;
  isoName: string;
  readonly parent: TreeDirectory | undefined;
  readonly children: Map<string, TreeFile | TreeDirectory>;
  /** Its number in the path table, from 1 (the root). */
  number: number;
  lba: number;
  /** The size of its extent, a whole number of sectors. */
  size: number;
}

export function newDirectory(name: string, parent: TreeDirectory | undefined): TreeDirectory {
  return {
    kind: 'directory',
    name,
    isoName: '',
    parent,
    children: new Map(),
    number: 0,
    lba: 0,
    size: 0,
  };
}

/** Splits `a/b/c` into its names, refusing empty, `.` and `..` parts. */
export function pathNames(path: string): string[] {
  const names = path.split('/').filter((n) => n !== '');
  if (names.length === 0 || names.some((n) => n === '.' || n === '..' || n.length > 200)) {
    throw new Error(`Bad path in an ISO image: ${JSON.stringify(path)}`);
  }
  return names;
}

/** Adds a file at `path`, creating its directories; a second file at one path is refused. */
export function addFile(root: TreeDirectory, path: string, source: IsoFileSource): TreeFile {
  const names = pathNames(path);
  const fileName = names.pop() as string;
  let directory = root;
  for (const name of names) {
    const found = directory.children.get(name);
    if (found?.kind === 'file') throw new Error(`${path}: ${name} is a file in the ISO image`);
    if (found === undefined) {
      const created = newDirectory(name, directory);
      directory.children.set(name, created);
      directory = created;
    } else {
      directory = found;
    }
  }
  if (directory.children.has(fileName)) throw new Error(`${path} is in the ISO image twice`);
  const file: TreeFile = { kind: 'file', name: fileName, isoName: '', source, size: 0, lba: 0 };
  directory.children.set(fileName, file);
  return file;
}

function dCharacters(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The ISO 9660 identifier of a real name, before making it unique: `NAME.EXT;1` or `DIR`. */
function isoIdentifier(name: string, directory: boolean, suffix: string): string {
  if (directory) return dCharacters(name).slice(0, 31 - suffix.length) + suffix;
  const dot = name.lastIndexOf('.');
  const base = dCharacters(dot > 0 ? name.slice(0, dot) : name);
  const extension = dot > 0 ? dCharacters(name.slice(dot + 1)).slice(0, 10) : '';
  const room = 30 - extension.length - 1 - suffix.length;
  return `${base.slice(0, room)}${suffix}.${extension};1`;
}

/** Gives every entry of every directory a unique ISO 9660 identifier. */
export function assignIsoNames(directory: TreeDirectory): void {
  const taken = new Set<string>();
  for (const child of directory.children.values()) {
    let identifier = isoIdentifier(child.name, child.kind === 'directory', '');
    for (let n = 1; taken.has(identifier); n += 1) {
      identifier = isoIdentifier(child.name, child.kind === 'directory', `_${String(n)}`);
    }
    taken.add(identifier);
    child.isoName = identifier;
    if (child.kind === 'directory') assignIsoNames(child);
  }
}

/** Entries in the order ECMA-119 wants them recorded: by identifier. */
export function sortedChildren(directory: TreeDirectory): (TreeFile | TreeDirectory)[] {
  return [...directory.children.values()].sort((a, b) =>
    a.isoName < b.isoName ? -1 : a.isoName > b.isoName ? 1 : 0,
  );
}

/** Every directory, root first, level by level, each level ordered by parent and name (path table order). */
export function directoriesInPathTableOrder(root: TreeDirectory): TreeDirectory[] {
  const order: TreeDirectory[] = [root];
  for (let i = 0; i < order.length; i += 1) {
    const directory = order[i] as TreeDirectory;
    for (const child of sortedChildren(directory)) {
      if (child.kind === 'directory') order.push(child);
    }
  }
  order.forEach((directory, index) => (directory.number = index + 1));
  return order;
}

/** Every file, directory by directory in path table order. */
export function filesInOrder(directories: readonly TreeDirectory[]): TreeFile[] {
  return directories.flatMap((directory) =>
    sortedChildren(directory).filter((child): child is TreeFile => child.kind === 'file'),
  );
}

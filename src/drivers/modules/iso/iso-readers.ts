/**
 * Reads ISO images with real mastering tools (Debian's xorriso and
 * genisoimage's isoinfo; scripts/ensure-boot-peers.sh installs them): what
 * the tests check Ferrite's writer against, and a way to look into an ISO
 * a node was given.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function present(command: string, args: readonly string[]): Promise<boolean> {
  try {
    await run(command, [...args]);
    return true;
  } catch {
    return false;
  }
}

/** What is missing to read ISO images, or undefined when xorriso and isoinfo are there. */
export async function isoReadersMissing(): Promise<string | undefined> {
  const missing = [];
  if (!(await present('xorriso', ['-version']))) missing.push('xorriso');
  if (!(await present('isoinfo', ['-version']))) missing.push('isoinfo (genisoimage)');
  return missing.length === 0
    ? undefined
    : `${missing.join(' and ')} not installed (scripts/ensure-boot-peers.sh)`;
}

/** Every file and directory with its Rock Ridge name, as xorriso lists them: path → size, or 'dir'. */
export async function listIso(iso: string): Promise<Map<string, number | 'dir'>> {
  const { stdout } = await run('xorriso', ['-indev', iso, '-find', '/', '-exec', 'lsdl'], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const entries = new Map<string, number | 'dir'>();
  for (const line of stdout.split('\n')) {
    const match = /^(\S)\S+\s+\d+\s+\S+\s+\S+\s+(\d+)\s+.*?'(.*)'$/.exec(line);
    if (match === null) continue;
    const [, type = '', size = '0', path = ''] = match;
    entries.set(path, type === 'd' ? 'dir' : Number(size));
  }
  return entries;
}

/** One file's bytes, extracted by xorriso. */
export async function readIsoFile(iso: string, path: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'ferrite-iso-read-'));
  try {
    const target = join(dir, 'file');
    await run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', path, target]);
    return await readFile(target);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The El Torito boot setup as xorriso would write it again (`-report_el_torito as_mkisofs`). */
export async function elToritoReport(iso: string): Promise<string[]> {
  const { stdout } = await run('xorriso', ['-indev', iso, '-report_el_torito', 'as_mkisofs']);
  return stdout.split('\n').filter((line) => line.startsWith('-'));
}

/** The El Torito table as xorriso prints it (`-report_el_torito plain`). */
export async function elToritoTable(iso: string): Promise<string[]> {
  const { stdout } = await run('xorriso', ['-indev', iso, '-report_el_torito', 'plain']);
  return stdout.split('\n').filter((line) => line.startsWith('El Torito'));
}

/** The plain ISO 9660 directory listing of isoinfo, without Rock Ridge (`isoinfo -l`). */
export async function isoinfoListing(iso: string, rockRidge: boolean): Promise<string> {
  const { stdout } = await run('isoinfo', ['-i', iso, '-l', ...(rockRidge ? ['-R'] : [])]);
  return stdout;
}

/** isoinfo's description of the volume (`isoinfo -d`). */
export async function isoinfoDescription(iso: string): Promise<string> {
  const { stdout } = await run('isoinfo', ['-i', iso, '-d']);
  return stdout;
}

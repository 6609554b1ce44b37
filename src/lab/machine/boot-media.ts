/**
 * What an emulated machine's firmware finds when it boots from the network
 * or from virtual media: the ramdisk's kernel command line, fetched the way
 * firmware would (a PXELINUX or iPXE config per MAC from the boot server,
 * or the parameters file of the inserted ISO).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { parseKernelParams } from '../../agent/kernel-params.ts';
import { readFileFromIso } from '../../drivers/modules/iso/read-iso.ts';

/** The ramdisk parameters a boot found (ipa-api-url and the like). */
export type KernelParams = ReadonlyMap<string, string>;

async function fetchBody(url: string, signal: AbortSignal): Promise<Buffer | undefined> {
  const answer = await request(url, { signal });
  if (answer.statusCode !== 200) {
    await answer.body.dump();
    return undefined;
  }
  return Buffer.from(await answer.body.arrayBuffer());
}

/** The config lines that carry the kernel command line: `append …` (PXELINUX), `kernel …` (iPXE). */
function commandLineOf(config: string): string | undefined {
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('append ')) return line.slice('append '.length);
    if (line.startsWith('kernel ')) return line.split(/\s+/).slice(2).join(' ');
  }
  return undefined;
}

/** A MAC as the boot server names its entries: `aa-bb-…` (iPXE) or `01-aa-bb-…` (PXELINUX). */
function entryNames(mac: string): string[] {
  const hyphenated = mac.toLowerCase().replace(/:/g, '-');
  return [hyphenated, `01-${hyphenated}`];
}

/**
 * Network boot: the first MAC with a config on the boot server wins, as
 * firmware tries its NICs in turn. Undefined when none has one (the
 * machine then finds no boot device).
 */
export async function networkBoot(
  bootUrl: string,
  macs: readonly string[],
  signal: AbortSignal,
): Promise<KernelParams | undefined> {
  for (const mac of macs) {
    for (const name of entryNames(mac)) {
      const body = await fetchBody(`${bootUrl}/pxelinux.cfg/${name}`, signal);
      if (body === undefined) continue;
      const line = commandLineOf(body.toString('utf8'));
      if (line !== undefined) return parseKernelParams(line);
    }
  }
  return undefined;
}

/** Virtual media: the inserted ISO's parameters file. */
export async function mediaBoot(
  isoUrl: string,
  paramsPath: string,
  signal: AbortSignal,
): Promise<KernelParams | undefined> {
  const iso = await fetchBody(isoUrl, signal);
  if (iso === undefined) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'ferrite-lab-iso-'));
  try {
    const path = join(dir, 'boot.iso');
    await writeFile(path, iso);
    const params = await readFileFromIso(path, paramsPath);
    if (params === undefined) return undefined;
    return parseKernelParams(params.toString('utf8').split('\n').join(' '));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RamdiskParams } from '../../interfaces/boot.ts';
import type { Task } from '../../task.ts';
import { readFileFromIso } from '../iso/read-iso.ts';
import { writeIso } from '../iso/write-iso.ts';
import type { IsoBoot, IsoFile } from '../iso/write-iso.ts';
import { grubConfig, isolinuxConfig, kernelCommandLine, paramsFile } from './boot-config.ts';
import { DEPLOY_KERNEL, DEPLOY_RAMDISK } from './deploy-images.ts';
import type { DeployImages } from './deploy-images.ts';
import type { HttpRoot } from './http-root.ts';
import type { PxeOptions } from './options.ts';

/** The name of a node's ramdisk ISO in its folder. */
export const RAMDISK_ISO = 'boot.iso';

/**
 * Where things are inside a ramdisk ISO. `/ferrite/params.txt` holds the
 * ramdisk parameters one `key=value` a line, so that a reader (Ferrite's
 * lab emulator) learns them without booting the ISO.
 */
export const RAMDISK_ISO_PATHS = {
  kernel: '/deploy_kernel',
  ramdisk: '/deploy_ramdisk',
  params: '/ferrite/params.txt',
  grubConfig: '/boot/grub/grub.cfg',
  efiGrubConfig: '/EFI/BOOT/grub.cfg',
  isolinuxConfig: '/isolinux/isolinux.cfg',
  isolinuxBin: '/isolinux/isolinux.bin',
  ldlinux: '/isolinux/ldlinux.c32',
  espImage: '/EFI/BOOT/efiboot.img',
} as const;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds the node's ramdisk ISO in its folder of the HTTP root: the deploy
 * kernel and ramdisk (staged there first, fetched once into the cache),
 * GRUB and ISOLINUX configs booting them with the parameters, the
 * parameters as a plain file, and El Torito entries for the conductor's
 * isolinux.bin and ESP image when they are configured. Returns its URL.
 */
export async function buildRamdiskIso(
  root: HttpRoot,
  options: PxeOptions,
  task: Task,
  images: DeployImages,
  params: RamdiskParams,
): Promise<string> {
  const uuid = task.node.uuid;
  const kernel = await root.stageImage(uuid, DEPLOY_KERNEL, images.kernel, task.signal);
  const ramdisk = await root.stageImage(uuid, DEPLOY_RAMDISK, images.ramdisk, task.signal);
  const commandLine = kernelCommandLine(params, options.kernelAppendParams);
  const paths = RAMDISK_ISO_PATHS;
  const grub = Buffer.from(grubConfig(paths.kernel, paths.ramdisk, commandLine, paths.params));
  const files: IsoFile[] = [
    { path: paths.kernel, source: { file: kernel } },
    { path: paths.ramdisk, source: { file: ramdisk } },
    { path: paths.params, source: { data: Buffer.from(paramsFile(params)) } },
    { path: paths.grubConfig, source: { data: grub } },
    { path: paths.efiGrubConfig, source: { data: grub } },
    {
      path: paths.isolinuxConfig,
      source: { data: Buffer.from(isolinuxConfig(paths.kernel, paths.ramdisk, commandLine)) },
    },
  ];
  let boot: IsoBoot | undefined;
  if (options.isolinuxBin !== '') {
    files.push({ path: paths.isolinuxBin, source: { file: options.isolinuxBin } });
    // ISOLINUX 5 and later load ldlinux.c32 from beside themselves.
    const ldlinux = join(dirname(options.isolinuxBin), 'ldlinux.c32');
    if (await exists(ldlinux)) files.push({ path: paths.ldlinux, source: { file: ldlinux } });
    boot = { bios: { path: paths.isolinuxBin } };
  }
  if (options.espImage !== '') {
    files.push({ path: paths.espImage, source: { file: options.espImage } });
    boot = { ...boot, uefi: { path: paths.espImage } };
  }
  await root.produceFile(join(uuid, RAMDISK_ISO), (temp) =>
    writeIso(
      temp,
      { volumeId: 'ferrite-ramdisk', files, ...(boot === undefined ? {} : { boot }) },
      task.signal,
    ),
  );
  return root.nodeUrl(uuid, RAMDISK_ISO);
}

/** Removes the node's ramdisk ISO and the images staged for it; nothing happens when they are gone. */
export async function removeRamdiskIso(root: HttpRoot, uuid: string): Promise<void> {
  root.nodeDir(uuid);
  for (const name of [RAMDISK_ISO, DEPLOY_KERNEL, DEPLOY_RAMDISK]) {
    await root.remove(join(uuid, name));
  }
}

/** The ramdisk parameters a ramdisk ISO carries (its `/ferrite/params.txt`), or undefined for an ISO without them. */
export async function readRamdiskIsoParams(
  iso: string,
): Promise<Record<string, string> | undefined> {
  const file = await readFileFromIso(iso, RAMDISK_ISO_PATHS.params);
  if (file === undefined) return undefined;
  const params: Record<string, string> = {};
  for (const line of file.toString('utf8').split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) params[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return params;
}

import type { RamdiskParams } from '../../interfaces/boot.ts';

/**
 * The kernel command line for the ramdisk: each parameter as `key=value`
 * (double-quoted when the value holds spaces), then the conductor's
 * kernel_append_params.
 */
export function kernelCommandLine(params: RamdiskParams, appendParams: string): string {
  const words = Object.entries(params).map(([key, value]) =>
    /[\s"]/.test(value) ? `${key}="${value.replace(/"/g, '')}"` : `${key}=${value}`,
  );
  if (appendParams.trim() !== '') words.push(appendParams.trim());
  return words.join(' ');
}

/** What a node's boot config names: where its kernel and initramfs are, and the command line. */
export interface RamdiskBoot {
  readonly kernelUrl: string;
  readonly ramdiskUrl: string;
  readonly commandLine: string;
}

/**
 * A PXELINUX config booting the ramdisk. The kernel and initramfs are
 * URLs: Ferrite serves HTTP only, so this needs an HTTP-capable PXELINUX
 * (lpxelinux.0). `ipappend 3` adds BOOTIF=, which the agent uses to find
 * the interface it booted from.
 */
export function pxelinuxConfig(boot: RamdiskBoot): string {
  return [
    'default deploy',
    '',
    'label deploy',
    `kernel ${boot.kernelUrl}`,
    `append initrd=${boot.ramdiskUrl} ${boot.commandLine}`.trimEnd(),
    'ipappend 3',
    '',
  ].join('\n');
}

/**
 * An iPXE script booting the ramdisk. `initrd=` names the initramfs for
 * kernels booted by UEFI; BOOTIF is the MAC iPXE booted from, as
 * PXELINUX's ipappend gives it.
 */
export function ipxeConfig(boot: RamdiskBoot): string {
  const ramdiskName = boot.ramdiskUrl.split('/').pop() ?? 'deploy_ramdisk';
  return [
    '#!ipxe',
    '',
    [`kernel ${boot.kernelUrl}`, `initrd=${ramdiskName}`, boot.commandLine, 'BOOTIF=${mac}']
      .filter((word) => word !== '')
      .join(' '),
    `initrd ${boot.ramdiskUrl}`,
    'boot',
    '',
  ].join('\n');
}

/**
 * The iPXE script at the root of the HTTP root (what DHCP hands iPXE):
 * tries each network device in turn and chains to the per-MAC config of
 * the first that has one, as Ironic's boot.ipxe does.
 */
export const BOOT_IPXE_SCRIPT = [
  '#!ipxe',
  '',
  'set netid:int32 -1',
  ':next_device',
  'inc netid',
  'isset ${net${netid}/mac} || goto no_config',
  'chain pxelinux.cfg/${net${netid}/mac:hexhyp} || goto next_device',
  ':no_config',
  'echo No boot config for any of the MAC addresses of this machine',
  'exit',
  '',
].join('\n');

/**
 * The GRUB config of a ramdisk ISO (UEFI): its kernel and initramfs inside
 * the ISO. A GRUB started from the ISO's ESP image finds the ISO by a file
 * only it holds (`searchFile`).
 */
export function grubConfig(
  kernelPath: string,
  ramdiskPath: string,
  commandLine: string,
  searchFile: string,
): string {
  return [
    'set default=0',
    'set timeout=5',
    `search --no-floppy --set=root --file ${searchFile}`,
    '',
    "menuentry 'Ferrite deploy ramdisk' {",
    `  linux ${kernelPath} ${commandLine}`.trimEnd(),
    `  initrd ${ramdiskPath}`,
    '}',
    '',
  ].join('\n');
}

/** The ISOLINUX config of a ramdisk ISO (BIOS): its kernel and initramfs inside the ISO. */
export function isolinuxConfig(
  kernelPath: string,
  ramdiskPath: string,
  commandLine: string,
): string {
  return [
    'default deploy',
    'prompt 0',
    'timeout 50',
    '',
    'label deploy',
    `kernel ${kernelPath}`,
    `append initrd=${ramdiskPath} ${commandLine}`.trimEnd(),
    '',
  ].join('\n');
}

/** The parameters as a plain file, one `key=value` a line, for readers that do not boot the ISO. */
export function paramsFile(params: RamdiskParams): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${value.replace(/\n/g, ' ')}\n`)
    .join('');
}

/** Boot devices a management interface may be asked to set, as Ironic names them. */
export const BootDevice = {
  PXE: 'pxe',
  DISK: 'disk',
  CDROM: 'cdrom',
  BIOS: 'bios',
  SAFE: 'safe',
  WANBOOT: 'wanboot',
  ISCSIBOOT: 'iscsiboot',
  FLOPPY: 'floppy',
  UEFIHTTP: 'uefihttp',
} as const;
export type BootDevice = (typeof BootDevice)[keyof typeof BootDevice];
export const BOOT_DEVICES: readonly BootDevice[] = Object.values(BootDevice);

export function isBootDevice(value: unknown): value is BootDevice {
  return typeof value === 'string' && (BOOT_DEVICES as readonly string[]).includes(value);
}

/** Firmware boot modes. */
export const BootMode = {
  UEFI: 'uefi',
  LEGACY_BIOS: 'bios',
} as const;
export type BootMode = (typeof BootMode)[keyof typeof BootMode];
export const BOOT_MODES: readonly BootMode[] = Object.values(BootMode);

export function isBootMode(value: unknown): value is BootMode {
  return typeof value === 'string' && (BOOT_MODES as readonly string[]).includes(value);
}

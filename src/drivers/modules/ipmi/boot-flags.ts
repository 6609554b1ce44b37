import { BootDevice, BootMode } from '../../../common/boot-devices.ts';
import type { BootDevice as BootDeviceName } from '../../../common/boot-devices.ts';
import { parseCapabilities } from '../../../common/capabilities.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { Task } from '../../task.ts';
import { disableBootFlagTimeout, setBootFlags } from './commands/boot-options.ts';
import type { BootSelector } from './commands/boot-options.ts';
import { ipmiCall } from './failures.ts';
import type { NodeBmc } from './shared-client.ts';

/** Ironic's boot devices as IPMI boot device selectors (Set System Boot Options, parameter 5). */
export const SELECTOR_OF: Readonly<Partial<Record<BootDeviceName, BootSelector>>> = {
  [BootDevice.PXE]: 'pxe',
  [BootDevice.DISK]: 'disk',
  [BootDevice.SAFE]: 'safe',
  [BootDevice.CDROM]: 'cdrom',
  [BootDevice.BIOS]: 'bios',
};

/** driver_internal_info key: the persistent boot device, set again at each power on when forced. */
export const PERSISTENT_BOOT_DEVICE = 'persistent_boot_device';

/**
 * The boot mode the node boots in, which decides the EFI flag: the
 * instance's capabilities, then the node's, then the node's reported
 * boot_mode, UEFI otherwise (Ironic's default).
 */
export function bootModeOf(task: Task): string {
  const node = task.node;
  const fromInstance = isJsonObject(node.instanceInfo['capabilities'])
    ? node.instanceInfo['capabilities']['boot_mode']
    : parseCapabilities(node.instanceInfo['capabilities']).get('boot_mode');
  if (typeof fromInstance === 'string') return fromInstance;
  const fromNode = parseCapabilities(node.properties['capabilities']).get('boot_mode');
  return fromNode ?? node.bootMode ?? BootMode.UEFI;
}

/** Sends the boot flags for `device`, after lifting the BMC's 60-second flag timeout unless disabled. */
export async function sendBootDevice(
  task: Task,
  bmc: NodeBmc,
  device: BootDeviceName,
  persistent: boolean,
): Promise<void> {
  const selector = SELECTOR_OF[device];
  if (selector === undefined) throw new Error(`no IPMI boot selector for ${device}`);
  if (bmc.disableBootTimeout) {
    await ipmiCall(task, 'disable the boot flag timeout', () =>
      disableBootFlagTimeout(bmc.channel, task.signal),
    );
  }
  await ipmiCall(task, `set boot device ${device}`, () =>
    setBootFlags(
      bmc.channel,
      { device: selector, persistent, efi: bootModeOf(task) === BootMode.UEFI },
      task.signal,
    ),
  );
}

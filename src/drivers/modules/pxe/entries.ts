import type { ImplementationEntry } from '../../catalog.ts';
import { PxeBoot } from './pxe-boot.ts';

/** The boot implementations that serve the deploy ramdisk from the conductor's HTTP root. */
export const BOOT_FILE_IMPLEMENTATIONS: readonly ImplementationEntry[] = [
  {
    interfaceType: 'boot',
    name: 'pxe',
    description:
      'Network boot of the deploy ramdisk with PXELINUX (HTTP-capable lpxelinux.0) from the conductor’s HTTP root',
    create: (env) => new PxeBoot(env, 'pxe'),
  },
  {
    interfaceType: 'boot',
    name: 'ipxe',
    description:
      'Network boot of the deploy ramdisk with iPXE over HTTP from the conductor’s HTTP root',
    create: (env) => new PxeBoot(env, 'ipxe'),
  },
];

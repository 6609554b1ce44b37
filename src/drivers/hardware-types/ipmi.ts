import { defineHardwareType } from '../hardware-type.ts';

/**
 * `ipmi`: servers whose BMC speaks IPMI 2.0 over the LAN (RMCP+), driven by
 * Ferrite's own client: power and boot device from the BMC, sensors from
 * its SDR repository; network boot of the agent ramdisk (iPXE first),
 * the agent's direct deploy, in-band inspection. The fakes stay available
 * for trying a real BMC without a ramdisk.
 */
export const IPMI = defineHardwareType({
  name: 'ipmi',
  description: 'Servers with an IPMI 2.0 BMC (RMCP+), spoken natively by Ferrite',
  supported: {
    boot: ['ipxe', 'pxe', 'fake'],
    console: ['ipmi', 'no-console'],
    deploy: ['direct', 'fake'],
    inspect: ['agent', 'no-inspect', 'fake'],
    management: ['ipmi', 'noop'],
    power: ['ipmi'],
    vendor: ['ipmi', 'no-vendor'],
  },
});

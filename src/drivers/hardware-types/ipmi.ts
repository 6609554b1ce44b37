import { defineHardwareType } from '../hardware-type.ts';

/**
 * `ipmi`: servers whose BMC speaks IPMI 2.0 over the LAN (RMCP+), driven by
 * Ferrite's own client: power and boot device from the BMC, sensors from
 * its SDR repository. Boot and deploy are the fakes until the in-band
 * agent and PXE boot exist.
 */
export const IPMI = defineHardwareType({
  name: 'ipmi',
  description: 'Servers with an IPMI 2.0 BMC (RMCP+), spoken natively by Ferrite',
  supported: {
    boot: ['fake', 'ipxe', 'pxe'],
    console: ['ipmi', 'no-console'],
    deploy: ['fake', 'direct'],
    inspect: ['no-inspect', 'agent', 'fake'],
    management: ['ipmi', 'noop'],
    power: ['ipmi'],
    vendor: ['ipmi', 'no-vendor'],
  },
});

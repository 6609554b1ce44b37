import { defineHardwareType } from '../hardware-type.ts';

/**
 * `redfish`: servers whose BMC speaks DMTF Redfish over HTTPS: power by the
 * system's Reset action, the boot override, boot mode, sensors and NMI,
 * out-of-band inspection (ports from the system's NICs), RAID volumes;
 * the agent ramdisk booted from virtual media (or the network), the
 * agent's direct deploy. The fakes stay available.
 */
export const REDFISH = defineHardwareType({
  name: 'redfish',
  description: 'Servers with a Redfish BMC (HTTPS, DMTF Redfish)',
  supported: {
    boot: ['redfish-virtual-media', 'ipxe', 'pxe', 'fake'],
    deploy: ['direct', 'fake'],
    inspect: ['redfish', 'agent', 'no-inspect', 'fake'],
    management: ['redfish', 'noop'],
    power: ['redfish'],
    raid: ['redfish', 'no-raid'],
  },
});

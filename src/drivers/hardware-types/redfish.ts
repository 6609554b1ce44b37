import { defineHardwareType } from '../hardware-type.ts';

/**
 * `redfish`: servers whose BMC speaks DMTF Redfish over HTTPS: power by the
 * system's Reset action, the boot override, boot mode, sensors and NMI,
 * out-of-band inspection (ports from the system's NICs), RAID volumes.
 * Boot and deploy are the fakes until virtual media and the agent exist.
 */
export const REDFISH = defineHardwareType({
  name: 'redfish',
  description: 'Servers with a Redfish BMC (HTTPS, DMTF Redfish)',
  supported: {
    // The fake first until the agent can use a real boot.
    boot: ['fake', 'redfish-virtual-media'],
    deploy: ['fake', 'direct'],
    inspect: ['redfish', 'agent', 'no-inspect', 'fake'],
    management: ['redfish', 'noop'],
    power: ['redfish'],
    raid: ['redfish', 'no-raid'],
  },
});

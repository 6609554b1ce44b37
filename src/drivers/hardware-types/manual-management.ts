import { defineHardwareType } from '../hardware-type.ts';

/**
 * `manual-management`: servers with no BMC Ferrite can reach, powered by
 * hand and set to boot from the network first. Power is recorded, not
 * switched; the boot order is assumed.
 */
export const MANUAL_MANAGEMENT = defineHardwareType({
  name: 'manual-management',
  description: 'Servers without a reachable BMC: power is switched by hand, the boot order preset',
  supported: {
    boot: ['fake'],
    deploy: ['fake'],
    management: ['noop', 'fake'],
    power: ['fake'],
  },
});

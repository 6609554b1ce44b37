import { defineHardwareType } from '../hardware-type.ts';

/**
 * `fake-hardware`: machines that are not there. Every interface has a fake
 * that behaves (power remembers its state, RAID records its configuration,
 * …), so the whole service can be exercised without a BMC.
 */
export const FAKE_HARDWARE = defineHardwareType({
  name: 'fake-hardware',
  description: 'Emulated machines: fake implementations of every interface, for tests and trials',
  supported: {
    boot: ['fake', 'ipxe', 'pxe'],
    console: ['fake', 'no-console'],
    deploy: ['fake', 'direct'],
    inspect: ['fake', 'no-inspect', 'agent'],
    management: ['fake'],
    power: ['fake'],
    raid: ['fake', 'no-raid'],
    rescue: ['fake', 'no-rescue'],
    storage: ['fake', 'noop'],
    vendor: ['fake', 'no-vendor'],
  },
});

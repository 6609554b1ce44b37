/** The shared boot contract against the pxe and ipxe boot interfaces, on fake-hardware nodes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { SimulatedClock } from '../../../common/clock.ts';
import { bootContract } from '../../../../test/contracts/boot.contract.ts';
import { makePort } from '../../../../test/support/node.ts';
import { TestTask } from '../../../../test/support/task.ts';
import { createDriverFactory } from '../../builtin.ts';
import type { Driver } from '../../driver.ts';
import { SharedResources } from '../../shared-resources.ts';
import { PxeBoot } from './pxe-boot.ts';
import type { PxeFlavour } from './pxe-boot.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferrite-pxe-contract-'));
writeFileSync(join(dir, 'kernel'), 'kernel');
writeFileSync(join(dir, 'ramdisk'), 'ramdisk');

function subject(flavour: PxeFlavour) {
  return {
    name: `boot/${flavour} on fake-hardware`,
    setUp: async () => {
      const clock = new SimulatedClock();
      const impl = new PxeBoot(
        {
          clock,
          options: {
            pxe: {
              httpRoot: join(dir, 'httpboot'),
              httpUrl: 'http://127.0.0.1:6385/boot',
              deployKernel: join(dir, 'kernel'),
              deployRamdisk: join(dir, 'ramdisk'),
            },
          },
          resources: new SharedResources(),
        },
        flavour,
      );
      const driver: Driver = {
        ...createDriverFactory({ clock }).compose({ driver: 'fake-hardware' }),
        boot: impl,
      };
      const task = new TestTask(driver, { clock });
      task.ports.push(makePort(task.node.uuid, { pxeEnabled: true }));
      return { impl, task, clock };
    },
  };
}

describe('pxe and ipxe boot contracts', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  bootContract(subject('pxe'));
  bootContract(subject('ipxe'));
});

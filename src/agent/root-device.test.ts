import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InventoryDisk } from './inventory.ts';
import { checkHints, chooseRootDevice } from './root-device.ts';

const GIB = 1024 ** 3;

function disk(name: string, gib: number, extra: Partial<InventoryDisk> = {}): InventoryDisk {
  return {
    name,
    model: null,
    vendor: null,
    size: gib * GIB,
    rotational: false,
    serial: null,
    wwn: null,
    ...extra,
  };
}

const DISKS = [
  disk('/dev/sdb', 2000, { serial: 'S-BIG', model: 'BIGDISK', rotational: true }),
  disk('/dev/sda', 480, { serial: 'S-SSD', wwn: '0x5002538e40a1b2c3', vendor: 'ATA' }),
  disk('/dev/sdc', 2),
  disk('/dev/nvme0n1', 960, { model: 'Fast NVMe' }),
];

describe('choosing the root device', () => {
  it('takes the smallest disk of at least 4 GiB without hints', () => {
    assert.equal(chooseRootDevice(DISKS)?.name, '/dev/sda');
    assert.equal(chooseRootDevice([disk('/dev/sdc', 2)]), undefined);
  });

  it('follows each hint, case and /dev/ aside, and every hint at once', () => {
    const pick = (hints: Record<string, unknown>): string | undefined =>
      chooseRootDevice(DISKS, checkHints(hints))?.name;
    assert.equal(pick({ serial: 's-big' }), '/dev/sdb');
    assert.equal(pick({ model: 'fast nvme' }), '/dev/nvme0n1');
    assert.equal(pick({ wwn: '0x5002538E40A1B2C3' }), '/dev/sda');
    assert.equal(pick({ name: 'sdc' }), '/dev/sdc');
    assert.equal(pick({ name: '/dev/sdb' }), '/dev/sdb');
    assert.equal(pick({ vendor: 'ata' }), '/dev/sda');
    assert.equal(pick({ rotational: true }), '/dev/sdb');
    assert.equal(pick({ size: 960 }), '/dev/nvme0n1');
    assert.equal(pick({ size: '>= 1000' }), '/dev/sdb');
    assert.equal(pick({ size: '< 100' }), '/dev/sdc');
    assert.equal(pick({ size: '>= 400', rotational: false }), '/dev/nvme0n1');
    assert.equal(pick({ serial: 'S-SSD', model: 'BIGDISK' }), undefined, 'no disk has both');
  });

  it('takes a name that is a path as given (a file disk, a /dev/disk/by-path link)', () => {
    const files = [disk('/var/lib/lab/m1.img', 8), disk('/var/lib/lab/m2.img', 8)];
    assert.equal(
      chooseRootDevice(files, checkHints({ name: '/var/lib/lab/m2.img' }))?.name,
      '/var/lib/lab/m2.img',
    );
  });

  it('refuses hints it does not understand', () => {
    assert.throws(() => checkHints({ seriall: 'x' }), /unknown root device hint seriall/);
    assert.throws(() => chooseRootDevice(DISKS, { size: 'big' }), /not a number of GiB/);
  });
});

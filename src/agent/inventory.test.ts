import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, networkInterfaces, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { readInventory } from './inventory.ts';

function tree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'ferrite-inventory-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('the agent’s inventory', () => {
  it('matches what this machine’s kernel reports', () => {
    const inventory = readInventory();
    const processors = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm) ?? [];
    assert.equal(inventory.cpu.count, processors.length);
    assert.equal(inventory.cpu.count, cpus().length);
    assert.equal(inventory.memory.total, totalmem());
    for (const disk of inventory.disks) {
      const name = disk.name.replace('/dev/', '');
      const sectors = Number(readFileSync(`/sys/block/${name}/size`, 'utf8'));
      assert.equal(disk.size, sectors * 512, disk.name);
      assert.doesNotMatch(name, /^(loop|zram|ram)/);
    }
    // Interfaces with addresses are also in Node's view: the MACs agree.
    const up = networkInterfaces();
    for (const nic of inventory.interfaces) {
      const seen = up[nic.name]?.[0]?.mac;
      if (seen !== undefined) assert.equal(nic.mac_address, seen, nic.name);
    }
    assert.ok(!inventory.interfaces.some((nic) => nic.name === 'lo'), 'no loopback');
  });

  it('reads CPUs, memory, disks, NICs, the vendor and the boot mode from a tree', () => {
    const cpu = (n: number): string =>
      `processor\t: ${String(n)}\nmodel name\t: Test CPU 9000\ncpu MHz\t\t: 2400.000\nflags\t\t: fpu sse2 lm\n`;
    const proc = tree({
      cpuinfo: `${cpu(0)}\n${cpu(1)}\n${cpu(2)}\n`,
      meminfo: 'MemTotal:       16384000 kB\nMemFree:         1000 kB\n',
    });
    const sys = tree({
      'block/sda/size': '937703088\n',
      'block/sda/queue/rotational': '1\n',
      'block/sda/device/model': 'BIGDISK 480G\n',
      'block/sda/device/vendor': 'ATA\n',
      'block/sda/device/serial': 'S3Z9NB0K123\n',
      'block/sda/device/wwid': 'naa.5002538e40a1b2c3\n',
      'block/nvme0n1/size': '2000000\n',
      'block/nvme0n1/queue/rotational': '0\n',
      'block/loop0/size': '100\n',
      'block/sr0/size': '0\n',
      'class/net/lo/address': '00:00:00:00:00:00\n',
      'class/net/eno1/address': '52:54:00:AB:CD:EF\n',
      'class/net/eno1/carrier': '1\n',
      'class/net/eno1/device/vendor': '0x8086\n',
      'class/dmi/id/sys_vendor': 'Ferrite Lab\n',
      'class/dmi/id/product_name': 'Emulated Server\n',
      'firmware/efi/runtime': '',
    });
    try {
      const inventory = readInventory({ proc, sys });
      assert.deepEqual(
        { ...inventory.cpu, architecture: undefined },
        {
          model_name: 'Test CPU 9000',
          frequency: '2400.000',
          count: 3,
          architecture: undefined,
          flags: ['fpu', 'sse2', 'lm'],
        },
      );
      assert.deepEqual(inventory.memory, { total: 16384000 * 1024, physical_mb: 16000 });
      assert.deepEqual(inventory.disks, [
        {
          name: '/dev/nvme0n1',
          model: null,
          vendor: null,
          size: 2000000 * 512,
          rotational: false,
          serial: null,
          wwn: null,
        },
        {
          name: '/dev/sda',
          model: 'BIGDISK 480G',
          vendor: 'ATA',
          size: 937703088 * 512,
          rotational: true,
          serial: 'S3Z9NB0K123',
          wwn: 'naa.5002538e40a1b2c3',
        },
      ]);
      assert.deepEqual(
        inventory.interfaces.map((i) => [i.name, i.mac_address, i.has_carrier, i.vendor]),
        [['eno1', '52:54:00:ab:cd:ef', true, '0x8086']],
      );
      assert.deepEqual(inventory.system_vendor, {
        product_name: 'Emulated Server',
        serial_number: null,
        manufacturer: 'Ferrite Lab',
      });
      assert.equal(inventory.boot.current_boot_mode, 'uefi');
    } finally {
      rmSync(proc, { recursive: true, force: true });
      rmSync(sys, { recursive: true, force: true });
    }
  });
});

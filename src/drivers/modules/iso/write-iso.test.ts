import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { peerSuiteOptions } from '../../../../test/support/peer-suite.ts';
import {
  elToritoReport,
  elToritoTable,
  isoinfoDescription,
  isoinfoListing,
  isoReadersMissing,
  listIso,
  readIsoFile,
} from './iso-readers.ts';
import { writeIso } from './write-iso.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferrite-iso-'));
const KERNEL = randomBytes(3 * 1024 * 1024 + 123);
// Like isolinux.bin: room for the boot info table at byte 8, then code.
const ISOLINUX = Buffer.concat([Buffer.alloc(64), randomBytes(24 * 1024 + 6)]);
const ESP = randomBytes(1440 * 1024);

describe(
  'ISO 9660 images as xorriso and isoinfo read them',
  peerSuiteOptions(await isoReadersMissing()),
  () => {
    const kernel = join(dir, 'vmlinuz');
    const isolinux = join(dir, 'isolinux.bin');
    const esp = join(dir, 'efiboot.img');

    before(() => {
      writeFileSync(kernel, KERNEL);
      writeFileSync(isolinux, ISOLINUX);
      writeFileSync(esp, ESP);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('holds the files under their real names, with their contents, and strict ISO names beneath', async () => {
      const iso = join(dir, 'files.iso');
      const many = Array.from({ length: 40 }, (_, i) => ({
        path: `many/a-rather-long-file-name-number-${String(i).padStart(3, '0')}.txt`,
        source: { data: Buffer.from(`file ${String(i)}\n`) },
      }));
      await writeIso(iso, {
        volumeId: 'ferrite-test',
        date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
        files: [
          { path: 'deploy_kernel', source: { file: kernel } },
          { path: 'ferrite/params.txt', source: { data: Buffer.from('ipa-api-url=http://x\n') } },
          { path: 'boot/grub/grub.cfg', source: { data: Buffer.from('set default=0\n') } },
          { path: 'empty', source: { data: Buffer.alloc(0) } },
          { path: 'Mixed.Case.Name.tar.gz', source: { data: Buffer.from('gz') } },
          ...many,
        ],
      });
      const listing = await listIso(iso);
      assert.deepEqual(
        [...listing].filter(([path]) => !path.startsWith('/many/')),
        [
          ['/', 'dir'],
          ['/Mixed.Case.Name.tar.gz', 2],
          ['/boot', 'dir'],
          ['/boot/grub', 'dir'],
          ['/boot/grub/grub.cfg', 14],
          ['/deploy_kernel', KERNEL.length],
          ['/empty', 0],
          ['/ferrite', 'dir'],
          ['/ferrite/params.txt', 21],
          ['/many', 'dir'],
        ],
      );
      // Forty long names fill more than one sector of their directory.
      assert.equal([...listing.keys()].filter((p) => p.startsWith('/many/')).length, 40);
      assert.deepEqual(await readIsoFile(iso, '/deploy_kernel'), KERNEL);
      assert.equal(
        (await readIsoFile(iso, '/ferrite/params.txt')).toString(),
        'ipa-api-url=http://x\n',
      );
      assert.equal(
        (await readIsoFile(iso, '/many/a-rather-long-file-name-number-039.txt')).toString(),
        'file 39\n',
      );

      const plain = await isoinfoListing(iso, false);
      assert.match(plain, /DEPLOY_KERNEL\.;1/);
      assert.match(plain, /MIXED_CASE_NAME_TAR\.GZ;1/);
      assert.match(plain, /Directory listing of \/BOOT\/GRUB\//);
      const rockRidge = await isoinfoListing(iso, true);
      assert.match(rockRidge, /-r--r--r-- +1 +0 +0 +3145851 .* deploy_kernel/);
      const description = await isoinfoDescription(iso);
      assert.match(description, /Volume id: FERRITE_TEST/);
      assert.match(description, /Rock Ridge signatures version 1 found/);
    });

    it('boots BIOS (ISOLINUX, with its boot info table) and UEFI (an ESP image) through one catalog', async () => {
      const iso = join(dir, 'both.iso');
      await writeIso(iso, {
        volumeId: 'ferrite-boot',
        files: [
          { path: 'isolinux/isolinux.bin', source: { file: isolinux } },
          { path: 'isolinux/isolinux.cfg', source: { data: Buffer.from('default deploy\n') } },
          { path: 'EFI/BOOT/efiboot.img', source: { file: esp } },
        ],
        boot: { bios: { path: 'isolinux/isolinux.bin' }, uefi: { path: 'EFI/BOOT/efiboot.img' } },
      });
      assert.deepEqual(
        await elToritoReport(iso).then((lines) =>
          lines.filter((l) => !l.startsWith('--modification')),
        ),
        [
          "-V 'FERRITE_BOOT'",
          "-c '/boot.cat'",
          "-b '/isolinux/isolinux.bin'",
          '-no-emul-boot',
          '-boot-load-size 4',
          '-boot-info-table',
          '-eltorito-alt-boot',
          "-e '/EFI/BOOT/efiboot.img'",
          '-no-emul-boot',
          `-boot-load-size ${String(ESP.length / 512)}`,
        ],
      );
      const table = await elToritoTable(iso);
      assert.ok(
        table.some((l) => /boot img :\s+1\s+BIOS\s+y\s+none/.test(l)),
        table.join('\n'),
      );
      assert.ok(
        table.some((l) => /boot img :\s+2\s+UEFI\s+y\s+none/.test(l)),
        table.join('\n'),
      );

      // The boot info table: the PVD's sector, the image's sector and length, the checksum from byte 64.
      const booted = await readIsoFile(iso, '/isolinux/isolinux.bin');
      const lba = Number(
        /boot img :\s+1\s+BIOS.*\s(\d+)\s*$/.exec(table.find((l) => / 1 +BIOS/.test(l)) ?? '')?.[1],
      );
      let sum = 0;
      for (let i = 64; i < ISOLINUX.length; i += 4) {
        sum =
          (sum + Buffer.concat([ISOLINUX.subarray(i, i + 4), Buffer.alloc(4)]).readUInt32LE(0)) >>>
          0;
      }
      assert.deepEqual(
        [
          booted.readUInt32LE(8),
          booted.readUInt32LE(12),
          booted.readUInt32LE(16),
          booted.readUInt32LE(20),
        ],
        [16, lba, ISOLINUX.length, sum],
      );
      assert.deepEqual(booted.subarray(64), ISOLINUX.subarray(64));
      assert.deepEqual(await readIsoFile(iso, '/EFI/BOOT/efiboot.img'), ESP);
    });

    it('boots UEFI alone, or BIOS alone, from the catalog’s default entry', async () => {
      const uefi = join(dir, 'uefi.iso');
      await writeIso(uefi, {
        volumeId: 'uefi',
        files: [{ path: 'efi.img', source: { file: esp } }],
        boot: { uefi: { path: 'efi.img' }, catalogPath: 'boot/boot.catalog' },
      });
      const uefiTable = await elToritoTable(uefi);
      assert.ok(
        uefiTable.some((l) => /boot img :\s+1\s+UEFI\s+y\s+none/.test(l)),
        uefiTable.join('\n'),
      );
      assert.ok(!uefiTable.some((l) => /boot img :\s+2/.test(l)), uefiTable.join('\n'));
      assert.ok(
        uefiTable.some((l) => l.includes('/boot/boot.catalog')),
        uefiTable.join('\n'),
      );

      const bios = join(dir, 'bios.iso');
      await writeIso(bios, {
        volumeId: 'bios',
        files: [{ path: 'isolinux.bin', source: { file: isolinux } }],
        boot: { bios: { path: 'isolinux.bin', bootInfoTable: false, loadSectors: 8 } },
      });
      const report = await elToritoReport(bios);
      assert.ok(report.includes('-boot-load-size 8'), report.join('\n'));
      assert.ok(!report.includes('-boot-info-table'), report.join('\n'));
      assert.deepEqual(await readIsoFile(bios, '/isolinux.bin'), ISOLINUX);
    });
  },
);

describe('writeIso refusals', () => {
  it('refuses a path given twice, a boot image that is not in the image, and .. in paths', async () => {
    const out = join(tmpdir(), `ferrite-iso-refused-${String(process.pid)}.iso`);
    const data = { data: Buffer.from('x') };
    await assert.rejects(
      writeIso(out, {
        volumeId: 'x',
        files: [
          { path: 'a', source: data },
          { path: '/a', source: data },
        ],
      }),
      /a is in the ISO image twice/,
    );
    await assert.rejects(
      writeIso(out, {
        volumeId: 'x',
        files: [{ path: 'a', source: data }],
        boot: { bios: { path: 'b' } },
      }),
      /The boot image b is not a file of the ISO image/,
    );
    await assert.rejects(
      writeIso(out, { volumeId: 'x', files: [{ path: 'a/../b', source: data }] }),
      /Bad path in an ISO image/,
    );
    rmSync(out, { force: true });
  });
});

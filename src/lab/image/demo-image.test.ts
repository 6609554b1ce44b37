import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readPartitionUuids } from '../../agent/disk/index.ts';
import { makeDemoImage, readDiskImage } from './demo-image.ts';

describe('the demo image', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-demo-image-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is a GPT disk the agent reads and a booting lab machine recognises, byte for byte', async () => {
    const image = await makeDemoImage(join(dir, 'demo.raw'), 8);
    assert.equal(image.bytes, 8 * 1024 * 1024);
    assert.equal(
      execFileSync('sha256sum', [image.path], { encoding: 'utf8' }).split(' ')[0],
      image.sha256,
    );
    const uuids = await readPartitionUuids(image.path);
    assert.equal(uuids.partitions.length, 2);
    assert.ok(uuids['efi system partition uuid'], 'the ESP is found');
    const report = await readDiskImage(image.path);
    assert.ok(report.bootable);
    assert.equal(report.label.id, image.label.id);
    assert.equal(report.intact, true);
  });

  it('is reported damaged when a byte of it is not what was written, and not bootable without a table', async () => {
    const image = await makeDemoImage(join(dir, 'damaged.raw'), 4);
    const handle = await open(image.path, 'r+');
    await handle.write(Buffer.from([0x42]), 0, 1, 3 * 1024 * 1024);
    await handle.close();
    const report = await readDiskImage(image.path);
    assert.ok(report.bootable);
    assert.equal(report.intact, false);
    const blank = join(dir, 'blank.raw');
    const b = await open(blank, 'w');
    await b.truncate(4 * 1024 * 1024);
    await b.close();
    assert.deepEqual(await readDiskImage(blank), { bootable: false, reason: 'no partition table' });
  });
});

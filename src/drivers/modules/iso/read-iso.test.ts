import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { peerSuiteOptions } from '../../../../test/support/peer-suite.ts';
import { isoReadersMissing } from './iso-readers.ts';
import { readFileFromIso } from './read-iso.ts';
import { writeIso } from './write-iso.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferrite-read-iso-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('readFileFromIso', () => {
  it('reads back what writeIso wrote, by real name or ISO name, and nothing else', async () => {
    const iso = join(dir, 'ours.iso');
    const big = Buffer.alloc(5000, 7);
    await writeIso(iso, {
      volumeId: 'x',
      files: [
        { path: 'ferrite/params.txt', source: { data: Buffer.from('a=1\n') } },
        { path: 'Big.File', source: { data: big } },
        { path: 'empty', source: { data: Buffer.alloc(0) } },
        ...Array.from({ length: 40 }, (_, i) => ({
          path: `many/a-long-name-to-fill-sectors-${String(i).padStart(2, '0')}`,
          source: { data: Buffer.from(String(i)) },
        })),
      ],
    });
    assert.equal((await readFileFromIso(iso, '/ferrite/params.txt'))?.toString(), 'a=1\n');
    assert.deepEqual(await readFileFromIso(iso, 'Big.File'), big);
    assert.deepEqual(await readFileFromIso(iso, '/BIG.FILE'), big);
    assert.deepEqual(await readFileFromIso(iso, '/empty'), Buffer.alloc(0));
    assert.equal(
      (await readFileFromIso(iso, '/many/a-long-name-to-fill-sectors-39'))?.toString(),
      '39',
    );
    assert.equal(await readFileFromIso(iso, '/ferrite'), undefined);
    assert.equal(await readFileFromIso(iso, '/ferrite/params.txt/x'), undefined);
    assert.equal(await readFileFromIso(iso, '/missing'), undefined);
  });

  it('refuses what is not an ISO image', async () => {
    const file = join(dir, 'not.iso');
    writeFileSync(file, Buffer.alloc(40 * 2048));
    await assert.rejects(readFileFromIso(file, '/x'), /is not an ISO 9660 image/);
  });
});

describe(
  'readFileFromIso on images xorriso wrote',
  peerSuiteOptions(await isoReadersMissing()),
  () => {
    it('reads Rock Ridge and plain ISO 9660 names', async () => {
      const tree = join(dir, 'tree');
      mkdirSync(join(tree, 'ferrite'), { recursive: true });
      writeFileSync(join(tree, 'ferrite', 'params.txt'), 'ipa-api-url=http://x\n');
      for (const rockRidge of [true, false]) {
        const iso = join(dir, `xorriso-${String(rockRidge)}.iso`);
        await promisify(execFile)('xorriso', [
          '-as',
          'mkisofs',
          ...(rockRidge ? ['-R'] : []),
          '-quiet',
          '-o',
          iso,
          tree,
        ]);
        assert.equal(
          (await readFileFromIso(iso, '/ferrite/params.txt'))?.toString(),
          'ipa-api-url=http://x\n',
          `Rock Ridge ${String(rockRidge)}`,
        );
      }
    });
  },
);

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tarArchive } from './tar.ts';

describe('tarArchive', () => {
  it('writes an archive GNU tar lists and extracts byte for byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrite-tar-'));
    try {
      const big = Buffer.alloc(1500, 7);
      const archive = tarArchive(
        [
          { name: 'agent.log', data: Buffer.from('hello\n') },
          { name: 'big.bin', data: big },
          { name: 'empty', data: Buffer.alloc(0) },
        ],
        new Date('2026-01-02T03:04:05Z'),
      );
      assert.equal(archive.length % 512, 0);
      const path = join(dir, 'a.tar');
      writeFileSync(path, archive);
      const listing = execFileSync('tar', ['-tvf', path], { encoding: 'utf8' });
      assert.match(listing, /agent\.log/);
      assert.match(listing, /1500 2026-01-02/);
      assert.equal(
        execFileSync('tar', ['-xOf', path, 'agent.log'], { encoding: 'utf8' }),
        'hello\n',
      );
      assert.deepEqual(execFileSync('tar', ['-xOf', path, 'big.bin']), big);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * `ferrite demo` left running, then Ctrl-C: the lab, its agents and Ferrite
 * stop, and the process exits 0 without leaving anything behind.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ferriteBin } from '../../src/common/package-root.ts';

describe('ferrite demo, interrupted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-demo-interrupt-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stops Ferrite and the lab on SIGINT once it has said how to look around', async () => {
    // The default, relative --dir, as the README's `npx ferrite demo` uses it.
    const demoDir = join(dir, '.ferrite', 'demo');
    const child = spawn(
      process.execPath,
      [ferriteBin(), 'demo', '--machines', '2', '--port', '0'],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Press Ctrl-C')) resolve();
      });
      void exited.then(() => reject(new Error(`the demo ended early:\n${out}\n${err}`)));
    });
    assert.match(out, /All 2 machines are active/);
    const url = /Ferrite is running at (\S+)/.exec(out)?.[1];
    assert.ok(url);
    const answer = await fetch(`${url}/v1/nodes`, {
      headers: { 'x-openstack-ironic-api-version': '1.82' },
    });
    assert.equal(answer.status, 200, 'Ferrite stays up after the demo');

    child.kill('SIGINT');
    assert.equal(await exited, 0, err);
    assert.match(out, /Stopping the lab and Ferrite/);
    const agents = spawnSync('pgrep', ['-f', `--disk ${demoDir}`], { encoding: 'utf8' });
    assert.equal(agents.stdout.trim(), '', 'no agent of the lab is left running');
    await assert.rejects(fetch(`${url}/v1/nodes`), 'the API is closed');
  });
});

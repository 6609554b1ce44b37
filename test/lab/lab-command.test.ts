/**
 * `ferrite lab` prints an enrolment that `ferrite create` takes: the nodes
 * and their ports land in Ferrite's API, pointing at the lab's BMCs, which
 * answer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { labCommand } from '../../src/cli/commands/lab.ts';
import { captureIo, ferrite } from '../cli/harness.ts';
import { startServe } from '../support/serve.ts';

describe('ferrite lab', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-lab-command-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a fleet whose enrolment ferrite create takes, until stopped', async () => {
    const serve = await startServe('ferrite-lab-serve-');
    const stop = new AbortController();
    const io = captureIo();
    const output = join(dir, 'lab.json');
    const running = labCommand(
      [
        '--size',
        '2',
        '--dir',
        join(dir, 'lab'),
        '--api-url',
        serve.url,
        '--output',
        output,
        '--disk-size',
        '64',
      ],
      io,
      stop.signal,
    );
    try {
      while (!io.text.err.includes('machines running')) await sleep(20);
      const enrolment = JSON.parse(readFileSync(output, 'utf8')) as {
        nodes: { name: string; driver: string; ports: unknown[] }[];
      };
      assert.deepEqual(
        enrolment.nodes.map((n) => [n.name, n.driver, n.ports.length]),
        [
          ['lab-0', 'redfish', 0],
          ['lab-1', 'ipmi', 1],
        ],
      );
      const created = await ferrite(['create', output, '--url', serve.url]);
      assert.equal(created.code, 0, created.err);
      const listed = await ferrite(['node', 'list', '--url', serve.url, '--format', 'json']);
      const nodes = JSON.parse(listed.out) as { name: string }[];
      assert.deepEqual(nodes.map((n) => n.name).sort(), ['lab-0', 'lab-1']);
      const ports = await ferrite(['port', 'list', '--url', serve.url, '--format', 'json']);
      assert.equal((JSON.parse(ports.out) as unknown[]).length, 1, 'the IPMI machine’s boot NIC');
      // The BMCs answer: managing reads their power state.
      for (const name of ['lab-0', 'lab-1']) {
        const managed = await ferrite(['node', 'manage', name, '--wait', '60', '--url', serve.url]);
        assert.equal(managed.code, 0, managed.err);
      }
    } finally {
      stop.abort();
      assert.equal(await running, 0);
      await serve.stop();
    }
  });
});

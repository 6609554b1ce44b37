// The `ferrite` command as an operator runs it: bin/ferrite.mjs processes
// against a `ferrite serve` process, the URL from FERRITE_URL, an enrollment
// file read from standard input.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startServe } from '../support/serve.ts';
import type { ServeProcess } from '../support/serve.ts';

const BIN = fileURLToPath(new URL('../../bin/ferrite.mjs', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function ferrite(url: string, args: readonly string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, FERRITE_URL: url, OS_BAREMETAL_API_VERSION: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

describe('ferrite as a process against ferrite serve', () => {
  let serve: ServeProcess;

  before(async () => {
    serve = await startServe('ferrite-cli-e2e-');
  });
  after(async () => {
    await serve.stop();
  });

  it('enrols from standard input, then manages and provides a node with --wait', async () => {
    const enrollment = JSON.stringify({
      nodes: [
        {
          name: 'e2e-0',
          driver: 'fake-hardware',
          ports: [{ address: '52:54:00:e2:e0:01' }],
        },
      ],
    });
    const created = await ferrite(serve.url, ['create', '-'], enrollment);
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /^node\s+\S+\s+e2e-0\s*$/m);
    assert.match(created.out, /^port\s+\S+\s+52:54:00:e2:e0:01\s+\S+$/m);

    for (const [action, state] of [
      ['manage', 'manageable'],
      ['provide', 'available'],
    ] as const) {
      const run = await ferrite(serve.url, [
        'node',
        action,
        'e2e-0',
        '--wait',
        '60',
        '--poll-interval',
        '0.05',
      ]);
      assert.equal(run.code, 0, run.err);
      assert.match(run.err, new RegExp(`e2e-0: ${state}\\n$`));
    }
  });

  it('exits 1 with the API’s message on stderr', async () => {
    const missing = await ferrite(serve.url, ['port', 'show', '52:54:00:00:00:99']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^ferrite port show: .*52:54:00:00:00:99.* \(HTTP 404\)\n$/);
  });
});

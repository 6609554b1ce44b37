import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/ferrite.mjs', import.meta.url));

it('serves the API on a free loopback port and stops cleanly on SIGTERM', async () => {
  const server = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--database', 'sqlite::memory:', '--log-level', 'silent'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const address = await new Promise<string>((resolve, reject) => {
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    server.on('exit', (code) =>
      reject(new Error(`ferrite serve exited with ${String(code)}: ${err}`)),
    );
  });
  try {
    const res = await fetch(`${address}/v1`, {
      headers: { 'X-OpenStack-Ironic-API-Version': 'latest' },
    });
    assert.equal(res.status, 200);
    assert.ok('nodes' in ((await res.json()) as Record<string, unknown>));
    const drivers = (await (await fetch(`${address}/v1/drivers`)).json()) as {
      drivers: { name: string; hosts: string[] }[];
    };
    assert.ok(drivers.drivers.some((d) => d.name === 'fake-hardware' && d.hosts.length === 1));
  } finally {
    server.kill('SIGTERM');
  }
  const [code] = (await once(server, 'exit')) as [number | null];
  assert.equal(code, 0, err);
  assert.match(out, /Ferrite is stopping/);
});

it('refuses a bad port before starting anything', async () => {
  const run = spawn(process.execPath, [BIN, 'serve', '--port', 'seventy'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  run.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const [code] = (await once(run, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(err, /--port must be a port number/);
});

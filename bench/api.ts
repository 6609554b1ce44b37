/**
 * bench/api: the /v1 API's throughput, measured from outside.
 *
 *   npm run bench:api -- [--n 1000] [--concurrency 16] [--phases …] [--load-seconds 10]
 *                        [--cpu-prof DIR]
 *
 * Starts `ferrite serve` on 127.0.0.1 (a free port, a fresh temporary SQLite
 * database, log level warn), runs the neutral Ironic API bench client
 * (shared/bench/ironic-api-bench.mjs, found through FERRITE_API_BENCH or by
 * walking up from this checkout) against it with the server's pid for its
 * RSS and CPU figures, and prints the client's JSON as one line on stdout.
 * The client's progress goes to stderr. The server is stopped at the end.
 *
 * --cpu-prof DIR runs the server under `node --cpu-prof`, writing its
 * profile into DIR when it stops.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchClient, repositoryRoot, runClient } from './api-client.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    concurrency: { type: 'string' },
    phases: { type: 'string' },
    'load-seconds': { type: 'string' },
    'cpu-prof': { type: 'string' },
  },
});

/** Resolves with the address `ferrite serve` reports it listens on. */
function listeningAddress(server: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const match = /listening on (\S+)/.exec(seen);
      if (match?.[1] !== undefined) {
        server.stdout?.off('data', onData);
        server.off('exit', onExit);
        resolvePromise(match[1]);
      }
    };
    const onExit = (code: number | null): void => {
      reject(new Error(`bench/api: ferrite serve exited (${String(code)}) before listening`));
    };
    server.stdout?.on('data', onData);
    server.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL if the server has not stopped within 30 s. */
async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((r) => server.once('exit', () => r()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

const root = repositoryRoot();
const client = benchClient(root);
const dir = mkdtempSync(join(tmpdir(), 'ferrite-api-bench-'));
const profile = values['cpu-prof'];
const nodeFlags = profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${resolve(profile)}`];

// The client's undeploy phase expects automated cleaning off.
const server = spawn(
  process.execPath,
  [
    ...nodeFlags,
    join(root, 'bin', 'ferrite.mjs'),
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--database',
    `sqlite://${join(dir, 'bench.db')}`,
    '--log-level',
    'warn',
  ],
  {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FERRITE_CONDUCTOR_AUTOMATED_CLEAN: 'false' },
  },
);

try {
  const url = await listeningAddress(server);
  if (server.pid === undefined) throw new Error('bench/api: ferrite serve has no pid');
  process.stderr.write(`bench/api: ferrite serve (pid ${server.pid}) on ${url}\n`);
  const passed: [string, string | undefined][] = [
    ['--concurrency', values.concurrency],
    ['--phases', values.phases],
    ['--load-seconds', values['load-seconds']],
  ];
  const args = [
    '--url',
    url,
    '--n',
    values.n,
    '--pids',
    String(server.pid),
    ...passed.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
  ];
  const out = await runClient(client, args);
  process.stdout.write(`${JSON.stringify(JSON.parse(out))}\n`);
} finally {
  await stop(server);
  rmSync(dir, { recursive: true, force: true });
}

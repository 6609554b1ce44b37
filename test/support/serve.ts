import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/ferrite.mjs', import.meta.url));

/** A `ferrite serve` process of a test's own: a free loopback port, a SQLite file in a temp folder. */
export interface ServeProcess {
  /** `http://127.0.0.1:<port>`, without /v1. */
  readonly url: string;
  /** The temp folder, removed by stop(). */
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startServe(prefix: string): Promise<ServeProcess> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const proc = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      '--database',
      `sqlite://${join(dir, 'ferrite.db')}`,
      '--log-level',
      'silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    proc.on('exit', (code) =>
      reject(new Error(`ferrite serve exited with ${String(code)}: ${err}`)),
    );
  });
  return {
    url,
    dir,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = once(proc, 'exit');
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The neutral /v1 bench client (shared/bench/ironic-api-bench.mjs), found
 * and run for bench/api and bench/api-ceiling.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT_PATH = join('shared', 'bench', 'ironic-api-bench.mjs');

/** The checkout's root: the nearest directory above this file with a package.json. */
export function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('bench/api: no package.json above the bench');
    dir = parent;
  }
  return dir;
}

/** The bench client: FERRITE_API_BENCH, or shared/bench/… in the checkout or a directory above it. */
export function benchClient(root: string): string {
  const fromEnv = process.env['FERRITE_API_BENCH'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`bench/api: FERRITE_API_BENCH=${fromEnv} not found`);
    return resolve(fromEnv);
  }
  for (let dir = root; ; dir = dirname(dir)) {
    const candidate = join(dir, CLIENT_PATH);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(`bench/api: ${CLIENT_PATH} not found above ${root}; set FERRITE_API_BENCH`);
}

/** Runs the client; its stdout (the JSON) is returned, its stderr passed through. */
export function runClient(client: string, args: readonly string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [client, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const out = Buffer.concat(chunks).toString('utf8');
      if (code === 0) resolvePromise(out);
      else reject(new Error(`bench/api: the client exited ${String(code)}: ${out.slice(0, 500)}`));
    });
  });
}

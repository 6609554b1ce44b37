/**
 * The real Bare Metal command-line client (Debian's python3-ironicclient
 * and python3-openstackclient) as a test peer: where it is, whether it is
 * installed (under CI=true a missing client fails instead of skipping),
 * and a runner that keeps every output for the secret checks.
 * scripts/ensure-openstack-client.sh installs it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's client runs under /usr/bin/python3: call it by path, never through PATH. */
export const BAREMETAL = '/usr/bin/baremetal';
export const OPENSTACK = '/usr/bin/openstack';
export const INSTALL_HINT = 'run scripts/ensure-openstack-client.sh as root to install it';
const COMMAND_TIMEOUT_MS = 60_000;
/** How many times a wait re-runs `node show` (each run takes about a second) before failing. */
const POLL_ATTEMPTS = 60;

const CI = process.env['CI'] === 'true';
export const missing = [BAREMETAL, OPENSTACK].filter((p) => !existsSync(p));
export const skip =
  missing.length > 0 && !CI
    ? `the Bare Metal client is not installed (${missing.join(', ')} missing): ${INSTALL_HINT}`
    : false;

/** For a suite's `before`: under CI=true a missing client is an error, not a skip. */
export function requireClient(): void {
  if (missing.length > 0) {
    throw new Error(
      `CI=true and the Bare Metal client is not installed (${missing.join(', ')} missing): ${INSTALL_HINT}`,
    );
  }
}

export interface CliResult {
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Row = Record<string, unknown>;

export function describeRun(r: CliResult): string {
  return `${r.command} exited ${r.code}\nstdout: ${r.stdout.trim()}\nstderr: ${r.stderr.trim()}`;
}

export function assertOk(r: CliResult): CliResult {
  assert.equal(r.code, 0, describeRun(r));
  return r;
}

export function asObject(value: unknown, what: string): Row {
  assert.ok(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    `${what}: expected an object, got ${JSON.stringify(value)}`,
  );
  return value as Row;
}

export function asRows(value: unknown, what: string): Row[] {
  assert.ok(Array.isArray(value), `${what}: expected a list, got ${JSON.stringify(value)}`);
  return value.map((row) => asObject(row, what));
}

export function parsed(r: CliResult): unknown {
  assertOk(r);
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    return assert.fail(`${r.command} printed no JSON:\n${r.stdout}`);
  }
}

/** The rows of a list, sorted by one column, for order-independent comparisons. */
export function sortedBy(rows: Row[], column: string): Row[] {
  return [...rows].sort((a, b) => String(a[column]).localeCompare(String(b[column])));
}

/** The client's environment: no OS_* or PYTHON* variable of ours, no user configuration. */
export function clientEnv(endpoint: string, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(OS_|PYTHON)/.test(key) || /_proxy$/i.test(key)) continue;
    env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    OS_AUTH_TYPE: 'none',
    OS_ENDPOINT: endpoint,
  };
}

/** Runs the client against one endpoint, keeping every result in `outputs`. */
export class CliRunner {
  readonly outputs: CliResult[] = [];
  readonly #env: () => NodeJS.ProcessEnv;

  /** `env` is read at each run: suites set it up in `before`. */
  constructor(env: () => NodeJS.ProcessEnv) {
    this.#env = env;
  }

  /** Runs `program`; resolves with its exit code and output, whatever the code. */
  run(program: string, args: readonly string[]): Promise<CliResult> {
    const command = `${program.split('/').pop() ?? program} ${args.join(' ')}`;
    return new Promise((resolve, reject) => {
      execFile(
        program,
        args,
        {
          env: this.#env(),
          timeout: COMMAND_TIMEOUT_MS,
          maxBuffer: 16 * 1024 * 1024,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : error.code;
          if (typeof code !== 'number') {
            reject(new Error(`${command} did not finish: ${error?.message ?? ''}\n${stderr}`));
            return;
          }
          const result = { command, code, stdout, stderr };
          this.outputs.push(result);
          resolve(result);
        },
      );
    });
  }

  bm(...args: string[]): Promise<CliResult> {
    return this.run(BAREMETAL, args);
  }

  async bmJson(...args: string[]): Promise<unknown> {
    return parsed(await this.bm(...args, '-f', 'json'));
  }

  async bmOk(...args: string[]): Promise<CliResult> {
    return assertOk(await this.bm(...args));
  }

  /** Re-runs `node show` until `field` is `want`; fails on a failed state or after POLL_ATTEMPTS. */
  async waitFor(
    node: string,
    field: 'provision_state' | 'power_state',
    want: string,
  ): Promise<Row> {
    let last: Row = {};
    for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
      last = asObject(
        await this.bmJson('node', 'show', node, '-c', field, '-c', 'last_error'),
        'node show',
      );
      const state = last[field];
      if (state === want) return last;
      if (typeof state === 'string' && /failed|error/.test(state)) break;
    }
    return assert.fail(`${node}: ${field} never became "${want}": ${JSON.stringify(last)}`);
  }
}

/**
 * Debian's python3-sushy (the Redfish library Ironic uses) as a peer of
 * Ferrite's Redfish emulator: `runSushy` runs a Python script with
 * /usr/bin/python3, asynchronously (the emulator answers from this process,
 * so a synchronous spawn would deadlock).
 */
import { spawnSync } from 'node:child_process';
import { peerSuiteOptions } from './peer-suite.ts';
import { runProcess } from './run-process.ts';
import type { ProcessResult } from './run-process.ts';

const PYTHON = '/usr/bin/python3';

/** Why sushy cannot run here, or undefined when it can. */
export function sushyMissing(): string | undefined {
  const found = spawnSync(PYTHON, ['-c', 'import sushy'], { encoding: 'utf8' });
  if (found.status !== 0) {
    return 'python3-sushy is not installed (Debian package python3-sushy; scripts/ensure-redfish-peers.sh installs it)';
  }
  return undefined;
}

/**
 * `{ skip }` for a suite that needs sushy: a reason when it is missing,
 * except under CI=true, where the suite runs and fails instead.
 */
export function sushySuiteOptions(): { skip?: string } {
  return peerSuiteOptions(sushyMissing());
}

export type SushyResult = ProcessResult;

/**
 * Runs `script` with `args` under /usr/bin/python3, killed after `killAfterMs`.
 * REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE are taken out of its environment:
 * requests would otherwise verify against them even when told not to verify.
 */
export function runSushy(
  script: string,
  args: readonly string[],
  killAfterMs = 60_000,
): Promise<SushyResult> {
  const missing = sushyMissing();
  if (missing !== undefined) return Promise.reject(new Error(`sushy cannot run: ${missing}`));
  const env = { ...process.env };
  delete env['REQUESTS_CA_BUNDLE'];
  delete env['CURL_CA_BUNDLE'];
  return runProcess(PYTHON, ['-c', script, ...args], { env, killAfterMs });
}

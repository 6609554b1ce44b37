/**
 * `ferrite agent` in a process of its own, as a ramdisk runs it: its
 * command API on a free loopback port, a file for its disk.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ferrite.mjs');

export interface AgentProcess {
  /** The URL of its command API. */
  readonly url: string;
  readonly child: ChildProcess;
  /** What it wrote to standard error so far (its log). */
  readonly log: () => string;
  /** Resolves with the exit code once it has ended. */
  readonly exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts an agent and resolves once its API listens. */
export async function startAgentProcess(args: readonly string[]): Promise<AgentProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'agent', '--listen', '127.0.0.1:0', '--log-level', 'debug', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /listening on (\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) =>
      reject(new Error(`the agent exited (${String(code)}) before listening:\n${stderr}`)),
    );
  });
  return {
    url,
    child,
    log: () => stderr,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

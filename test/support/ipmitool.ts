/**
 * The real `ipmitool` as a peer of Ferrite's emulated BMC: `runIpmitool`
 * runs it asynchronously (the BMC under test answers from this process,
 * so a synchronous spawn would deadlock).
 */
import { spawn, spawnSync } from 'node:child_process';

/** Why ipmitool cannot run here, or undefined when it can. */
export function ipmitoolMissing(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v ipmitool'], { encoding: 'utf8' });
  if (found.status !== 0) {
    return 'ipmitool is not installed (Debian package ipmitool; scripts/ensure-ipmi-peers.sh installs it)';
  }
  return undefined;
}

/**
 * `{ skip }` for a suite that needs ipmitool: a reason when it is missing,
 * except under CI=true, where the suite runs and fails instead.
 */
export function ipmitoolSuiteOptions(): { skip?: string } {
  return peerSuiteOptions(ipmitoolMissing());
}

export type IpmitoolResult = ProcessResult;

export interface IpmitoolTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly cipherSuite?: number;
}

/** ipmitool's options for `target` over lanplus, with `password` saying how it gets the password. */
function lanplus(target: IpmitoolTarget, password: readonly string[]): string[] {
  return [
    '-I',
    'lanplus',
    '-H',
    target.host,
    '-p',
    String(target.port),
    '-U',
    target.username,
    ...password,
    ...(target.cipherSuite === undefined ? [] : ['-C', String(target.cipherSuite)]),
  ];
}

/**
 * `ipmitool -I lanplus -H … -p … -U … -P … [-C …] args…`, with one retry
 * and a 1 s timeout per packet; killed after `killAfterMs`.
 */
export function runIpmitool(
  target: IpmitoolTarget,
  args: readonly string[],
  killAfterMs = 20_000,
): Promise<IpmitoolResult> {
  const missing = ipmitoolMissing();
  if (missing !== undefined) return Promise.reject(new Error(`ipmitool cannot run: ${missing}`));
  const argv = [...lanplus(target, ['-P', target.password]), '-N', '1', '-R', '2', ...args];
  return runProcess('ipmitool', argv, { killAfterMs });
}

/** One step of a SOL conversation: wait for text, or type it. */
export type SolStep = { readonly expect: string } | { readonly send: string };

export interface SolConversation {
  /** Whether every step happened and ipmitool exited by itself afterwards. */
  readonly ok: boolean;
  /** What went wrong, e.g. 'no "echo: hi" within 10 s'. */
  readonly failure?: string;
  /** Everything ipmitool printed on its terminal. */
  readonly transcript: string;
  readonly status: number | null;
}

/**
 * Drives `ipmitool … sol activate` on a pseudo-terminal (python3's pty
 * module; ipmitool puts its terminal in raw mode), through `steps`; after
 * the last step it waits for ipmitool to exit (end with `{ send: '~.' }`,
 * ipmitool's escape to leave SOL). Each expectation has `stepTimeoutMs`.
 */
export function runIpmitoolSol(
  target: IpmitoolTarget,
  steps: readonly SolStep[],
  stepTimeoutMs = 10_000,
): Promise<SolConversation> {
  const missing = ipmitoolMissing();
  if (missing !== undefined) return Promise.reject(new Error(`ipmitool cannot run: ${missing}`));
  // -E: the password from the environment, so it is not in the argument list.
  const argv = ['ipmitool', ...lanplus(target, ['-E']), 'sol', 'activate'];
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/python3',
      ['-c', PTY_DRIVER, JSON.stringify(argv), JSON.stringify(steps), String(stepTimeoutMs / 1000)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, IPMI_PASSWORD: target.password },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGKILL'), stepTimeoutMs * (steps.length + 2));
    child.once('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(killer);
      try {
        const result = JSON.parse(stdout) as { failure: string | null; transcript: string };
        resolve({
          ok: result.failure === null,
          ...(result.failure === null ? {} : { failure: result.failure }),
          transcript: result.transcript,
          status,
        });
      } catch {
        reject(new Error(`the SOL pty driver failed (${String(status)}): ${stderr}`));
      }
    });
  });
}

/** The pty driver: argv, steps (JSON), seconds per step; prints {failure, transcript} as JSON. */
const PTY_DRIVER = String.raw`
import json, os, pty, select, signal, sys, time
argv, steps, limit = json.loads(sys.argv[1]), json.loads(sys.argv[2]), float(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b""
def read_until(done):
    """Reads the terminal until done(out) or EOF (ipmitool exited); False on timeout."""
    global out
    end = time.monotonic() + limit
    while not done(out):
        left = end - time.monotonic()
        if left <= 0:
            return False
        if select.select([fd], [], [], left)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                return "eof"
            out += chunk
    return True
failure = None
for step in steps:
    if "expect" in step:
        needle = step["expect"].encode("latin1")
        if read_until(lambda seen: needle in seen) is not True:
            failure = "no %r within %g s" % (step["expect"], limit)
            break
    else:
        os.write(fd, step["send"].encode("latin1"))
exited = False
if failure is None:
    # Drain the terminal until ipmitool has exited, its last words included.
    if read_until(lambda seen: False) == "eof":
        os.waitpid(pid, 0)
        exited = True
    else:
        failure = "ipmitool did not exit within %g s after the last step" % limit
if not exited:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
print(json.dumps({"failure": failure, "transcript": out.decode("latin1")}))
`;
import { peerSuiteOptions } from './peer-suite.ts';
import { runProcess } from './run-process.ts';
import type { ProcessResult } from './run-process.ts';

/**
 * bench/agent: writing a 1 GiB raw image to a disk, Ferrite's image writer
 * (sha256 verified, synced) beside `curl -s URL | dd of=DISK bs=4M conv=fsync`.
 *
 *   npm run bench:agent -- [--size-mib 1024] [--rounds 3] [--dir /tmp/ferrite-bench-agent]
 *
 * The image is random bytes, made once and kept in --dir so reruns are
 * fast. A static file server (bench/agent/file-server.ts) serves it from a
 * child process of its own. Each round runs curl | dd, then Ferrite's writer
 * in a child process (bench/agent/ferrite-write.ts), each onto a fresh sparse
 * 2 × image-size file in --dir. Ferrite's figure is timed from the call to
 * writeImage to its return (download, hash, write, fsync), as the child
 * reports it; its process time (spawn to exit, tsx start-up included) is
 * given beside. curl | dd is timed as a whole pipeline. The disks are
 * checked against the image after every run and removed at the end. Prints
 * one JSON line: medians, MiB/s = 2^20 bytes/s, and the load average, since
 * on a shared machine other work moves the figures.
 */
import { spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'size-mib': { type: 'string', default: '1024' },
    rounds: { type: 'string', default: '3' },
    dir: { type: 'string', default: join(tmpdir(), 'ferrite-bench-agent') },
  },
});
const SIZE = Number(values['size-mib']) * 1024 * 1024;
const ROUNDS = Number(values.rounds);
const DIR = values.dir;
const MIB = 1024 * 1024;

const log = (line: string): void => {
  process.stderr.write(`bench/agent: ${line}\n`);
};

const here = (name: string): string =>
  fileURLToPath(new URL(`./${name}${extname(import.meta.url)}`, import.meta.url));

/** The cached random image and its sha256, made when missing or of another size. */
async function ensureImage(): Promise<{ name: string; sha256: string }> {
  await mkdir(DIR, { recursive: true });
  const name = `image-${SIZE}.raw`;
  const path = join(DIR, name);
  const sumPath = `${path}.sha256`;
  if (existsSync(path) && existsSync(sumPath)) {
    return { name, sha256: (await readFile(sumPath, 'utf8')).trim() };
  }
  log(`making a ${SIZE / MIB} MiB random image in ${DIR}`);
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w');
  const hash = createHash('sha256');
  const block = Buffer.alloc(8 * MIB);
  for (let done = 0; done < SIZE; done += block.length) {
    const piece = block.subarray(0, Math.min(block.length, SIZE - done));
    randomFillSync(piece);
    hash.update(piece);
    await handle.write(piece, 0, piece.length, done);
  }
  await handle.close();
  const sha256 = hash.digest('hex');
  await rename(partial, path);
  await writeFile(sumPath, `${sha256}\n`);
  return { name, sha256 };
}

interface Server {
  readonly port: number;
  stop(): void;
}

async function startServer(): Promise<Server> {
  const child = spawn(process.execPath, [...process.execArgv, here('file-server'), DIR], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`file server exited with ${code}`)));
  });
  return { port: Number(first), stop: () => child.stdin.end() };
}

function run(
  command: string,
  args: readonly string[],
): Promise<{ stdout: string; seconds: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, seconds: (performance.now() - start) / 1000 });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
    });
  });
}

/** A fresh sparse disk of twice the image's size. */
async function freshDisk(path: string): Promise<void> {
  await rm(path, { force: true });
  await writeFile(path, '');
  await truncate(path, SIZE * 2);
}

/** curl | dd, timed from here; bash's `time` gives the pipeline's CPU seconds (user + system). */
async function curlDd(url: string, disk: string): Promise<{ seconds: number; cpu: number }> {
  const { stdout, seconds } = await run('bash', [
    '-c',
    `set -o pipefail; TIMEFORMAT='%U %S'; { time curl -sf "$0" | dd of="$1" bs=4M conv=fsync status=none; } 2>&1`,
    url,
    disk,
  ]);
  const [user = NaN, system = NaN] = (stdout.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { seconds, cpu: user + system };
}

/**
 * One write by Ferrite's writer. This is the one place to change to drive
 * the real `ferrite agent` through its command API instead of a child
 * running writeImage.
 */
async function runFerriteWrite(
  url: string,
  sha256: string,
  disk: string,
): Promise<{ seconds: number; inner: number; cpu: number }> {
  const { stdout, seconds } = await run(process.execPath, [
    ...process.execArgv,
    here('ferrite-write'),
    url,
    sha256,
    disk,
  ]);
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    bytes: number;
    seconds: number;
    cpuSeconds: number;
  };
  if (result.bytes !== SIZE) throw new Error(`ferrite wrote ${result.bytes} bytes`);
  return { seconds, inner: result.seconds, cpu: result.cpuSeconds };
}

/**
 * The same write through the agent itself: a `ferrite agent --standalone`
 * process (already running, as in a booted ramdisk) asked for
 * standby.prepare_image over its command API, timed from the POST until the
 * command's result says SUCCEEDED.
 */
async function runAgentWrite(url: string, sha256: string, disk: string): Promise<number> {
  const bin = fileURLToPath(
    new URL('../../bin/ferrite.mjs', import.meta.url).href.replace('/dist/bin/', '/bin/'),
  );
  const agent = spawn(
    process.execPath,
    [
      bin,
      'agent',
      '--standalone',
      '--listen',
      '127.0.0.1:0',
      '--disk',
      disk,
      '--log-level',
      'warn',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: agent.stdout }).on('line', (line) => {
        const match = /listening on (\S+)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      agent.once('exit', (code) => reject(new Error(`the agent exited with ${String(code)}`)));
    });
    const start = performance.now();
    const started = await fetch(`${base}/v1/commands/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'standby.prepare_image',
        params: {
          image_info: {
            id: 'bench-image',
            urls: [url],
            disk_format: 'raw',
            os_hash_algo: 'sha256',
            os_hash_value: sha256,
          },
          node: { properties: { root_device: { name: disk } } },
        },
      }),
    });
    const { id } = (await started.json()) as { id: string };
    const done = await fetch(`${base}/v1/commands/${id}?wait=true`);
    const result = (await done.json()) as { command_status: string; command_error: unknown };
    const seconds = (performance.now() - start) / 1000;
    if (result.command_status !== 'SUCCEEDED')
      throw new Error(`the agent failed: ${JSON.stringify(result.command_error)}`);
    return seconds;
  } finally {
    agent.kill('SIGTERM');
    await new Promise((resolve) =>
      agent.exitCode === null ? agent.once('exit', resolve) : resolve(undefined),
    );
  }
}

/** The first SIZE bytes of the disk hash as the image does. */
async function checkDisk(disk: string, sha256: string, who: string): Promise<void> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(disk, {
    start: 0,
    end: SIZE - 1,
    highWaterMark: 8 * MIB,
  })) {
    hash.update(chunk as Buffer);
  }
  if (hash.digest('hex') !== sha256)
    throw new Error(`${who} left a disk that differs from the image`);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const mibS = (seconds: number): number => Math.round((SIZE / MIB / seconds) * 10) / 10;

async function main(): Promise<void> {
  const loadStart = loadavg()[0] ?? 0;
  const image = await ensureImage();
  const server = await startServer();
  const url = `http://127.0.0.1:${server.port}/${image.name}`;
  const disk = join(DIR, `disk-${process.pid}.img`);
  const curl: number[] = [];
  const curlCpu: number[] = [];
  const ferrite: number[] = [];
  const ferriteInner: number[] = [];
  const ferriteCpu: number[] = [];
  const agentSeconds: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      await freshDisk(disk);
      const piped = await curlDd(url, disk);
      curl.push(piped.seconds);
      curlCpu.push(piped.cpu);
      await checkDisk(disk, image.sha256, 'curl | dd');
      await freshDisk(disk);
      const write = await runFerriteWrite(url, image.sha256, disk);
      ferrite.push(write.seconds);
      ferriteInner.push(write.inner);
      ferriteCpu.push(write.cpu);
      await checkDisk(disk, image.sha256, 'ferrite');
      await freshDisk(disk);
      agentSeconds.push(await runAgentWrite(url, image.sha256, disk));
      await checkDisk(disk, image.sha256, 'ferrite agent');
      log(
        `round ${round}: curl|dd ${curl.at(-1)?.toFixed(2)} s, ferrite ${write.seconds.toFixed(2)} s ` +
          `(${write.inner.toFixed(2)} s in writeImage), agent command ${agentSeconds.at(-1)?.toFixed(2)} s`,
      );
    }
  } finally {
    server.stop();
    await rm(disk, { force: true });
  }
  const curlMibS = mibS(median(curl));
  const ferriteMibS = mibS(median(ferriteInner));
  const round3 = (values: readonly number[]): number[] =>
    values.map((s) => Math.round(s * 1000) / 1000);
  const report = {
    bench: 'agent',
    image_bytes: SIZE,
    rounds: ROUNDS,
    verify: 'sha256',
    curl_dd_mib_s: curlMibS,
    ferrite_mib_s: ferriteMibS,
    ratio: Math.round((ferriteMibS / curlMibS) * 1000) / 1000,
    ferrite_agent_mib_s: mibS(median(agentSeconds)),
    agent_ratio: Math.round((mibS(median(agentSeconds)) / curlMibS) * 1000) / 1000,
    ferrite_agent_seconds: round3(agentSeconds),
    ferrite_process_mib_s: mibS(median(ferrite)),
    curl_dd_seconds: round3(curl),
    ferrite_seconds: round3(ferriteInner),
    ferrite_process_seconds: round3(ferrite),
    curl_dd_cpu_seconds: round3([median(curlCpu)])[0],
    ferrite_cpu_seconds: round3([median(ferriteCpu)])[0],
    timing:
      'curl_dd: the shell pipeline from start to exit (fsync included); ferrite: writeImage call to return ' +
      '(download, sha256, write, fsync); ferrite_process: its child process from spawn to exit (+ tsx start-up); ' +
      'ferrite_agent: a running `ferrite agent` asked for standby.prepare_image over its API, POST to SUCCEEDED; ' +
      'cpu: medians of user + system seconds, curl and dd together, ferrite during the call',
    cpus: cpus().length,
    load_average: [loadStart, loadavg()[0] ?? 0].map((l) => Math.round(l * 100) / 100),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();

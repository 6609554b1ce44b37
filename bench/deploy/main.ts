/**
 * bench/deploy: many lab machines deployed at once, Ferrite as operators
 * run it.
 *
 *   npm run bench:deploy -- [--machines 50] [--image-mib 256]
 *
 * Three processes besides this one: `ferrite serve` (embedded SQLite, the
 * HTTP boot root at /boot), `ferrite lab` (half Redfish machines booting
 * the agent from virtual media, half IPMI machines booting it with iPXE;
 * each boot a real `ferrite agent` process) and a static file server with
 * the image (a GPT image Ferrite makes, verified by the machines when they
 * boot it). The machines are enrolled, managed and made available without
 * cleaning; then every deploy is started at once and timed until the last
 * machine is active. Prints one JSON line: seconds to all active,
 * failures, machines that booted the image intact, Ferrite's peak RSS.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { makeDemoImage } from '../../src/lab/image/demo-image.ts';
import { ferriteBin } from '../../src/common/package-root.ts';

const { values } = parseArgs({
  options: {
    machines: { type: 'string', default: '50' },
    'image-mib': { type: 'string', default: '256' },
  },
});
const MACHINES = Number(values.machines);
const IMAGE_MIB = Number(values['image-mib']);
const VERSION = { 'x-openstack-ironic-api-version': '1.82', 'content-type': 'application/json' };

const dir = mkdtempSync(join(tmpdir(), 'ferrite-bench-deploy-'));
const children: ChildProcess[] = [];

/** Starts a process and resolves with the first stdout line that matches. */
function start(
  args: readonly string[],
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = ready.exec(line);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited with ${String(code)}`)),
    );
  });
}

async function api(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  url: string,
  body?: unknown,
): Promise<unknown> {
  const answer = await request(url, {
    method,
    headers: VERSION,
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await answer.body.text();
  if (answer.statusCode >= 400)
    throw new Error(`${method} ${url}: ${String(answer.statusCode)} ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

interface NodeView {
  uuid: string;
  name: string;
  provision_state: string;
  target_provision_state: string | null;
  last_error: string | null;
  reservation: string | null;
}

async function nodes(base: string): Promise<NodeView[]> {
  const page = (await api('GET', `${base}/v1/nodes?detail=true&limit=1000`)) as {
    nodes: NodeView[];
  };
  return page.nodes;
}

/** Waits until every node rests in `target` (or a failure state): the failures. */
async function settle(base: string, target: string): Promise<NodeView[]> {
  for (;;) {
    const all = await nodes(base);
    const resting = all.filter((n) => n.target_provision_state === null && n.reservation === null);
    if (resting.length === all.length) return all.filter((n) => n.provision_state !== target);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function provision(base: string, uuids: readonly string[], target: string): Promise<void> {
  await Promise.all(
    uuids.map((uuid) => api('PUT', `${base}/v1/nodes/${uuid}/states/provision`, { target })),
  );
}

try {
  const image = await makeDemoImage(join(dir, 'image.raw'), IMAGE_MIB, 'bench-image');
  writeFileSync(
    join(dir, 'ferrite.toml'),
    [
      '[database]',
      `url = "sqlite://${join(dir, 'ferrite.db')}"`,
      '[conductor]',
      'automated_clean = false',
      '[pxe]',
      `http_root = "${join(dir, 'httpboot')}"`,
      '[log]',
      'level = "warn"',
      '',
    ].join('\n'),
  );
  const ext = extname(import.meta.url);
  const serve = await start(
    [ferriteBin(), 'serve', '--config', join(dir, 'ferrite.toml'), '--port', '0'],
    /listening on (\S+)/,
  );
  const base = serve.match[1] ?? '';
  const files = await start(
    [
      ...process.execArgv,
      fileURLToPath(new URL(`../agent/file-server${ext}`, import.meta.url)),
      dir,
    ],
    /^(\d+)$/,
  );
  const imageUrl = `http://127.0.0.1:${files.match[1] ?? ''}/image.raw`;
  const lab = spawn(
    process.execPath,
    [
      ferriteBin(),
      'lab',
      '--size',
      String(MACHINES),
      '--bmc',
      'mixed',
      '--dir',
      join(dir, 'lab'),
      '--api-url',
      base,
      '--disk-size',
      String(IMAGE_MIB + 64),
      '--output',
      join(dir, 'lab.json'),
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
  children.push(lab);
  // `ferrite lab` says on stderr when it runs; the enrolment file appears first.
  for (;;) {
    try {
      JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8'));
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const created = spawn(
    process.execPath,
    [ferriteBin(), 'create', join(dir, 'lab.json'), '--url', base],
    { stdio: 'ignore' },
  );
  await new Promise((resolve) => created.once('exit', resolve));
  const uuids = (await nodes(base)).map((n) => n.uuid);
  await provision(base, uuids, 'manage');
  const notManaged = await settle(base, 'manageable');
  await provision(base, uuids, 'provide');
  const notAvailable = await settle(base, 'available');
  if (notManaged.length + notAvailable.length > 0) {
    throw new Error(
      `not ready: ${JSON.stringify([...notManaged, ...notAvailable].map((n) => [n.name, n.provision_state, n.last_error]))}`,
    );
  }
  await Promise.all(
    uuids.map((uuid) =>
      api('PATCH', `${base}/v1/nodes/${uuid}`, [
        { op: 'add', path: '/instance_info/image_source', value: imageUrl },
        { op: 'add', path: '/instance_info/image_os_hash_algo', value: 'sha256' },
        { op: 'add', path: '/instance_info/image_os_hash_value', value: image.sha256 },
      ]),
    ),
  );
  const began = performance.now();
  await provision(base, uuids, 'active');
  const failed = await settle(base, 'active');
  const seconds = (performance.now() - began) / 1000;
  const status = readFileSync(`/proc/${String(serve.child.pid)}/status`, 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  console.log(
    JSON.stringify({
      bench: 'deploy',
      machines: uuids.length,
      redfish_virtual_media: Math.ceil(uuids.length / 2),
      ipmi_ipxe: Math.floor(uuids.length / 2),
      image_mib: IMAGE_MIB,
      seconds_to_all_active: Number(seconds.toFixed(1)),
      failures: failed.length,
      failed: failed.map((n) => ({ name: n.name, state: n.provision_state, error: n.last_error })),
      ferrite_peak_rss_mb: Math.round(peakKb / 1024),
      cpus: cpus().length,
      load_1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    }),
  );
} finally {
  for (const child of children.reverse()) {
    child.stdin?.end();
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode === null ? child.once('exit', resolve) : resolve(undefined),
    );
  }
  rmSync(dir, { recursive: true, force: true });
}

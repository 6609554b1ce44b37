/**
 * bench/api-ceiling: what the neutral /v1 bench client itself can reach on
 * this machine, against a server that does next to nothing.
 *
 *   npm run bench:api-ceiling -- [--n 1000] [--concurrency 16] [--load-seconds 10]
 *
 * The client and the server share the machine's cores, and the client
 * (Node's fetch) spends more CPU per request than Ferrite does. So its
 * figures for enrol, listing and GET are bounded by the client as much as
 * by the server. This runs the same client, with the same phases bench/api
 * uses for those figures (enroll, list, get), against a stub in this
 * process: plain node:http, node answers kept as JSON bytes, as large as
 * Ferrite's (every node field of the microversion, unset ones null). The
 * stub does no validation, storage or state; its figures are the ceiling
 * any server reaches through this client here. One JSON line, the client's.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { NODE_FIELDS } from '../src/api/views/node-view.ts';
import { benchClient, repositoryRoot, runClient } from './api-client.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    concurrency: { type: 'string' },
    'load-seconds': { type: 'string' },
  },
});

const VERSION_HEADERS = {
  'content-type': 'application/json',
  'x-openstack-ironic-api-minimum-version': '1.1',
  'x-openstack-ironic-api-maximum-version': '1.82',
  'x-openstack-ironic-api-version': '1.78',
};
const FIELD_NAMES = NODE_FIELDS.filter(([, minor]) => minor <= 78).map(([name]) => name);
const nodes = new Map<string, Buffer>();
const order: string[] = [];

function answer(response: ServerResponse, status: number, body: Buffer | object): void {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  response.writeHead(status, { ...VERSION_HEADERS, 'content-length': bytes.length });
  response.end(bytes);
}

function created(base: string, body: Record<string, unknown>): Buffer {
  const uuid = randomUUID();
  const view: Record<string, unknown> = Object.fromEntries(FIELD_NAMES.map((n) => [n, null]));
  Object.assign(view, body, {
    uuid,
    provision_state: 'enroll',
    power_state: null,
    created_at: new Date().toISOString(),
    links: [
      { href: `${base}/v1/nodes/${uuid}`, rel: 'self' },
      { href: `${base}/nodes/${uuid}`, rel: 'bookmark' },
    ],
  });
  const bytes = Buffer.from(JSON.stringify(view));
  nodes.set(uuid, bytes);
  order.push(uuid);
  return bytes;
}

function handle(
  base: string,
  request: IncomingMessage,
  response: ServerResponse,
  raw: Buffer,
): void {
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  if (request.method === 'POST' && path === '/v1/nodes') {
    answer(
      response,
      201,
      created(base, JSON.parse(raw.toString('utf8')) as Record<string, unknown>),
    );
  } else if (path === '/v1/drivers') {
    answer(response, 200, {
      drivers: [{ name: 'fake-hardware', hosts: ['stub'], type: 'dynamic' }],
    });
  } else if (path === '/v1/nodes') {
    const parts: Buffer[] = [Buffer.from('{"nodes":[')];
    for (const uuid of order) {
      if (parts.length > 1) parts.push(Buffer.from(','));
      parts.push(nodes.get(uuid) ?? Buffer.from('null'));
    }
    parts.push(Buffer.from(']}'));
    answer(response, 200, Buffer.concat(parts));
  } else if (path.startsWith('/v1/nodes/')) {
    const node = nodes.get(path.slice('/v1/nodes/'.length));
    if (node === undefined) answer(response, 404, { error_message: 'not found' });
    else answer(response, 200, node);
  } else {
    answer(response, 200, {
      id: 'v1',
      status: 'CURRENT',
      min_version: '1.1',
      version: '1.82',
      links: [{ href: `${base}/v1/`, rel: 'self' }],
    });
  }
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => handle(base, request, response, Buffer.concat(chunks)));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
try {
  const passed: [string, string | undefined][] = [
    ['--concurrency', values.concurrency],
    ['--load-seconds', values['load-seconds']],
  ];
  const out = await runClient(benchClient(repositoryRoot()), [
    '--url',
    base,
    '--n',
    values.n,
    '--phases',
    'enroll,list,get',
    '--pids',
    String(process.pid),
    ...passed.flatMap(([flag, value]) => (value === undefined ? [] : [flag, value])),
  ]);
  process.stdout.write(`${JSON.stringify(JSON.parse(out))}\n`);
} finally {
  server.close();
}

/**
 * The conductor's HTTP root served at /boot: what a pxe node's firmware
 * and a BMC reading an ISO fetch, public even under http_basic, never
 * anything outside the root.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BasicAuthenticator } from '../../src/api/auth/basic-auth.ts';
import { parseRange } from '../../src/api/routes/boot-files.ts';
import { serveCommand } from '../../src/cli/commands/serve.ts';
import { createLogger } from '../../src/common/logging.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import type { Driver } from '../../src/drivers/driver.ts';
import { PxeBoot } from '../../src/drivers/modules/pxe/pxe-boot.ts';
import { SharedResources } from '../../src/drivers/shared-resources.ts';
import { startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { makePort } from '../support/node.ts';
import { TestTask } from '../support/task.ts';

const HTTP_URL = 'http://127.0.0.1:6385/boot';
const ISO = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

describe('GET /boot/… from the HTTP root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-boot-files-'));
  const root = join(dir, 'httpboot');
  let t: ApiHarness;
  let task: TestTask;

  before(async () => {
    mkdirSync(root);
    writeFileSync(join(dir, 'secret.txt'), 'outside the root');
    writeFileSync(join(dir, 'kernel'), 'kernel');
    writeFileSync(join(dir, 'ramdisk'), 'ramdisk');
    const boot = new PxeBoot(
      {
        clock: new SimulatedClock(),
        options: { pxe: { httpRoot: root, httpUrl: HTTP_URL } },
        resources: new SharedResources(),
      },
      'pxe',
    );
    const driver: Driver = { ...createDriverFactory().compose({ driver: 'fake-hardware' }), boot };
    task = new TestTask(driver, {
      node: {
        driverInfo: { deploy_kernel: join(dir, 'kernel'), deploy_ramdisk: join(dir, 'ramdisk') },
      },
    });
    task.ports.push(makePort(task.node.uuid, { address: '52:54:00:12:34:56' }));
    await boot.prepareRamdisk(task, { 'ipa-api-url': 'http://127.0.0.1:6385' });
    mkdirSync(join(root, task.node.uuid, 'iso'));
    writeFileSync(join(root, task.node.uuid, 'boot.iso'), ISO);
    writeFileSync(join(root, 'empty'), '');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'escape'));
    symlinkSync('..', join(root, 'up'));

    const users = new Map([
      ['admin', '$2b$04$invalidinvalidinvalidinvalidinvalidinvalidinvalidinv'],
    ]);
    t = await startApi({
      httpRoot: root,
      auth: new BasicAuthenticator(users, createLogger('silent')),
    });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the node’s config, also through its MAC entry, without credentials', async () => {
    const uuid = task.node.uuid;
    const direct = await t.api.inject({ method: 'GET', url: `/boot/${uuid}/config` });
    assert.equal(direct.statusCode, 200);
    assert.match(direct.body, new RegExp(`^default deploy\n`));
    assert.equal(direct.headers['content-length'], String(Buffer.byteLength(direct.body)));
    assert.equal(direct.headers['accept-ranges'], 'bytes');
    const byMac = await t.api.inject({
      method: 'GET',
      url: '/boot/pxelinux.cfg/01-52-54-00-12-34-56',
    });
    assert.equal(byMac.statusCode, 200);
    assert.equal(byMac.body, direct.body);
    const kernel = await t.api.inject({ method: 'GET', url: `/boot/${uuid}/deploy_kernel` });
    assert.equal(kernel.body, 'kernel');
    // The rest of the API still wants credentials.
    const nodes = await t.api.inject({ method: 'GET', url: '/v1/nodes' });
    assert.equal(nodes.statusCode, 401);
  });

  it('answers HEAD with the length and no body, and serves byte ranges', async () => {
    const url = `/boot/${task.node.uuid}/boot.iso`;
    const head = await t.api.inject({ method: 'HEAD', url });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['content-length'], '5000');
    assert.equal(head.body, '');

    const whole = await t.api.inject({ method: 'GET', url });
    assert.deepEqual(whole.rawPayload, ISO);
    const ranges: [string, number, number][] = [
      ['bytes=0-2047', 0, 2047],
      ['bytes=4096-', 4096, 4999],
      ['bytes=-100', 4900, 4999],
      ['bytes=4990-9999', 4990, 4999],
    ];
    for (const [range, start, end] of ranges) {
      const part = await t.api.inject({ method: 'GET', url, headers: { range } });
      assert.equal(part.statusCode, 206, range);
      assert.equal(part.headers['content-range'], `bytes ${String(start)}-${String(end)}/5000`);
      assert.equal(part.headers['content-length'], String(end - start + 1));
      assert.deepEqual(part.rawPayload, ISO.subarray(start, end + 1), range);
    }
    const beyond = await t.api.inject({ method: 'GET', url, headers: { range: 'bytes=5000-' } });
    assert.equal(beyond.statusCode, 416);
    assert.equal(beyond.headers['content-range'], 'bytes */5000');
    const empty = await t.api.inject({ method: 'GET', url: '/boot/empty' });
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.headers['content-length'], '0');
  });

  it('answers 404 for what is missing, a folder, or outside the root, and refuses .. outright', async () => {
    for (const url of [
      '/boot/nothing-here',
      `/boot/${task.node.uuid}/iso`,
      `/boot/${task.node.uuid}`,
      '/boot/escape',
      '/boot/up/secret.txt',
    ]) {
      const res = await t.api.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.ok(!res.body.includes('outside the root'), url);
    }
    for (const url of [
      '/boot/../secret.txt',
      '/boot/%2e%2e/secret.txt',
      '/boot/a/..%2f..%2fsecret.txt',
      '/boot/a//b',
    ]) {
      const res = await t.api.inject({ method: 'GET', url });
      // 401: the client resolved the .. itself, leaving a path that is not public.
      assert.ok([400, 401, 404].includes(res.statusCode), `${url}: ${String(res.statusCode)}`);
      assert.ok(!res.body.includes('outside the root'), url);
    }
  });

  it('refuses .. sent raw on the wire, where no client resolves it', async () => {
    const address = await t.api.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    for (const path of [
      '/boot/../secret.txt',
      '/boot/up/../../secret.txt',
      '/boot/%2e%2e/secret.txt',
    ]) {
      const { status, body } = await new Promise<{ status: number; body: string }>(
        (resolve, reject) => {
          const request = httpRequest({ host: '127.0.0.1', port, path }, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          });
          request.on('error', reject);
          request.end();
        },
      );
      assert.ok([400, 404].includes(status), `${path}: ${String(status)}`);
      assert.ok(!body.includes('outside the root'), path);
    }
  });

  it('reads one byte range of a Range header, and ignores what it does not take', () => {
    assert.deepEqual(parseRange('bytes=1-2', 10), { start: 1, end: 2 });
    assert.equal(parseRange('bytes=0-1,4-5', 10), undefined);
    assert.equal(parseRange('items=0-1', 10), undefined);
    assert.equal(parseRange('bytes=5-2', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 10), 'unsatisfiable');
    assert.equal(parseRange(undefined, 10), undefined);
  });
});

describe('GET /boot/… without an HTTP root', () => {
  it('is not served', async () => {
    const t = await startApi();
    try {
      const res = await t.api.inject({ method: 'GET', url: '/boot/anything' });
      assert.equal(res.statusCode, 404);
    } finally {
      await t.close();
    }
  });
});

describe('ferrite serve', () => {
  it('serves its HTTP root ([pxe] http_root) at /boot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrite-serve-boot-'));
    const root = join(dir, 'httpboot');
    mkdirSync(root);
    writeFileSync(join(root, 'hello.txt'), 'hello');
    const config = join(dir, 'ferrite.toml');
    writeFileSync(
      config,
      `[api]\nport = 0\n[database]\nurl = "sqlite://${join(dir, 'ferrite.db')}"\n[log]\nlevel = "silent"\n[pxe]\nhttp_root = "httpboot"\n`,
    );
    const stop = new AbortController();
    let out = '';
    let listening: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => (listening = resolve));
    const io = {
      out: {
        write: (text: string) => {
          out += text;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match?.[1]) listening(match[1]);
        },
      },
      err: { write: (text: string) => (out += text) },
    };
    const served = serveCommand(['--config', config], io, stop.signal);
    try {
      const response = await fetch(`${await url}/boot/hello.txt`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'hello');
    } finally {
      stop.abort();
      assert.equal(await served, 0, out);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

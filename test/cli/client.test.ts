// The client's plumbing: error bodies, connection failures, usage errors,
// microversion negotiation, paging, HTTP basic auth and --wait's output,
// against Ferrite's API or a small fake server where a case needs one.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { BasicAuthenticator } from '../../src/api/auth/basic-auth.ts';
import { faultOfBody } from '../../src/cli/client/errors.ts';
import { BaremetalClient } from '../../src/cli/client/http.ts';
import { negotiateVersion } from '../../src/cli/client/microversion.ts';
import { clientOptions, DEFAULT_URL } from '../../src/cli/client/settings.ts';
import { waitForNode } from '../../src/cli/client/wait.ts';
import { makeSelfSignedCertificate, opensslAvailable } from '../support/self-signed.ts';
import { ferrite, startCliApi } from './harness.ts';
import type { CliApi } from './harness.ts';

/** A fake API: answers with `handler`, records each request's URL and headers. */
async function fakeApi(
  handler: (url: string) => { status?: number; body: unknown },
): Promise<{ url: string; seen: { url: string; headers: IncomingHttpHeaders }[]; server: Server }> {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const { status = 200, body } = handler(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

function rootDocument(max: string): unknown {
  return { default_version: { id: 'v1', version: max, min_version: '1.1' } };
}

describe('error bodies and versions', () => {
  it('reads the faultstring out of Ironic’s doubly encoded error body', () => {
    const body = JSON.stringify({
      error_message: JSON.stringify({ faultstring: 'Node x could not be found.', debuginfo: null }),
    });
    assert.equal(faultOfBody(body, 404), 'Node x could not be found.');
    assert.equal(
      faultOfBody('{"error_message": {"faultstring": "as an object"}}', 400),
      'as an object',
    );
    assert.equal(faultOfBody('{"error_message": "plain words"}', 400), 'plain words');
    assert.equal(faultOfBody('<html>Bad Gateway</html>', 502), '<html>Bad Gateway</html>');
    assert.equal(faultOfBody('', 503), 'the API answered HTTP 503 with no message');
  });

  it('speaks the older of the server’s newest version and its own', () => {
    assert.equal(negotiateVersion('1.50'), '1.50');
    assert.equal(negotiateVersion('1.99'), '1.82');
    assert.equal(negotiateVersion('2.1'), '1.82');
    assert.equal(negotiateVersion(undefined), '1.1');
  });

  it('takes the URL, version and credentials from flags, then the environment', () => {
    assert.equal(clientOptions({}, {}).url, DEFAULT_URL);
    const env = {
      OS_ENDPOINT: 'http://os:6385',
      FERRITE_URL: 'http://ferrite:6385',
      OS_BAREMETAL_API_VERSION: '1.60',
      OS_USERNAME: 'keystone-user',
      OS_PASSWORD: 'pw',
    };
    assert.deepEqual(clientOptions({}, env), {
      url: 'http://ferrite:6385',
      apiVersion: '1.60',
    });
    assert.equal(clientOptions({}, { OS_ENDPOINT: 'http://os:6385' }).url, 'http://os:6385');
    assert.equal(clientOptions({ url: 'http://flag' }, env).url, 'http://flag');
    // OS_USERNAME is Keystone's unless OS_AUTH_TYPE says http_basic.
    const basic = clientOptions({}, { ...env, OS_AUTH_TYPE: 'http_basic' });
    assert.equal(basic.username, 'keystone-user');
    assert.equal(basic.password, 'pw');
  });
});

describe('microversion negotiation and paging', () => {
  it('sends the server’s newest version when it is older than the client’s', async () => {
    const fake = await fakeApi((url) =>
      url === '/' ? { body: rootDocument('1.50') } : { body: { nodes: [] } },
    );
    try {
      const result = await ferrite(['node', 'list', '--url', `${fake.url}/v1/`]);
      assert.equal(result.code, 0, result.err);
      assert.deepEqual(
        fake.seen.map((s) => [s.url, s.headers['x-openstack-ironic-api-version']]),
        [
          ['/', undefined],
          ['/v1/nodes', '1.50'],
        ],
      );
    } finally {
      fake.server.close();
    }
  });

  it('caps at its own newest version and skips negotiation when told a version', async () => {
    const fake = await fakeApi((url) =>
      url === '/' ? { body: rootDocument('1.95') } : { body: { drivers: [] } },
    );
    try {
      assert.equal((await ferrite(['driver', 'list', '--url', fake.url])).code, 0);
      assert.equal(fake.seen.at(-1)?.headers['x-openstack-ironic-api-version'], '1.82');
      fake.seen.length = 0;
      const fixed = await ferrite([
        'driver',
        'list',
        '--os-baremetal-api-version',
        '1.31',
        '--url',
        fake.url,
      ]);
      assert.equal(fixed.code, 0, fixed.err);
      assert.deepEqual(
        fake.seen.map((s) => [s.url, s.headers['x-openstack-ironic-api-version']]),
        [['/v1/drivers', '1.31']],
      );
    } finally {
      fake.server.close();
    }
  });

  it('reads the newest version from /v1’s header when GET / is refused', async () => {
    const fake = await fakeApi((url) =>
      url === '/' ? { status: 404, body: 'Not Found' } : { body: { nodes: [] } },
    );
    const headers = new Map([['/v1', '1.40']]);
    fake.server.prependListener('request', (req, res) => {
      const max = headers.get(req.url ?? '');
      if (max !== undefined) res.setHeader('X-OpenStack-Ironic-API-Maximum-Version', max);
    });
    try {
      const result = await ferrite(['node', 'list', '--url', fake.url]);
      assert.equal(result.code, 0, result.err);
      assert.deepEqual(
        fake.seen.map((s) => [s.url, s.headers['x-openstack-ironic-api-version']]),
        [
          ['/', undefined],
          ['/v1', undefined],
          ['/v1/nodes', '1.40'],
        ],
      );
    } finally {
      fake.server.close();
    }
  });

  it('follows next links page by page, keeping its own host', async () => {
    const fake = await fakeApi((url) => {
      if (url === '/') return { body: rootDocument('1.82') };
      if (url === '/v1/ports') {
        return {
          body: {
            ports: [{ uuid: 'a', address: '52:54:00:00:00:01' }],
            next: 'http://behind-a-proxy.example/v1/ports?limit=1&marker=a',
          },
        };
      }
      return { body: { ports: [{ uuid: 'b', address: '52:54:00:00:00:02' }] } };
    });
    try {
      const result = await ferrite(['port', 'list', '--url', fake.url]);
      assert.equal(result.code, 0, result.err);
      assert.equal(result.out, 'UUID  Address\na     52:54:00:00:00:01\nb     52:54:00:00:00:02\n');
      assert.deepEqual(
        fake.seen.map((s) => s.url),
        ['/', '/v1/ports', '/v1/ports?limit=1&marker=a'],
      );
    } finally {
      fake.server.close();
    }
  });

  it('prints a proxy’s plain-text error with its status', async () => {
    const fake = await fakeApi(() => ({ status: 502, body: 'Bad Gateway' }));
    try {
      const result = await ferrite(['node', 'list', '--url', fake.url]);
      assert.equal(result.code, 1);
      assert.equal(result.err, 'ferrite node list: Bad Gateway (HTTP 502)\n');
    } finally {
      fake.server.close();
    }
  });
});

describe('--wait output', () => {
  const states = [
    { provision_state: 'deploying', target_provision_state: 'active' },
    { provision_state: 'deploying', target_provision_state: 'active' },
    { provision_state: 'wait call-back', target_provision_state: 'active' },
    { provision_state: 'active', target_provision_state: null },
  ];

  async function waitThrough(isTTY: boolean): Promise<string> {
    let i = 0;
    const fake = await fakeApi(() => ({
      body: { name: 'n1', ...states[Math.min(i++, states.length - 1)] },
    }));
    const client = new BaremetalClient({ url: fake.url, apiVersion: '1.82' });
    let text = '';
    try {
      await waitForNode(
        client,
        'n1',
        { kind: 'provision', expected: 'active' },
        { timeoutS: 0, intervalMs: 1, progress: { isTTY, write: (t) => void (text += t) } },
      );
    } finally {
      await client.close();
      fake.server.close();
    }
    return text;
  }

  it('prints one line per change to a pipe', async () => {
    assert.equal(
      await waitThrough(false),
      'n1: deploying → active\nn1: wait call-back → active\nn1: active\n',
    );
  });

  it('rewrites one live line on a terminal', async () => {
    assert.equal(
      await waitThrough(true),
      '\r\x1b[Kn1: deploying → active\r\x1b[Kn1: wait call-back → active\r\x1b[Kn1: active\n',
    );
  });
});

describe('errors and usage against Ferrite', () => {
  let api: CliApi;

  before(async () => {
    api = await startCliApi();
  });
  after(async () => {
    await api.close();
  });

  it('prints the API’s 404 and 400 faults with the command’s name', async () => {
    const missing = await api.run('node', 'show', 'ghost');
    assert.equal(missing.code, 1);
    assert.equal(missing.out, '');
    assert.equal(missing.err, 'ferrite node show: Node ghost could not be found. (HTTP 404)\n');
    const bad = await api.run(
      'node',
      'create',
      '--driver',
      'fake-hardware',
      '--uuid',
      'not-a-uuid',
    );
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^ferrite node create: .*not-a-uuid.* \(HTTP 400\)\n$/);
    const tooNew = await api.run('node', 'list', '--os-baremetal-api-version', '1.99');
    assert.equal(tooNew.code, 1);
    assert.match(tooNew.err, /\(HTTP 406\)\n$/);
  });

  it('names the URL when nothing listens there', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await new Promise((done) => server.once('listening', done));
    const { port } = server.address() as AddressInfo;
    await new Promise((done) => server.close(done));
    const result = await ferrite(['node', 'list', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(result.code, 1);
    assert.equal(
      result.err,
      `ferrite node list: cannot reach the API at http://127.0.0.1:${port}: connection refused; ` +
        'is the service running there? (--url or FERRITE_URL) [ECONNREFUSED]\n',
    );
  });

  it('exits 2 with a hint on usage errors, 0 on --help', async () => {
    const cases: [string[], RegExp][] = [
      [['node'], /^ferrite node: which action\?\n\nUsage: ferrite node <action>/],
      [['node', 'frobnicate'], /^ferrite node: unknown action "frobnicate"/],
      [['node', 'show'], /^ferrite node show: missing NODE; see ferrite node show --help\n$/],
      [['node', 'show', 'a', 'b'], /^ferrite node show: unexpected argument "b"/],
      [['node', 'list', '--format', 'xml'], /--format must be table or json, not "xml"/],
      [['node', 'list', '--bogus'], /^ferrite node list: Unknown option '--bogus'/],
      [['node', 'create', '--name', 'x'], /^ferrite node create: --driver is required/],
      [['node', 'set', 'x', '--property', 'novalue'], /--property wants KEY=VALUE, got "novalue"/],
      [['node', 'set', 'x', '--automated-clean', 'maybe'], /--automated-clean wants true or false/],
      [
        ['node', 'manage', 'x', '--wait', '--poll-interval', 'soon'],
        /--poll-interval wants seconds/,
      ],
      [['port'], /^ferrite port: which action\?/],
      [['node', 'list', '--limit', '0'], /--limit wants a positive whole number, not "0"/],
      [['node', 'list', '--long', '--fields', 'name'], /give --long or --fields, not both/],
      [['driver', 'show'], /^ferrite driver show: missing NAME/],
      [['driver', 'list', '--cacert', '/nonexistent/ca.pem'], /cannot read --cacert/],
    ];
    for (const [argv, expected] of cases) {
      const result = await api.run(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.err, expected, argv.join(' '));
    }
    // api.run adds its own --url, and the last one given counts.
    const badUrl = await ferrite(['driver', 'list', '--url', 'ftp://x']);
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.err, /--url wants an http:\/\/ or https:\/\/ URL, not "ftp:\/\/x"/);
    const help = await api.run('node', 'deploy', '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: ferrite node deploy NODE \[--config-drive DRIVE\]/);
    assert.match(help.out, /--wait \[SECONDS\]/);
    assert.match(help.out, /Global options:\n {2}--url URL/);
    const group = await api.run('node', '--help');
    assert.equal(group.code, 0);
    assert.match(group.out, /^ {2}boot-device {2}Set or show a node's boot device$/m);
  });

  it('takes global options before the action too', async () => {
    const result = await ferrite(['node', '-f', 'json', '--url', api.url, 'list']);
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, '[]\n');
  });
});

describe('HTTP basic auth', () => {
  const PASSWORD = 'cli-pa55word';
  let api: CliApi;

  before(async () => {
    const users = new Map([['operator', bcrypt.hashSync(PASSWORD, 4)]]);
    api = await startCliApi({ auth: new BasicAuthenticator(users) });
  });
  after(async () => {
    await api.close();
  });

  it('sends --username/--password and never prints the password', async () => {
    const anonymous = await api.run('node', 'list');
    assert.equal(anonymous.code, 1);
    assert.match(anonymous.err, /\(HTTP 401\)\n$/);
    const wrong = await api.run('node', 'list', '--username', 'operator', '--password', 'nope');
    assert.equal(wrong.code, 1);
    assert.ok(!wrong.err.includes('nope'));
    const ok = await api.run('node', 'list', '--username', 'operator', '--password', PASSWORD);
    assert.equal(ok.code, 0, ok.err);
    for (const r of [anonymous, wrong, ok]) assert.ok(!(r.out + r.err).includes(PASSWORD));
  });
});

describe('HTTPS', { skip: !opensslAvailable && 'openssl is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-cli-tls-'));
  let api: CliApi;

  before(async () => {
    makeSelfSignedCertificate(dir);
    api = await startCliApi({
      https: {
        cert: readFileSync(join(dir, 'cert.pem')),
        key: readFileSync(join(dir, 'key.pem')),
      },
    });
  });
  after(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an untrusted certificate, trusts --cacert, and skips checks with --insecure', async () => {
    const untrusted = await api.run('driver', 'list');
    assert.equal(untrusted.code, 1);
    assert.match(untrusted.err, /its certificate is not trusted; give --cacert FILE or --insecure/);
    const trusted = await api.run('driver', 'list', '--cacert', join(dir, 'cert.pem'));
    assert.equal(trusted.code, 0, trusted.err);
    assert.match(trusted.out, /^fake-hardware\s/m);
    const insecure = await api.run('driver', 'list', '--insecure');
    assert.equal(insecure.code, 0, insecure.err);
  });
});

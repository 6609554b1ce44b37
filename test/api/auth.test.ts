import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { BasicAuthenticator } from '../../src/api/auth/basic-auth.ts';
import { loadHtpasswd } from '../../src/api/auth/htpasswd.ts';
import { createLogger } from '../../src/common/logging.ts';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

const NODE_UUID = '1be26c0b-03f2-4d2e-ae87-c02d7f33c123';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('auth_strategy noauth', () => {
  let t: ApiHarness;
  before(async () => {
    t = await startApi();
  });
  after(() => t.close());

  it('lets every request through and ignores X-Auth-Token and Authorization', async () => {
    for (const headers of [
      {},
      { 'x-auth-token': 'gAAAAABnot-a-real-keystone-token' },
      { authorization: 'Bearer whatever' },
    ]) {
      const res = await t.api.inject({ method: 'GET', url: '/v1/nodes', headers });
      assert.equal(res.statusCode, 200, JSON.stringify(headers));
      assert.equal(res.headers['www-authenticate'], undefined);
    }
  });
});

describe('auth_strategy http_basic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-auth-'));
  let t: ApiHarness;
  let authenticator: BasicAuthenticator;
  let logged = '';

  before(async () => {
    const file = join(dir, 'htpasswd');
    // Cost 4, the lowest bcrypt takes, keeps the test quick.
    writeFileSync(
      file,
      `# Ferrite API users\nadmin:${bcrypt.hashSync('s3cret:with:colons', 4)}\nmetal3:${bcrypt.hashSync('other', 4).replace(/^\$2b\$/, '$2y$')}\n`,
    );
    const logs = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    authenticator = new BasicAuthenticator(loadHtpasswd(file), createLogger('debug', logs));
    t = await startApi({ auth: authenticator });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the version documents and the agent endpoints public, as Ironic does', async () => {
    for (const url of ['/', '/v1', '/v1/', '/v1?x=1']) {
      const res = await t.api.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
    }
    // Whatever the agent endpoints answer, it is not a demand for credentials.
    for (const [method, url] of [
      ['GET', '/v1/lookup?addresses=52:54:00:12:34:56'],
      ['POST', `/v1/heartbeat/${NODE_UUID}`],
      ['POST', '/v1/heartbeat/node-7/'],
    ] as const) {
      const res = await t.api.inject({ method, url, payload: {} });
      assert.notEqual(res.statusCode, 401, url);
    }
  });

  it('asks for credentials everywhere else, with the challenge and Ironic error body', async () => {
    for (const url of [
      '/v1/nodes',
      '/v1/drivers',
      '/v1/openapi.json',
      '/v1/nowhere',
      `/v1/heartbeat/${NODE_UUID}/extra`,
      // Ironic matches agent node identifiers in lower case only.
      '/v1/heartbeat/Node_7',
      '/v1/lookupx',
    ]) {
      const res = await t.api.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.headers['www-authenticate'], 'Basic realm="Baremetal API"');
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(faultOf(res.body), 'Authorization required');
      const { error_message } = JSON.parse(res.body) as { error_message: string };
      assert.equal((JSON.parse(error_message) as { faultcode: string }).faultcode, 'Client');
      assert.ok(res.headers['x-openstack-ironic-api-version'], 'version headers on refusals too');
    }
  });

  it('refuses a wrong password or an unknown user with 401', async () => {
    for (const authorization of [basic('admin', 'guess'), basic('nobody', 's3cret:with:colons')]) {
      const res = await t.api.inject({
        method: 'GET',
        url: '/v1/nodes',
        headers: { authorization },
      });
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['www-authenticate'], 'Basic realm="Baremetal API"');
      assert.equal(faultOf(res.body), 'Incorrect username or password');
    }
  });

  it('answers 400 to an Authorization header it cannot read', async () => {
    const cases: [string, string][] = [
      ['Bearer abc', 'Unsupported authorization type "Bearer"'],
      ['Basic', 'Could not parse Authorization header'],
      ['Basic not*base64', 'Could not decode authorization token'],
      [
        `Basic ${Buffer.from('no-colon').toString('base64')}`,
        'Could not decode authorization token',
      ],
    ];
    for (const [authorization, fault] of cases) {
      const res = await t.api.inject({
        method: 'GET',
        url: '/v1/nodes',
        headers: { authorization },
      });
      assert.equal(res.statusCode, 400, authorization);
      assert.equal(faultOf(res.body), fault);
      assert.equal(res.headers['www-authenticate'], undefined);
    }
  });

  it('lets valid users in, bcrypt once per credentials, and X-Auth-Token changes nothing', async () => {
    const before = authenticator.remembered;
    for (let i = 0; i < 3; i++) {
      const res = await t.api.inject({
        method: 'GET',
        url: '/v1/nodes',
        headers: { authorization: basic('admin', 's3cret:with:colons'), 'x-auth-token': 'x' },
      });
      assert.equal(res.statusCode, 200);
    }
    assert.equal(authenticator.remembered, before + 1);
    // A remembered user with another password is still checked, and not remembered.
    const wrong = await t.api.inject({
      method: 'GET',
      url: '/v1/nodes',
      headers: { authorization: basic('admin', 'S3cret:with:colons') },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(authenticator.remembered, before + 1);
    // Concurrent first requests share one verification.
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.api.inject({
          method: 'GET',
          url: '/v1/drivers',
          headers: { authorization: basic('metal3', 'other') },
        }),
      ),
    );
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      [200, 200, 200, 200, 200],
    );
    assert.equal(authenticator.remembered, before + 2);
  });

  it('logs failures by user name, never the password or the header', async () => {
    const authorization = basic('admin', 'hunter2-password');
    await t.api.inject({ method: 'GET', url: '/v1/nodes', headers: { authorization } });
    assert.match(logged, /"user":"admin".*HTTP basic authentication failed/);
    assert.ok(!logged.includes('hunter2'), 'password logged');
    assert.ok(!logged.includes(authorization.slice('Basic '.length)), 'header logged');
    assert.ok(!logged.includes('s3cret'), 'password logged');
  });
});

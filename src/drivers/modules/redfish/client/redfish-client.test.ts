/**
 * The Redfish client against small HTTP(S) servers on 127.0.0.1 that play
 * the BMC: sessions, re-login, basic fallback, ETags, task monitors,
 * retries, timeouts, aborts, bad answers and TLS. Sleeps are injected (and
 * recorded), so nothing waits for Retry-After or backoff.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { RedfishError } from './errors.ts';
import type { JsonObject } from './json.ts';
import { str } from './json.ts';
import type { RedfishClientOptions, RedfishTarget } from './redfish-client.ts';
import { RedfishClient } from './redfish-client.ts';
import {
  makeSelfSignedCertificate,
  opensslAvailable,
} from '../../../../../test/support/self-signed.ts';

const PASSWORD = 'Sup3r-Secret-Pa55';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

type Handler = (request: Recorded, res: ServerResponse, raw: IncomingMessage) => void;

interface Bmc {
  readonly origin: string;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

const servers: Bmc[] = [];
const clients: RedfishClient[] = [];
/** Every RedfishError the tests saw, checked for secrets at the end. */
const errors: RedfishError[] = [];

async function startBmc(handler: Handler, tls?: { key: string; cert: string }): Promise<Bmc> {
  const requests: Recorded[] = [];
  const listener = (raw: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const recorded = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      handler(recorded, res, raw);
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bmc: Bmc = {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${String(port)}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(bmc);
  return bmc;
}

function send(
  res: ServerResponse,
  status: number,
  body?: JsonObject | string,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  });
  res.end(text);
}

function redfishError(message: string, extended: string[] = []): JsonObject {
  return {
    error: {
      code: 'Base.1.8.GeneralError',
      message,
      '@Message.ExtendedInfo': extended.map((m) => ({ MessageId: 'Base.1.8.X', Message: m })),
    },
  };
}

/** A sleep that does not wait, recording what it was asked. */
function recordingSleep(): { sleeps: number[]; sleep: NonNullable<RedfishClientOptions['sleep']> } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      signal?.throwIfAborted();
    },
  };
}

function client(options: RedfishClientOptions = {}): RedfishClient {
  const made = new RedfishClient({ timeoutMs: 5_000, sleep: async () => undefined, ...options });
  clients.push(made);
  return made;
}

function target(bmc: Bmc, extra: Partial<RedfishTarget> = {}): RedfishTarget {
  return {
    address: bmc.origin,
    username: 'admin',
    password: PASSWORD,
    authType: 'basic',
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<RedfishError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RedfishError, `not a RedfishError: ${String(error)}`);
    errors.push(error);
    return error;
  }
  assert.fail('expected a rejection');
}

const BASIC = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`;
const SYSTEM: JsonObject = { '@odata.id': '/redfish/v1/Systems/1', Id: '1', PowerState: 'On' };

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

after(() => {
  assert.ok(errors.length > 10);
  for (const error of errors) {
    for (const text of [error.message, ...error.messages, String(error.stack)]) {
      assert.ok(!text.includes(PASSWORD), `password in: ${text}`);
      assert.ok(!text.includes(BASIC.slice(6)), `credentials in: ${text}`);
      assert.ok(!text.includes('tok-'), `token in: ${text}`);
    }
  }
});

describe('RedfishClient authentication', () => {
  it('logs in with a session from Links.Sessions, sends the token, and logs out on close', async () => {
    let sessions = 0;
    const bmc = await startBmc((req, res) => {
      if (req.method === 'GET' && req.url === '/redfish/v1/') {
        assert.equal(req.headers['x-auth-token'], undefined);
        assert.equal(req.headers.authorization, undefined);
        send(res, 200, { Links: { Sessions: { '@odata.id': '/redfish/v1/Sess/Sessions' } } });
      } else if (req.method === 'POST' && req.url === '/redfish/v1/Sess/Sessions') {
        sessions++;
        send(
          res,
          201,
          { '@odata.id': '/redfish/v1/Sess/Sessions/1' },
          {
            'x-auth-token': 'tok-1',
            location: '/redfish/v1/Sess/Sessions/1',
          },
        );
      } else if (req.method === 'DELETE') {
        send(res, 204);
      } else if (req.headers['x-auth-token'] === 'tok-1') {
        send(res, 200, SYSTEM, { etag: 'W/"v1"' });
      } else {
        send(res, 401, redfishError('no'));
      }
    });
    const c = client();
    const session = c.session(target(bmc, { authType: 'session' }));
    assert.equal(c.session(target(bmc, { authType: 'session' })), session);
    assert.notEqual(c.session(target(bmc, { authType: 'session', password: 'other' })), session);
    const response = await session.get('/redfish/v1/Systems/1');
    assert.equal(response.status, 200);
    assert.equal(response.etag, 'W/"v1"');
    assert.equal(str(response.body, 'PowerState'), 'On');
    await session.get('/redfish/v1/Systems/1');
    assert.equal(sessions, 1);
    const login = bmc.requests.find((r) => r.method === 'POST');
    assert.deepEqual(JSON.parse(login!.body), { UserName: 'admin', Password: PASSWORD });
    await c.close();
    const logout = bmc.requests.at(-1)!;
    assert.equal(logout.method, 'DELETE');
    assert.equal(logout.url, '/redfish/v1/Sess/Sessions/1');
    assert.equal(logout.headers['x-auth-token'], 'tok-1');
  });

  it('logs in again once on a 401 and retries the request', async () => {
    let issued = 0;
    let valid = '';
    let revoked = false;
    const bmc = await startBmc((req, res) => {
      if (req.url === '/redfish/v1/') send(res, 200, { Links: {} });
      else if (req.method === 'POST' && req.url === '/redfish/v1/SessionService/Sessions') {
        issued++;
        const token = `tok-${String(issued)}`;
        // The first token is revoked at once: the BMC "forgot" the session.
        valid = issued === 1 || revoked ? 'none' : token;
        send(
          res,
          201,
          {},
          {
            'x-auth-token': token,
            location: `/redfish/v1/SessionService/Sessions/${String(issued)}`,
          },
        );
      } else if (req.headers['x-auth-token'] === valid) send(res, 200, SYSTEM);
      else send(res, 401, redfishError('session expired'));
    });
    const session = client().session(target(bmc, { authType: 'session' }));
    const response = await session.get('/redfish/v1/Systems/1');
    assert.equal(response.status, 200);
    assert.equal(issued, 2);

    // A 401 after the re-login is an authentication error, not a loop.
    revoked = true;
    valid = 'none';
    const error = await rejection(session.get('/redfish/v1/Systems/1'));
    assert.equal(error.kind, 'authentication');
    assert.equal(error.status, 401);
    assert.equal(issued, 3);
  });

  it('logs in once for concurrent requests, and refuses calls after close', async () => {
    const bmc = await startBmc((req, res) => {
      if (req.url === '/redfish/v1/') send(res, 200, { Links: {} });
      else if (req.method === 'POST') send(res, 201, {}, { 'x-auth-token': 'tok-9' });
      else if (req.headers['x-auth-token'] === 'tok-9') send(res, 200, SYSTEM);
      else send(res, 401);
    });
    const c = client();
    const session = c.session(target(bmc, { authType: 'auto' }));
    const answers = await Promise.all([1, 2, 3, 4].map(() => session.get('/redfish/v1/Systems/1')));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200],
    );
    assert.equal(bmc.requests.filter((r) => r.method === 'POST').length, 1);
    await c.close();
    // No Location and no @odata.id: nothing to log out from.
    assert.equal(bmc.requests.filter((r) => r.method === 'DELETE').length, 0);
    const error = await rejection(session.get('/redfish/v1/Systems/1'));
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /closed/);
  });

  it("'auto' falls back to basic auth when the BMC cannot create a session", async () => {
    const bmc = await startBmc((req, res) => {
      if (req.url === '/redfish/v1/') send(res, 200, { Links: {} });
      else if (req.method === 'POST') send(res, 405, redfishError('sessions not supported'));
      else if (req.headers.authorization === BASIC) send(res, 200, SYSTEM);
      else send(res, 401);
    });
    const session = client().session(target(bmc, { authType: 'auto' }));
    assert.equal((await session.get('/redfish/v1/Systems/1')).status, 200);
    assert.equal((await session.get('/redfish/v1/Systems/1')).status, 200);
    assert.equal(bmc.requests.filter((r) => r.method === 'POST').length, 1);
  });

  it("'session' fails with an authentication error naming the BMC, never the password", async () => {
    const bmc = await startBmc((req, res) => {
      if (req.url === '/redfish/v1/') send(res, 200, { Links: {} });
      // A careless BMC echoes the password back.
      else send(res, 401, redfishError(`bad password ${PASSWORD}`));
    });
    const error = await rejection(
      client()
        .session(target(bmc, { authType: 'session' }))
        .get('/redfish/v1/Systems/1'),
    );
    assert.equal(error.kind, 'authentication');
    assert.equal(error.status, 401);
    assert.ok(error.message.includes(bmc.origin), error.message);
    assert.match(error.message, /SessionService\/Sessions/);
    assert.match(error.message, /bad password \*\*\*\*\*\*/);
  });

  it("'basic' sends credentials on every request and never creates a session", async () => {
    const bmc = await startBmc((req, res) => {
      if (req.headers.authorization === BASIC) send(res, 200, SYSTEM);
      else send(res, 401);
    });
    const session = client().session(target(bmc));
    await session.get('/redfish/v1/Systems/1');
    assert.deepEqual(
      bmc.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /redfish/v1/Systems/1'],
    );
    const wrong = client().session(target(bmc, { password: `${PASSWORD}-wrong` }));
    const error = await rejection(wrong.get('/redfish/v1/Systems/1'));
    assert.equal(error.kind, 'authentication');
    assert.ok(!error.message.includes(`${PASSWORD}-wrong`));
  });
});

describe('RedfishClient PATCH and ETags', () => {
  it('on 412 retries with the strong ETag, then without If-Match', async () => {
    const bmc = await startBmc((req, res) => {
      if (req.headers['if-match'] !== undefined)
        send(res, 412, redfishError('precondition failed'));
      else send(res, 204);
    });
    const session = client().session(target(bmc));
    const response = await session.patch(
      '/redfish/v1/Systems/1',
      { Boot: { BootSourceOverrideTarget: 'Pxe' } },
      { etag: 'W/"abc"' },
    );
    assert.equal(response.status, 204);
    assert.equal(response.body, undefined);
    assert.deepEqual(
      bmc.requests.map((r) => r.headers['if-match']),
      ['W/"abc"', '"abc"', undefined],
    );
    assert.deepEqual(JSON.parse(bmc.requests[2]!.body), {
      Boot: { BootSourceOverrideTarget: 'Pxe' },
    });
    assert.equal(bmc.requests[2]!.headers['content-type'], 'application/json');
  });

  it('stops at the first If-Match the BMC accepts', async () => {
    const bmc = await startBmc((req, res) => {
      if (req.headers['if-match'] === '"abc"') send(res, 200, SYSTEM);
      else send(res, 412);
    });
    const response = await client()
      .session(target(bmc))
      .patch('/redfish/v1/Systems/1', {}, { etag: 'W/"abc"' });
    assert.equal(response.status, 200);
    assert.deepEqual(
      bmc.requests.map((r) => r.headers['if-match']),
      ['W/"abc"', '"abc"'],
    );
  });

  it('never sends If-Match to a target that says so, and does not retry other errors', async () => {
    const bmc = await startBmc((req, res) => {
      if (req.url === '/bad') send(res, 400, redfishError('bad', ['The property Foo is unknown.']));
      else send(res, 204);
    });
    const session = client().session(target(bmc, { noIfMatch: true }));
    await session.patch('/redfish/v1/Systems/1', {}, { etag: '"x"' });
    assert.equal(bmc.requests[0]!.headers['if-match'], undefined);
    const error = await rejection(client().session(target(bmc)).patch('/bad', {}, { etag: '"x"' }));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 400);
    assert.match(error.message, /PATCH \/bad: HTTP 400: The property Foo is unknown\.; bad/);
    assert.equal(bmc.requests.length, 2);
  });
});

describe('RedfishClient task monitors', () => {
  it('polls a 202 task monitor honouring (and capping) Retry-After until the task completes', async () => {
    let polls = 0;
    const bmc = await startBmc((req, res) => {
      if (req.method === 'POST') {
        send(res, 202, undefined, {
          location: `${bmc.origin}/redfish/v1/TaskMonitors/7`,
          'retry-after': '5',
        });
      } else if (req.url === '/redfish/v1/TaskMonitors/7') {
        polls++;
        if (polls === 1) send(res, 202, undefined, { 'retry-after': '3600' });
        else if (polls === 2) send(res, 200, { TaskState: 'Running' });
        else
          send(res, 200, {
            '@odata.id': '/redfish/v1/TaskService/Tasks/7',
            TaskState: 'Completed',
            TaskStatus: 'OK',
          });
      }
    });
    const { sleeps, sleep } = recordingSleep();
    const session = client({ sleep, maxRetryAfterMs: 10_000, defaultPollMs: 250 }).session(
      target(bmc),
    );
    const response = await session.post(
      '/redfish/v1/UpdateService/Actions/UpdateService.SimpleUpdate',
      {
        ImageURI: 'http://x/fw.bin',
      },
    );
    assert.equal(response.status, 200);
    assert.equal(response.body?.TaskState, 'Completed');
    assert.deepEqual(sleeps, [5_000, 10_000, 250]);
    assert.equal(polls, 3);
  });

  it('reads Retry-After as an HTTP date too (capped, never negative)', async () => {
    let polls = 0;
    const bmc = await startBmc((req, res) => {
      if (req.method === 'POST') {
        send(res, 202, undefined, {
          location: '/tm/5',
          'retry-after': 'Fri, 31 Dec 2100 23:59:59 GMT',
        });
      } else if (++polls === 1)
        send(res, 202, undefined, { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      else send(res, 204);
    });
    const { sleeps, sleep } = recordingSleep();
    const c = client({ sleep, maxRetryAfterMs: 7_000 });
    assert.equal((await c.session(target(bmc)).post('/a', {})).status, 204);
    assert.deepEqual(sleeps, [7_000, 0]);
  });

  it('returns the final 204 of a task monitor', async () => {
    let polls = 0;
    const bmc = await startBmc((req, res) => {
      if (req.method === 'DELETE') send(res, 202, undefined, { location: '/tm/1' });
      else if (++polls < 2) send(res, 202);
      else send(res, 204);
    });
    const response = await client()
      .session(target(bmc))
      .delete('/redfish/v1/Systems/1/Storage/1/Volumes/2');
    assert.equal(response.status, 204);
  });

  it('turns a task ending in Exception into a task error with its messages', async () => {
    const bmc = await startBmc((req, res) => {
      if (req.method === 'POST') send(res, 202, { TaskState: 'New' }, { location: '/tm/2' });
      else
        send(res, 200, {
          TaskState: 'Exception',
          TaskStatus: 'Critical',
          Messages: [{ MessageId: 'Update.1.0.ApplyFailed', Message: 'The image is not signed.' }],
        });
    });
    const error = await rejection(client().session(target(bmc)).post('/redfish/v1/Update', {}));
    assert.equal(error.kind, 'task');
    assert.deepEqual(error.messages, ['The image is not signed.']);
    assert.match(
      error.message,
      /POST \/redfish\/v1\/Update: the task \/tm\/2 ended in Exception: The image is not signed\./,
    );
  });

  it('gives up on a task that outlasts taskTimeoutMs (counted in poll sleeps)', async () => {
    const bmc = await startBmc((_req, res) => send(res, 202, undefined, { location: '/tm/4' }));
    const { sleeps, sleep } = recordingSleep();
    const c = client({ sleep, taskTimeoutMs: 1_000, defaultPollMs: 400 });
    const error = await rejection(c.session(target(bmc)).post('/a', {}));
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /the task \/tm\/4 did not end within 1000 ms/);
    assert.deepEqual(sleeps, [400, 400]);
  });

  it('can leave the 202 to the caller', async () => {
    const bmc = await startBmc((_req, res) => send(res, 202, undefined, { location: '/tm/3' }));
    const response = await client().session(target(bmc)).post('/a', {}, { waitForTask: false });
    assert.equal(response.status, 202);
    assert.equal(response.location, '/tm/3');
  });
});

describe('RedfishClient retries', () => {
  it('retries 503 with backoff on GET', async () => {
    const bmc = await startBmc((req, res) => {
      if (bmc.requests.length < 3) send(res, 503, redfishError('busy'));
      else send(res, 200, SYSTEM);
    });
    const { sleeps, sleep } = recordingSleep();
    const response = await client({ sleep, backoffMs: 100 })
      .session(target(bmc))
      .get('/redfish/v1/Systems/1');
    assert.equal(response.status, 200);
    assert.deepEqual(sleeps, [100, 200]);
  });

  it('gives up after the configured retries with the last 5xx', async () => {
    const bmc = await startBmc((_req, res) => send(res, 500, redfishError('Internal error')));
    const error = await rejection(client({ retries: 2 }).session(target(bmc)).get('/x'));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 500);
    assert.equal(bmc.requests.length, 3);
  });

  it('does not retry a POST unless the caller marks it safe', async () => {
    const bmc = await startBmc((req, res) => {
      if (bmc.requests.length < 3) send(res, 503);
      else send(res, 204);
    });
    const session = client().session(target(bmc));
    const error = await rejection(
      session.post('/redfish/v1/Systems/1/Actions/ComputerSystem.Reset', { ResetType: 'On' }),
    );
    assert.equal(error.status, 503);
    assert.equal(bmc.requests.length, 1);
    const response = await session.post(
      '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset',
      { ResetType: 'On' },
      { retrySafe: true },
    );
    assert.equal(response.status, 204);
    assert.equal(bmc.requests.length, 3);
  });

  it('retries a dropped connection', async () => {
    const bmc = await startBmc((_req, res, raw) => {
      if (bmc.requests.length === 1) raw.socket.destroy();
      else send(res, 200, SYSTEM);
    });
    const response = await client().session(target(bmc)).get('/redfish/v1/Systems/1');
    assert.equal(response.status, 200);
    assert.equal(bmc.requests.length, 2);
  });

  it('reports a refused connection as a connection error', async () => {
    const bmc = await startBmc((_req, res) => send(res, 200, SYSTEM));
    const origin = bmc.origin;
    await bmc.close();
    const error = await rejection(
      client({ retries: 1 })
        .session({ ...target(bmc), address: origin })
        .get('/x'),
    );
    assert.equal(error.kind, 'connection');
    assert.ok(error.message.startsWith(`Redfish BMC ${origin}: GET /x: `), error.message);
  });

  it('never retries a 404', async () => {
    const bmc = await startBmc((_req, res) =>
      send(
        res,
        404,
        redfishError('Not found', ['The resource at /redfish/v1/Nope was not found.']),
      ),
    );
    const error = await rejection(client().session(target(bmc)).get('/redfish/v1/Nope'));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 404);
    assert.equal(error.path, '/redfish/v1/Nope');
    assert.equal(error.origin, bmc.origin);
    assert.equal(
      error.message,
      `Redfish BMC ${bmc.origin}: GET /redfish/v1/Nope: HTTP 404: The resource at /redfish/v1/Nope was not found.; Not found`,
    );
    assert.equal(bmc.requests.length, 1);
  });
});

describe('RedfishClient timeouts, aborts and bad answers', () => {
  it('times out a BMC that does not answer', async () => {
    const bmc = await startBmc(() => undefined);
    const error = await rejection(
      client({ retries: 0 }).session(target(bmc)).get('/slow', { timeoutMs: 50 }),
    );
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /GET \/slow: no answer within 50 ms/);
  });

  it("stops when the caller's signal fires", async () => {
    const controller = new AbortController();
    const bmc = await startBmc(() => controller.abort());
    const session = client().session(target(bmc));
    const error = await rejection(session.get('/hang', { signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    const again = await rejection(session.get('/hang', { signal: controller.signal }));
    assert.equal(again.kind, 'aborted');
    assert.equal(bmc.requests.length, 1);
  });

  it('refuses malformed JSON, other content types and non-objects', async () => {
    const bmc = await startBmc((req, res) => {
      if (req.url === '/bad-json') send(res, 200, '{"PowerState": ');
      else if (req.url === '/html')
        send(res, 200, '<html></html>', { 'content-type': 'text/html' });
      else if (req.url === '/array') send(res, 200, '[1, 2]');
      else if (req.url === '/empty') send(res, 200);
      else send(res, 200, '{"ok": true}', { 'content-type': 'application/json; charset=utf-8' });
    });
    const session = client().session(target(bmc));
    for (const [path, pattern] of [
      ['/bad-json', /GET \/bad-json: the answer is not valid JSON/],
      ['/html', /GET \/html: the answer is "text\/html", not JSON/],
      ['/array', /not a JSON object/],
      ['/empty', /the answer has no body/],
    ] as const) {
      const error = await rejection(session.get(path));
      assert.equal(error.kind, 'protocol', path);
      assert.equal(error.status, 200);
      assert.match(error.message, pattern);
    }
    assert.equal((await session.get('/ok')).body.ok, true);
  });

  it('names the resource when a property of an answer is wrong', async () => {
    const bmc = await startBmc((_req, res) => send(res, 200, { PowerState: 1 }));
    const { body } = await client().session(target(bmc)).get('/redfish/v1/Systems/1');
    try {
      str(body, 'PowerState');
      assert.fail('expected a throw');
    } catch (error) {
      assert.ok(error instanceof RedfishError);
      errors.push(error);
      assert.equal(error.kind, 'protocol');
      assert.equal(
        error.message,
        `Redfish property "PowerState" of ${bmc.origin}/redfish/v1/Systems/1 is a number, expected a string`,
      );
    }
  });
});

const openssl = opensslAvailable;

describe('RedfishClient TLS', { skip: openssl ? false : 'openssl is not installed' }, () => {
  let dir = '';
  let tls = { key: '', cert: '' };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferrite-redfish-tls-'));
    makeSelfSignedCertificate(dir);
    tls = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies certificates by default and refuses a self-signed one', async () => {
    const bmc = await startBmc((_req, res) => send(res, 200, SYSTEM), tls);
    const error = await rejection(
      client({ retries: 0 }).session(target(bmc)).get('/redfish/v1/Systems/1'),
    );
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /certificate/i);
    assert.equal(bmc.requests.length, 0);
  });

  it('accepts any certificate with verify: false', async () => {
    const bmc = await startBmc((_req, res) => send(res, 200, SYSTEM), tls);
    const response = await client()
      .session(target(bmc, { verify: false }))
      .get('/redfish/v1/Systems/1');
    assert.equal(response.status, 200);
  });

  it('verifies against a CA bundle file', async () => {
    const bmc = await startBmc((_req, res) => send(res, 200, SYSTEM), tls);
    const response = await client()
      .session(target(bmc, { verify: join(dir, 'cert.pem') }))
      .get('/redfish/v1/Systems/1');
    assert.equal(response.status, 200);
    const error = await rejection(
      client()
        .session(target(bmc, { verify: join(dir, 'missing.pem') }))
        .get('/redfish/v1/Systems/1'),
    );
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /cannot read the CA bundle/);
  });
});

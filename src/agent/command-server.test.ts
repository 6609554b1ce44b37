import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentCommandError, CommandRunner } from './command-runner.ts';
import type { CommandTable } from './command-runner.ts';
import { buildCommandServer } from './command-server.ts';

/** Commands whose ends the test decides. */
function table(): {
  table: CommandTable;
  finish: (value: string) => void;
  fail: (error: Error) => void;
} {
  let finish: (value: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  return {
    table: {
      'test.echo': { async: false, run: async (params) => ({ echoed: params }) },
      'test.refuse': {
        async: false,
        run: async () => {
          throw new AgentCommandError('No such disk', 'DeviceNotFound', 404);
        },
      },
      'test.long': {
        async: true,
        run: () =>
          new Promise((resolve, reject) => {
            finish = resolve;
            fail = reject;
          }),
      },
    },
    finish: (value) => finish(value),
    fail: (error) => fail(error),
  };
}

function server(token: string | null = 'tok') {
  const t = table();
  const runner = new CommandRunner(t.table, new AbortController().signal);
  const app = buildCommandServer({
    runner,
    token: () => token ?? undefined,
    version: '9.9.9',
    startedAt: new Date(0),
  });
  return { app, runner, ...t };
}

describe('the agent command API', () => {
  it('runs a synchronous command with the token and answers its record', async () => {
    const { app } = server();
    const answer = await app.inject({
      method: 'POST',
      url: '/v1/commands/?wait=false&agent_token=tok',
      payload: { name: 'test.echo', params: { a: 1 } },
    });
    assert.equal(answer.statusCode, 200);
    const body = answer.json<Record<string, unknown>>();
    assert.equal(
      body['command_name'],
      'echo',
      'named without its extension, as Ironic looks results up',
    );
    assert.equal(body['command_status'], 'SUCCEEDED');
    assert.deepEqual(body['command_result'], { echoed: { a: 1 } });
    assert.equal(body['command_error'], null);
  });

  it('refuses a command without the token or with another (401), and reads results without one', async () => {
    const { app } = server();
    for (const query of ['', '?agent_token=nope']) {
      const answer = await app.inject({
        method: 'POST',
        url: `/v1/commands${query}`,
        payload: { name: 'test.echo', params: {} },
      });
      assert.equal(answer.statusCode, 401, query);
      assert.deepEqual(answer.json(), { faultcode: 'Client', faultstring: 'Token invalid.' });
    }
    const list = await app.inject({ method: 'GET', url: '/v1/commands/' });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), { commands: [] }, 'refused commands leave no record');
    const wrong = await app.inject({ method: 'GET', url: '/v1/commands/?agent_token=nope' });
    assert.equal(wrong.statusCode, 401, 'a token given to a read is checked');
  });

  it('refuses malformed requests and unknown commands with 400', async () => {
    const { app } = server();
    const cases = [
      { payload: 'not json', status: 400 },
      { payload: { name: 'test.echo' }, status: 400 },
      { payload: { name: 'test.echo', params: [] }, status: 400 },
      { payload: { name: 'nobody.knows', params: {} }, status: 400 },
    ];
    for (const c of cases) {
      const answer = await app.inject({
        method: 'POST',
        url: '/v1/commands?agent_token=tok',
        headers: { 'content-type': 'application/json' },
        payload: typeof c.payload === 'string' ? c.payload : JSON.stringify(c.payload),
      });
      assert.equal(answer.statusCode, c.status, JSON.stringify(c.payload));
      assert.equal(answer.json<{ faultcode: string }>().faultcode, 'Client');
    }
  });

  it('records a failed synchronous command with the error ironic-python-agent reports', async () => {
    const { app } = server();
    const answer = await app.inject({
      method: 'POST',
      url: '/v1/commands?agent_token=tok',
      payload: { name: 'test.refuse', params: {} },
    });
    assert.equal(answer.statusCode, 200);
    const body = answer.json<Record<string, unknown>>();
    assert.equal(body['command_status'], 'FAILED');
    assert.deepEqual(body['command_error'], {
      type: 'DeviceNotFound',
      code: 404,
      message: 'No such disk',
      details: 'No such disk',
    });
  });

  it('runs asynchronous commands one at a time, readable by id and in the list until they end', async () => {
    const { app, runner, finish, fail } = server();
    let beats = 0;
    runner.onAsyncDone = () => (beats += 1);
    const started = await app.inject({
      method: 'POST',
      url: '/v1/commands?agent_token=tok',
      payload: { name: 'test.long', params: { n: 1 } },
    });
    const record = started.json<{ id: string; command_status: string }>();
    assert.equal(record.command_status, 'RUNNING');
    const busy = await app.inject({
      method: 'POST',
      url: '/v1/commands?agent_token=tok',
      payload: { name: 'test.long', params: {} },
    });
    assert.equal(busy.statusCode, 409);
    assert.match(busy.body, /busy/);
    const sync = await app.inject({
      method: 'POST',
      url: '/v1/commands?agent_token=tok',
      payload: { name: 'test.echo', params: {} },
    });
    assert.equal(sync.statusCode, 200, 'synchronous commands still run');

    const waited = app.inject({ method: 'GET', url: `/v1/commands/${record.id}?wait=true` });
    finish('done');
    const done = (await waited).json<Record<string, unknown>>();
    assert.equal(done['command_status'], 'SUCCEEDED');
    assert.equal(done['command_result'], 'done');
    assert.equal(beats, 1, 'the end of an asynchronous command is announced');

    await app.inject({
      method: 'POST',
      url: '/v1/commands?agent_token=tok',
      payload: { name: 'test.long', params: {} },
    });
    fail(new Error('disk on fire'));
    await runner.settle();
    const list = (await app.inject({ method: 'GET', url: '/v1/commands' })).json<{
      commands: { command_name: string; command_status: string }[];
    }>();
    assert.deepEqual(
      list.commands.map((c) => [c.command_name, c.command_status]),
      [
        ['long', 'SUCCEEDED'],
        ['echo', 'SUCCEEDED'],
        ['long', 'FAILED'],
      ],
    );
    const missing = await app.inject({ method: 'GET', url: '/v1/commands/nope' });
    assert.equal(missing.statusCode, 404);
  });

  it('answers its root, version and status documents without a token', async () => {
    const { app } = server();
    const status = await app.inject({ method: 'GET', url: '/v1/status' });
    assert.deepEqual(status.json(), { started_at: 0, version: '9.9.9' });
    const root = await app.inject({ method: 'GET', url: '/' });
    assert.equal(root.json<{ default_version: { id: string } }>().default_version.id, 'v1');
    const v1 = await app.inject({ method: 'GET', url: '/v1' });
    assert.match(v1.body, /\/v1\/commands/);
  });

  it('takes commands without a token when it has none (standalone)', async () => {
    const { app } = server(null);
    const answer = await app.inject({
      method: 'POST',
      url: '/v1/commands',
      payload: { name: 'test.echo', params: {} },
    });
    assert.equal(answer.statusCode, 200);
  });
});

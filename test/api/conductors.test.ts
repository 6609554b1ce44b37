import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { bodyOf, caller, itemsOf, nextPath } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

describe('conductors API', () => {
  let harness: ApiHarness;
  let call: Call;

  before(async () => {
    harness = await startApi();
    call = caller(harness.api);
    // Two more conductors: one that stopped cleanly, one whose heartbeat went stale.
    const registration = { conductorGroup: 'rack2', drivers: ['fake-hardware'], interfaces: [] };
    await harness.store.conductors.register({ hostname: 'conductor-2', ...registration });
    await harness.store.conductors.unregister('conductor-2');
    await harness.store.conductors.register({ hostname: 'conductor-3', ...registration });
  });
  after(() => harness.close());

  it('exists from 1.49 and lists conductors with whether they are alive', async () => {
    assert.equal(
      (await call({ method: 'GET', url: '/v1/conductors', version: '1.48' })).statusCode,
      404,
    );
    const list = itemsOf(await call({ method: 'GET', url: '/v1/conductors' }), 'conductors');
    assert.deepEqual(list.map((c) => [c['hostname'], c['alive']]).sort(), [
      ['conductor-1', true],
      ['conductor-2', false],
      ['conductor-3', true],
    ]);
    assert.deepEqual(Object.keys(list[0] ?? {}).sort(), [
      'alive',
      'conductor_group',
      'hostname',
      'links',
    ]);
    // A heartbeat older than the timeout: conductor-3 is no longer alive, conductor-1 beats on.
    await harness.h.clock.advance(harness.h.conductor.config.heartbeatTimeoutMs + 1);
    await harness.h.conductor.heartbeat();
    const later = itemsOf(
      await call({ method: 'GET', url: '/v1/conductors?sort_key=hostname' }),
      'conductors',
    );
    assert.deepEqual(
      later.map((c) => c['alive']),
      [true, false, false],
    );
  });

  it('shows one conductor in detail, with fields', async () => {
    const one = bodyOf(await call({ method: 'GET', url: '/v1/conductors/conductor-1' }));
    assert.equal(one['hostname'], 'conductor-1');
    assert.ok(Array.isArray(one['drivers']));
    assert.equal(typeof one['created_at'], 'string');
    assert.match(JSON.stringify(one['links']), /\/v1\/conductors\/conductor-1/);
    const fields = bodyOf(
      await call({ method: 'GET', url: '/v1/conductors/conductor-3?fields=conductor_group' }),
    );
    assert.deepEqual(fields, { conductor_group: 'rack2', links: fields['links'] ?? null });
    const ghost = await call({ method: 'GET', url: '/v1/conductors/ghost' });
    assert.equal(ghost.statusCode, 404);
    assert.match(faultOf(ghost.body), /Conductor ghost could not be found/);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/conductors/conductor-1?fields=colour' })).statusCode,
      400,
    );
  });

  it('pages by hostname markers, and refuses what cannot be sorted', async () => {
    const detail = itemsOf(
      await call({ method: 'GET', url: '/v1/conductors?detail=true' }),
      'conductors',
    );
    assert.ok('drivers' in (detail[0] ?? {}));
    const seen: unknown[] = [];
    let path: string | undefined = '/v1/conductors?limit=1&sort_key=hostname&sort_dir=desc';
    while (path !== undefined) {
      const page = await call({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200, page.body);
      seen.push(...itemsOf(page, 'conductors').map((c) => c['hostname']));
      path = nextPath(page);
    }
    assert.deepEqual(seen, ['conductor-3', 'conductor-2', 'conductor-1']);
    const refusals: [string, number][] = [
      ['/v1/conductors?sort_key=alive', 400],
      ['/v1/conductors?sort_key=drivers', 400],
      ['/v1/conductors?marker=ghost', 404],
      ['/v1/conductors?detail=true&fields=hostname', 400],
      ['/v1/conductors?limit=-1', 400],
    ];
    for (const [url, status] of refusals) {
      assert.equal((await call({ method: 'GET', url })).statusCode, status, url);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/db/store.ts';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { bodyOf, caller, itemsOf, nextPath } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

describe('chassis API', () => {
  let harness: ApiHarness;
  let store: Store;
  let call: Call;
  let chassisUuid: string;

  before(async () => {
    harness = await startApi();
    store = harness.store;
    call = caller(harness.api);
  });
  after(() => harness.close());

  const snapshot = async () => JSON.stringify(await store.chassis.list({ sortKey: 'uuid' }));

  it('creates and shows a chassis with its node links', async () => {
    const res = await call({
      method: 'POST',
      url: '/v1/chassis',
      payload: { description: 'rack 1', extra: { row: 'A' } },
      version: '1.1',
    });
    assert.equal(res.statusCode, 201, res.body);
    const chassis = bodyOf(res);
    chassisUuid = String(chassis['uuid']);
    assert.match(String(res.headers['location']), new RegExp(`/v1/chassis/${chassisUuid}$`));
    assert.deepEqual(
      Object.keys(chassis).sort(),
      ['created_at', 'description', 'extra', 'links', 'nodes', 'updated_at'].concat('uuid').sort(),
    );
    assert.match(JSON.stringify(chassis['nodes']), new RegExp(`/v1/chassis/${chassisUuid}/nodes`));
    const fields = bodyOf(
      await call({ method: 'GET', url: `/v1/chassis/${chassisUuid}?fields=description` }),
    );
    assert.deepEqual(Object.keys(fields).sort(), ['description', 'links']);
    assert.equal((await call({ method: 'GET', url: '/v1/chassis/nope' })).statusCode, 400);
    const ghost = await call({
      method: 'GET',
      url: '/v1/chassis/5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f',
    });
    assert.equal(ghost.statusCode, 404);
  });

  it('refuses malformed chassis, storing nothing', async () => {
    const before = await snapshot();
    const cases: [unknown, RegExp][] = [
      [{ description: 5 }, /description/],
      [{ description: 'x'.repeat(256) }, /longer than 255/],
      [{ extra: 'no' }, /extra/],
      [{ uuid: 'nope' }, /Expected a UUID/],
      [{ nodes: [] }, /nodes/],
      [[], /Invalid input/],
    ];
    for (const [payload, message] of cases) {
      const res = await call({ method: 'POST', url: '/v1/chassis', payload: payload as object });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(faultOf(res.body), message);
    }
    const dup = await call({ method: 'POST', url: '/v1/chassis', payload: { uuid: chassisUuid } });
    assert.equal(dup.statusCode, 409);
    assert.equal(await snapshot(), before);
  });

  it('lists chassis in pages, and the nodes of one', async () => {
    for (let i = 0; i < 3; i++) {
      await call({ method: 'POST', url: '/v1/chassis', payload: { description: `extra ${i}` } });
    }
    const plain = itemsOf(await call({ method: 'GET', url: '/v1/chassis' }), 'chassis');
    assert.equal(plain.length, 4);
    assert.deepEqual(Object.keys(plain[0] ?? {}).sort(), ['description', 'links', 'uuid']);
    const detail = itemsOf(await call({ method: 'GET', url: '/v1/chassis/detail' }), 'chassis');
    assert.ok('extra' in (detail[0] ?? {}));
    let path: string | undefined = '/v1/chassis?limit=3&sort_key=uuid';
    const seen: unknown[] = [];
    while (path !== undefined) {
      const page = await call({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200, page.body);
      seen.push(...itemsOf(page, 'chassis').map((c) => c['uuid']));
      path = nextPath(page);
    }
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(seen.length, 4);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/chassis?sort_key=extra' })).statusCode,
      400,
    );
    assert.equal(
      (await call({ method: 'GET', url: '/v1/chassis?detail=yes', version: '1.42' })).statusCode,
      400,
    );

    const h = harness.h;
    await h.enroll({ name: 'in-chassis-1', chassisUuid });
    await h.enroll({ name: 'in-chassis-2', chassisUuid });
    await h.enroll({ name: 'elsewhere' });
    const nodes = await call({ method: 'GET', url: `/v1/chassis/${chassisUuid}/nodes?limit=1` });
    assert.equal(nodes.statusCode, 200, nodes.body);
    assert.equal(itemsOf(nodes, 'nodes').length, 1);
    assert.ok('provision_state' in (itemsOf(nodes, 'nodes')[0] ?? {}));
    const rest = await call({ method: 'GET', url: nextPath(nodes) ?? '' });
    assert.equal(itemsOf(rest, 'nodes').length, 1);
    const detailNodes = itemsOf(
      await call({ method: 'GET', url: `/v1/chassis/${chassisUuid}/nodes/detail` }),
      'nodes',
    );
    assert.deepEqual(detailNodes.map((n) => n['name']).sort(), ['in-chassis-1', 'in-chassis-2']);
    assert.equal(detailNodes[0]?.['chassis_uuid'], chassisUuid);
    const named = itemsOf(
      await call({ method: 'GET', url: `/v1/chassis/${chassisUuid}/nodes?fields=name` }),
      'nodes',
    );
    assert.deepEqual(Object.keys(named[0] ?? {}).sort(), ['links', 'name']);
    const ghost = await call({
      method: 'GET',
      url: '/v1/chassis/5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f/nodes',
    });
    assert.equal(ghost.statusCode, 404);
    assert.equal(
      (await call({ method: 'GET', url: `/v1/chassis/${chassisUuid}/nodes?fields=bogus` }))
        .statusCode,
      400,
    );
    assert.equal(
      (await call({ method: 'GET', url: `/v1/chassis/${chassisUuid}/nodes/in-chassis-1` }))
        .statusCode,
      403,
    );
  });

  it('patches description and extra only', async () => {
    const url = `/v1/chassis/${chassisUuid}`;
    const ok = await call({
      method: 'PATCH',
      url,
      payload: [
        { op: 'replace', path: '/description', value: 'rack one' },
        { op: 'add', path: '/extra/power', value: 'pdu-2' },
      ],
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(bodyOf(ok)['description'], 'rack one');
    assert.deepEqual(bodyOf(ok)['extra'], { row: 'A', power: 'pdu-2' });
    assert.notEqual(bodyOf(ok)['updated_at'], null);
    const before = await snapshot();
    const cases: [unknown[], RegExp][] = [
      [[{ op: 'replace', path: '/uuid', value: chassisUuid }], /internal attribute/],
      [[{ op: 'replace', path: '/nodes', value: [] }], /Cannot patch \/nodes/],
      [[{ op: 'replace', path: '/description', value: 7 }], /description/],
      [[{ op: 'remove', path: '/extra/none' }], /non-existent/],
      [[{ op: 'add', path: '/colour', value: 'red' }], /Cannot patch/],
    ];
    for (const [ops, message] of cases) {
      const res = await call({ method: 'PATCH', url, payload: ops });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(faultOf(res.body), message);
    }
    assert.equal(await snapshot(), before);
    const cleared = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'remove', path: '/description' }],
    });
    assert.equal(bodyOf(cleared)['description'], null);
  });

  it('refuses deleting a chassis that holds nodes', async () => {
    const full = await call({ method: 'DELETE', url: `/v1/chassis/${chassisUuid}` });
    assert.equal(full.statusCode, 400);
    assert.match(faultOf(full.body), /contains nodes/);
    const empty = itemsOf(await call({ method: 'GET', url: '/v1/chassis' }), 'chassis').find(
      (c) => c['uuid'] !== chassisUuid,
    );
    assert.equal(
      (await call({ method: 'DELETE', url: `/v1/chassis/${String(empty?.['uuid'])}` })).statusCode,
      204,
    );
    assert.equal(
      (await call({ method: 'DELETE', url: `/v1/chassis/${String(empty?.['uuid'])}` })).statusCode,
      404,
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

/**
 * Every route of the API, fed input that is wrong in each way a client can
 * get it wrong: each answer is a 4xx with a faultstring, never a 5xx, and
 * the database is exactly as it was.
 */
let harness: ApiHarness;
const routes: { method: string; url: string }[] = [];
let nodeUuid = '';

before(async () => {
  harness = await startApi();
  const node = await harness.h.enroll({ name: 'steady', driverInfo: { fake_password: 'x' } });
  nodeUuid = node.uuid;
  await harness.store.ports.create({ nodeUuid, address: '52:54:00:12:34:56' });
  for (const route of await listRoutes()) routes.push(route);
});
after(async () => {
  await harness.close();
});

/** The routes Fastify registered, from its route tree, with parameters filled in. */
async function listRoutes(): Promise<{ method: string; url: string }[]> {
  const tree = harness.api.printRoutes({
    commonPrefix: false,
    includeHooks: false,
    method: undefined,
  });
  const out: { method: string; url: string }[] = [];
  let prefix: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[└├]── (\S+?)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    prefix = prefix.slice(0, depth);
    prefix.push(match[2] ?? '');
    if (match[3] === undefined) continue;
    const path = prefix.join('');
    for (const method of match[3].split(', ')) {
      if (method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE') continue;
      out.push({ method, url: path.replace(/:[a-z_]+/g, () => nodeUuid) });
    }
  }
  await Promise.resolve();
  return out;
}

/** Everything the store holds, to compare before and after. */
async function snapshot(): Promise<string> {
  const s = harness.store;
  const nodes = await s.nodes.list();
  return JSON.stringify({
    nodes,
    ports: await s.ports.list(),
    portgroups: await s.portgroups.list(),
    chassis: await s.chassis.list(),
    allocations: await s.allocations.list(),
    templates: await s.deployTemplates.list(),
    history: await Promise.all(nodes.map((n) => s.nodeHistory.list(n.uuid))),
  });
}

const BAD_BODIES: readonly { name: string; payload: string; type?: string }[] = [
  { name: 'broken JSON', payload: '{"driver": ' },
  { name: 'a JSON string', payload: '"hello"' },
  { name: 'a number', payload: '42' },
  { name: 'null', payload: 'null' },
  { name: 'an object of unknown fields', payload: '{"no_such_field": {"deep": [1, 2]}}' },
  { name: 'an array of junk', payload: '[1, "two", {"op": "explode", "path": "/x"}]' },
  { name: 'XML', payload: '<node/>', type: 'application/xml' },
];

it('answers every malformed body on every route with a 4xx and a faultstring, changing nothing', async () => {
  assert.ok(routes.length > 50, `found only ${routes.length} routes`);
  const before = await snapshot();
  const failures: string[] = [];
  for (const route of routes) {
    if (route.method === 'GET' || route.method === 'DELETE') continue;
    for (const bad of BAD_BODIES) {
      // Actions without arguments take a JSON null as no body (the baremetal CLI sends it).
      if (bad.payload === 'null' && /\/(maintenance|inject_nmi)$/.test(route.url)) continue;
      const res = await harness.h.act(
        harness.api.inject({
          method: route.method,
          url: route.url,
          payload: bad.payload,
          headers: {
            'content-type': bad.type ?? 'application/json',
            'x-openstack-ironic-api-version': 'latest',
          },
        }),
      );
      const where = `${route.method} ${route.url} with ${bad.name}: ${res.statusCode} ${res.body.slice(0, 200)}`;
      if (res.statusCode < 400 || res.statusCode >= 500) {
        // A few actions take any JSON object (passthru arguments): those may succeed, but
        // never with a body that is not an object.
        const objectTaker =
          route.url.includes('vendor_passthru') && bad.payload.startsWith('{"no_such');
        if (!objectTaker) failures.push(where);
        continue;
      }
      try {
        assert.ok(faultOf(res.body).length > 0);
      } catch {
        failures.push(`${where} (no faultstring)`);
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.equal(await snapshot(), before, 'a refused request changed the database');
});

it('refuses bodies over the limit with 413, and versions it does not speak with 406', async () => {
  const before = await snapshot();
  const huge = await harness.api.inject({
    method: 'PATCH',
    url: `/v1/nodes/${nodeUuid}`,
    payload: JSON.stringify([
      { op: 'add', path: '/extra/blob', value: 'x'.repeat(2 * 1024 * 1024) },
    ]),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(huge.statusCode, 413);
  assert.ok(faultOf(huge.body).length > 0);
  for (const version of ['1.0', '2.1', '1.999', 'banana', '1.', '']) {
    const res = await harness.api.inject({
      method: 'GET',
      url: `/v1/nodes/${nodeUuid}`,
      headers: { 'x-openstack-ironic-api-version': version },
    });
    if (version === '') continue;
    assert.ok([400, 406].includes(res.statusCode), `${version}: ${res.statusCode}`);
    assert.ok(faultOf(res.body).length > 0);
  }
  assert.equal(await snapshot(), before);
});

it('answers patches on read-only and unknown paths with 400 for every patchable resource', async () => {
  const before = await snapshot();
  const port = (await harness.store.ports.list())[0];
  assert.ok(port);
  const targets = [`/v1/nodes/${nodeUuid}`, `/v1/ports/${port.uuid}`];
  for (const url of targets) {
    for (const patch of [
      [{ op: 'replace', path: '/uuid', value: crypto.randomUUID() }],
      [{ op: 'replace', path: '/created_at', value: '2020-01-01' }],
      [{ op: 'add', path: '/nonexistent', value: 1 }],
      [{ op: 'remove', path: '/extra/not-there' }],
      [{ op: 'copy', from: '/extra', path: '/extra/x' }],
      [{ op: 'add', path: '', value: 1 }],
    ]) {
      const res = await harness.api.inject({
        method: 'PATCH',
        url,
        payload: patch,
        headers: { 'x-openstack-ironic-api-version': 'latest' },
      });
      assert.equal(res.statusCode, 400, `${url} ${JSON.stringify(patch)}: ${res.body}`);
      assert.ok(faultOf(res.body).length > 0);
    }
  }
  assert.equal(await snapshot(), before);
});

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

let harness: ApiHarness;
before(async () => {
  harness = await startApi();
});
after(async () => {
  await harness.close();
});

type Listed = { nodes: Record<string, unknown>[] };

const list = async (url: string, version = 'latest', host = 'localhost') =>
  (
    await harness.api.inject({
      method: 'GET',
      url,
      headers: { 'x-openstack-ironic-api-version': version, host },
    })
  ).json<Listed>();

it('shows every change in listings, however the node changed, for every version, fields and host', async () => {
  const node = await harness.h.enroll({ name: 'c1', extra: { v: 1 } });
  const other = await harness.h.enroll({ name: 'c2' });
  const extraOf = async (url: string) =>
    (await list(url)).nodes.find((n) => n['uuid'] === node.uuid)?.['extra'];
  assert.deepEqual(await extraOf('/v1/nodes/detail'), { v: 1 });
  await harness.store.nodes.update(node.uuid, { extra: { v: 2 } });
  assert.deepEqual(await extraOf('/v1/nodes/detail'), { v: 2 }, 'an update shows');
  // A lock changes only the reservation: no timestamp moves, the listing still shows it.
  await harness.store.nodes.lock(node.uuid, 'elsewhere');
  const locked = (await list('/v1/nodes/detail')).nodes.find((n) => n['uuid'] === node.uuid);
  assert.equal(locked?.['reservation'], 'elsewhere');
  await harness.store.nodes.release(node.uuid, 'elsewhere');
  const released = (await list('/v1/nodes/detail')).nodes.find((n) => n['uuid'] === node.uuid);
  assert.equal(released?.['reservation'], null);
  // The same nodes at another version, with other fields, through another host name.
  const old = (await list('/v1/nodes/detail', '1.1')).nodes[0] ?? {};
  assert.equal('owner' in old, false);
  const fields = (await list('/v1/nodes?fields=uuid,extra')).nodes.map((n) =>
    Object.keys(n).sort(),
  );
  assert.deepEqual(fields, [
    ['extra', 'links', 'uuid'],
    ['extra', 'links', 'uuid'],
  ]);
  const other_host = (await list('/v1/nodes', 'latest', 'api.example.org')).nodes[0];
  assert.match(JSON.stringify(other_host?.['links']), /api\.example\.org/);
  // Deleted nodes leave, new ones come.
  await harness.h.act(harness.h.conductor.deleteNode(other.uuid));
  const third = await harness.h.enroll({ name: 'c3' });
  assert.deepEqual((await list('/v1/nodes')).nodes.map((n) => String(n['name'])).sort(), [
    'c1',
    'c3',
  ]);
  assert.ok(third.uuid);
});

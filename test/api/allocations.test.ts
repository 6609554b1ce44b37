import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NewNode, Store } from '../../src/db/store.ts';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { bodyOf, caller, itemsOf, nextPath } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

const GHOST = '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f';

describe('allocations API', () => {
  let harness: ApiHarness;
  let store: Store;
  let call: Call;

  before(async () => {
    harness = await startApi();
    store = harness.store;
    call = caller(harness.api);
  });
  after(() => harness.close());

  const snapshot = async () =>
    JSON.stringify(await store.allocations.list({}, { sortKey: 'uuid' }));

  async function available(fields: Partial<NewNode> = {}) {
    const h = harness.h;
    const node = await h.enroll(fields);
    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    await h.act(h.conductor.changeProvisionState(node.uuid, 'provide'));
    return h.node(node.uuid);
  }

  async function deployed(fields: Partial<NewNode> = {}) {
    const node = await available(fields);
    await harness.h.act(harness.h.conductor.changeProvisionState(node.uuid, 'active'));
    return harness.h.node(node.uuid);
  }

  /** POSTs an allocation and lets the conductor finish looking for its node. */
  async function allocate(payload: object, version?: string) {
    const res = await call({
      method: 'POST',
      url: '/v1/allocations',
      payload,
      ...(version !== undefined ? { version } : {}),
    });
    await harness.h.settle();
    return res;
  }

  it('creates an allocation that the conductor gives a matching node', async () => {
    await available({ resourceClass: 'api-small' });
    const gpu = await available({
      resourceClass: 'api-small',
      name: 'gpu-box',
      traits: ['CUSTOM_GPU'],
    });
    const res = await allocate({
      resource_class: 'api-small',
      traits: ['CUSTOM_GPU'],
      name: 'job-1',
      extra: { team: 'ml' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const created = bodyOf(res);
    const uuid = String(created['uuid']);
    assert.match(String(res.headers['location']), new RegExp(`/v1/allocations/${uuid}$`));
    assert.equal(created['state'], 'allocating');
    assert.deepEqual(Object.keys(created).sort(), [
      'candidate_nodes',
      'created_at',
      'extra',
      'last_error',
      'links',
      'name',
      'node_uuid',
      'owner',
      'resource_class',
      'state',
      'traits',
      'updated_at',
      'uuid',
    ]);

    const shown = bodyOf(await call({ method: 'GET', url: `/v1/allocations/${uuid}` }));
    assert.deepEqual(
      [shown['state'], shown['node_uuid'], shown['last_error']],
      ['active', gpu.uuid, null],
    );
    assert.deepEqual(shown['traits'], ['CUSTOM_GPU']);
    assert.match(String(shown['updated_at']), /\+00:00$/);
    // By name, and the node's own view of its allocation.
    assert.equal(bodyOf(await call({ method: 'GET', url: '/v1/allocations/job-1' }))['uuid'], uuid);
    const ofNode = await call({ method: 'GET', url: `/v1/nodes/gpu-box/allocation?fields=uuid` });
    assert.deepEqual(bodyOf(ofNode)['uuid'], uuid);
    assert.deepEqual(Object.keys(bodyOf(ofNode)).sort(), ['links', 'uuid']);
    const node = bodyOf(await call({ method: 'GET', url: `/v1/nodes/${gpu.uuid}` }));
    assert.deepEqual([node['allocation_uuid'], node['instance_uuid']], [uuid, uuid]);
  });

  it('ends in error with the reason when no node matches, and takes candidates by name', async () => {
    const res = await allocate({ resource_class: 'api-none', traits: ['CUSTOM_NOPE'] });
    assert.equal(res.statusCode, 201, res.body);
    const failed = bodyOf(
      await call({ method: 'GET', url: `/v1/allocations/${String(bodyOf(res)['uuid'])}` }),
    );
    assert.equal(failed['state'], 'error');
    assert.match(String(failed['last_error']), /resource class api-none/);

    const wanted = await available({ resourceClass: 'api-cand', name: 'cand-2' });
    await available({ resourceClass: 'api-cand', name: 'cand-1' });
    const byName = await allocate({ resource_class: 'api-cand', candidate_nodes: ['cand-2'] });
    assert.equal(byName.statusCode, 201, byName.body);
    // Names are stored as the uuids they stand for.
    assert.deepEqual(bodyOf(byName)['candidate_nodes'], [wanted.uuid]);
    const done = await store.allocations.get(String(bodyOf(byName)['uuid']));
    assert.equal(done.nodeUuid, wanted.uuid);
  });

  it('backfills a deployed node at 1.58, taking its resource class', async () => {
    const node = await deployed({ resourceClass: 'api-legacy', name: 'legacy-1' });
    const tooOld = await allocate({ node: 'legacy-1' }, '1.57');
    assert.equal(tooOld.statusCode, 400);
    assert.match(faultOf(tooOld.body), /Cannot set node when creating an allocation/);
    const mismatch = await allocate({ node: 'legacy-1', resource_class: 'other' });
    assert.equal(mismatch.statusCode, 400);
    assert.match(faultOf(mismatch.body), /Resource class api-legacy does not match/);
    const missingTrait = await allocate({ node: 'legacy-1', traits: ['CUSTOM_MISSING'] });
    assert.equal(missingTrait.statusCode, 400);
    assert.match(faultOf(missingTrait.body), /does not match the requested traits/);

    const res = await allocate({ node: 'legacy-1' }, '1.58');
    assert.equal(res.statusCode, 201, res.body);
    const allocation = bodyOf(res);
    assert.deepEqual(
      [allocation['state'], allocation['node_uuid'], allocation['resource_class']],
      ['active', node.uuid, 'api-legacy'],
    );
    // owner is not shown before 1.60.
    assert.ok(!('owner' in allocation));
    // The node holds an allocation already.
    const again = await allocate({ node: node.uuid });
    assert.equal(again.statusCode, 409, again.body);
    // A node that is not deployed cannot be backfilled.
    await available({ resourceClass: 'api-legacy', name: 'fresh-1' });
    const fresh = await allocate({ node: 'fresh-1' });
    assert.equal(fresh.statusCode, 409, fresh.body);
  });

  it('refuses malformed allocations, storing nothing', async () => {
    await available({ resourceClass: 'api-bad', name: 'bad-target' });
    const before = await snapshot();
    const cases: [unknown, number, RegExp, string?][] = [
      [{}, 400, /resource_class field is mandatory when not backfilling/],
      [{ resource_class: 5 }, 400, /resource_class/],
      [{ resource_class: 'x'.repeat(81) }, 400, /resource_class/],
      [{ resource_class: 'c', uuid: 'nope' }, 400, /Expected a UUID but received nope/],
      [{ resource_class: 'c', traits: ['lower'] }, 400, /Invalid trait "lower"/],
      [{ resource_class: 'c', traits: 'CUSTOM_X' }, 400, /traits/],
      [{ resource_class: 'c', name: 'has space' }, 400, /invalid name 'has space'/],
      [{ resource_class: 'c', name: GHOST }, 400, /invalid name/],
      [
        { resource_class: 'c', candidate_nodes: ['bad-target', 'ghost'] },
        400,
        /cannot be found: ghost/,
      ],
      [{ resource_class: 'c', candidate_nodes: [GHOST] }, 400, /cannot be found/],
      [{ resource_class: 'c', extra: [] }, 400, /extra/],
      [{ resource_class: 'c', colour: 'red' }, 400, /colour/],
      [{ node: 'no-such-node' }, 400, /no-such-node could not be found/],
      [{ resource_class: 'c', owner: 'p1' }, 406, /owner/, '1.59'],
      [[], 400, /Invalid input/],
    ];
    for (const [payload, status, message, version] of cases) {
      const res = await call({
        method: 'POST',
        url: '/v1/allocations',
        payload: payload as object,
        ...(version !== undefined ? { version } : {}),
      });
      assert.equal(res.statusCode, status, `${JSON.stringify(payload)}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
    await harness.h.settle();
    assert.equal(await snapshot(), before);
    const named = await allocate({ resource_class: 'api-none', name: 'dup-name' });
    assert.equal(named.statusCode, 201);
    const dup = await allocate({ resource_class: 'api-none', name: 'dup-name' });
    assert.equal(dup.statusCode, 409);
  });

  it('lists allocations in pages, filtered, with fields', async () => {
    for (let i = 0; i < 3; i++) await allocate({ resource_class: 'api-page', owner: 'p1' });
    const all = itemsOf(await call({ method: 'GET', url: '/v1/allocations' }), 'allocations');
    assert.ok(all.length >= 6);
    assert.ok('candidate_nodes' in (all[0] ?? {}), 'listings show whole allocations');

    const filtered = await call({
      method: 'GET',
      url: '/v1/allocations?resource_class=api-page&limit=2&fields=uuid,owner',
    });
    const page1 = itemsOf(filtered, 'allocations');
    assert.equal(page1.length, 2);
    assert.deepEqual(Object.keys(page1[0] ?? {}).sort(), ['links', 'owner', 'uuid']);
    const next = nextPath(filtered);
    assert.ok(next);
    assert.match(next, /resource_class=api-page/);
    const page2 = itemsOf(await call({ method: 'GET', url: next }), 'allocations');
    assert.equal(page2.length, 1);
    assert.equal(page2[0]?.['owner'], 'p1');

    const byState = itemsOf(
      await call({ method: 'GET', url: '/v1/allocations?state=error&resource_class=api-page' }),
      'allocations',
    );
    assert.equal(byState.length, 3);
    const byOwner = itemsOf(
      await call({ method: 'GET', url: '/v1/allocations?owner=p1' }),
      'allocations',
    );
    assert.equal(byOwner.length, 3);
    assert.equal(
      itemsOf(await call({ method: 'GET', url: '/v1/allocations?state=bogus' }), 'allocations')
        .length,
      0,
    );
    const gpu = (await store.nodes.get('gpu-box')).uuid;
    const byNode = itemsOf(
      await call({ method: 'GET', url: '/v1/allocations?node=gpu-box' }),
      'allocations',
    );
    assert.deepEqual(
      byNode.map((a) => a['node_uuid']),
      [gpu],
    );

    const refusals: [string, number, RegExp, string?][] = [
      ['/v1/allocations?owner=p1', 406, /owner/, '1.59'],
      ['/v1/allocations?fields=owner', 406, /owner/, '1.59'],
      ['/v1/allocations?fields=colour', 400, /colour/],
      ['/v1/allocations?sort_key=traits', 400, /invalid field for sorting/],
      ['/v1/allocations?sort_dir=up', 400, /sort direction/],
      ['/v1/allocations?limit=0', 400, /Limit must be positive/],
      ['/v1/allocations?marker=nope', 400, /Expected a UUID/],
      ['/v1/allocations?node=ghost-node', 400, /ghost-node could not be found/],
      ['/v1/allocations?detail=true', 400, /detail/],
    ];
    for (const [url, status, message, version] of refusals) {
      const res = await call({ method: 'GET', url, ...(version ? { version } : {}) });
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
  });

  it('lets a patch change only name and extra, at 1.57', async () => {
    const res = await allocate({ resource_class: 'api-none', name: 'to-patch' });
    const uuid = String(bodyOf(res)['uuid']);
    const patch = (payload: object, version?: string) =>
      call({
        method: 'PATCH',
        url: `/v1/allocations/${uuid}`,
        payload,
        ...(version !== undefined ? { version } : {}),
      });

    const old = await patch([{ op: 'replace', path: '/name', value: 'x' }], '1.56');
    assert.equal(old.statusCode, 405);

    const ok = await patch([
      { op: 'replace', path: '/name', value: 'patched' },
      { op: 'add', path: '/extra/k', value: 'v' },
    ]);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual([bodyOf(ok)['name'], bodyOf(ok)['extra']], ['patched', { k: 'v' }]);

    const before = await snapshot();
    const refusals: [object, RegExp][] = [
      [
        [{ op: 'replace', path: '/resource_class', value: 'y' }],
        /Cannot patch \/resource_class\. Only the following can be updated: name, extra/,
      ],
      [[{ op: 'replace', path: '/owner', value: 'p' }], /Cannot patch \/owner/],
      [[{ op: 'replace', path: '/uuid', value: GHOST }], /Cannot patch \/uuid/],
      [[{ op: 'replace', path: '/name', value: 'bad name' }], /invalid name 'bad name'/],
      [[{ op: 'replace', path: '/name', value: 5 }], /name/],
      [[{ op: 'replace', path: '/extra', value: 'str' }], /extra/],
      // The first operation is fine, the second is not: nothing is applied.
      [
        [
          { op: 'replace', path: '/name', value: 'half' },
          { op: 'remove', path: '/extra/absent' },
        ],
        /non-existent/,
      ],
      [[{ op: 'move', path: '/name' }], /Invalid input/],
    ];
    for (const [payload, message] of refusals) {
      const r = await patch(payload);
      assert.equal(r.statusCode, 400, `${JSON.stringify(payload)}: ${r.body}`);
      assert.match(faultOf(r.body), message);
    }
    assert.equal(await snapshot(), before);
    const cleared = await patch([{ op: 'remove', path: '/name' }]);
    assert.equal(bodyOf(cleared)['name'], null);
    assert.equal((await patch([{ op: 'replace', path: '/extra', value: {} }])).statusCode, 200);
    const ghost = await call({
      method: 'PATCH',
      url: `/v1/allocations/${GHOST}`,
      payload: [{ op: 'replace', path: '/name', value: 'x' }],
    });
    assert.equal(ghost.statusCode, 404);
  });

  it('deletes allocations, refusing an active node outside maintenance', async () => {
    const freeRes = await allocate({ resource_class: 'api-none' });
    const free = String(bodyOf(freeRes)['uuid']);
    const del = await call({ method: 'DELETE', url: `/v1/allocations/${free}` });
    assert.equal(del.statusCode, 204, del.body);
    assert.equal((await call({ method: 'GET', url: `/v1/allocations/${free}` })).statusCode, 404);

    const node = await deployed({ resourceClass: 'api-del', name: 'del-node' });
    const res = await allocate({ node: 'del-node' });
    const uuid = String(bodyOf(res)['uuid']);
    const refused = await call({ method: 'DELETE', url: `/v1/nodes/del-node/allocation` });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.match(faultOf(refused.body), /maintenance/);
    const refusedToo = await call({ method: 'DELETE', url: `/v1/allocations/${uuid}` });
    assert.equal(refusedToo.statusCode, 409);
    await harness.h.act(harness.h.conductor.setMaintenance(node.uuid, true));
    const removed = await call({ method: 'DELETE', url: `/v1/nodes/del-node/allocation` });
    assert.equal(removed.statusCode, 204, removed.body);
    const after = await store.nodes.get(node.uuid);
    assert.deepEqual([after.allocationUuid, after.instanceUuid], [null, null]);
    const none = await call({ method: 'GET', url: `/v1/nodes/del-node/allocation` });
    assert.equal(none.statusCode, 404);
    assert.match(faultOf(none.body), /Allocation for node del-node could not be found/);
    assert.equal(
      (await call({ method: 'DELETE', url: `/v1/nodes/del-node/allocation` })).statusCode,
      404,
    );
    assert.equal(
      (await call({ method: 'DELETE', url: `/v1/allocations/${GHOST}` })).statusCode,
      404,
    );
    assert.equal((await call({ method: 'DELETE', url: '/v1/allocations/a%20b' })).statusCode, 400);
  });

  it('does not exist before 1.52', async () => {
    const get = await call({ method: 'GET', url: '/v1/allocations', version: '1.51' });
    assert.equal(get.statusCode, 404);
    const post = await call({
      method: 'POST',
      url: '/v1/allocations',
      payload: { resource_class: 'c' },
      version: '1.51',
    });
    assert.equal(post.statusCode, 405);
    const ofNode = await call({
      method: 'GET',
      url: '/v1/nodes/gpu-box/allocation',
      version: '1.51',
    });
    assert.equal(ofNode.statusCode, 404);
    const node = bodyOf(await call({ method: 'GET', url: '/v1/nodes/gpu-box', version: '1.51' }));
    assert.ok(!('allocation_uuid' in node));
  });
});

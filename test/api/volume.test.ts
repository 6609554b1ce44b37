import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Node } from '../../src/common/records.ts';
import type { Store } from '../../src/db/store.ts';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { bodyOf, caller, itemsOf, nextPath } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

describe('volume API', () => {
  let harness: ApiHarness;
  let store: Store;
  let call: Call;
  let node: Node;
  let spare: Node;

  before(async () => {
    harness = await startApi();
    store = harness.store;
    call = caller(harness.api);
    node = await harness.h.enroll({ name: 'vol-node' });
    spare = await harness.h.enroll({ name: 'vol-spare' });
    await store.nodes.update(node.uuid, { powerState: 'power off' });
    await store.nodes.update(spare.uuid, { powerState: 'power off' });
  });
  after(() => harness.close());

  const snapshot = async () =>
    JSON.stringify([await store.volumes.listConnectors(), await store.volumes.listTargets()]);

  it('exists from 1.32, with links to connectors and targets', async () => {
    assert.equal(
      (await call({ method: 'GET', url: '/v1/volume', version: '1.31' })).statusCode,
      404,
    );
    const root = bodyOf(await call({ method: 'GET', url: '/v1/volume' }));
    assert.match(JSON.stringify(root['connectors']), /\/v1\/volume\/connectors/);
    assert.match(JSON.stringify(root['targets']), /\/v1\/volume\/targets/);
    const nested = bodyOf(await call({ method: 'GET', url: '/v1/nodes/vol-node/volume' }));
    assert.match(
      JSON.stringify(nested['connectors']),
      new RegExp(`/v1/nodes/${node.uuid}/volume/connectors`),
    );
    const old = await call({
      method: 'POST',
      url: '/v1/volume/connectors',
      payload: { node_uuid: node.uuid, type: 'iqn', connector_id: 'iqn.x' },
      version: '1.31',
    });
    assert.equal(old.statusCode, 404);
  });

  it('creates connectors and targets, refusing malformed ones with nothing stored', async () => {
    const connector = await call({
      method: 'POST',
      url: '/v1/volume/connectors',
      payload: { node_uuid: node.uuid, type: 'iqn', connector_id: 'iqn.2010-10.org:node1' },
    });
    assert.equal(connector.statusCode, 201, connector.body);
    assert.match(String(connector.headers['location']), /\/v1\/volume\/connectors\/[0-9a-f-]{36}$/);
    assert.equal(bodyOf(connector)['node_uuid'], node.uuid);
    const target = await call({
      method: 'POST',
      url: '/v1/volume/targets',
      payload: {
        node_uuid: node.uuid,
        volume_type: 'iscsi',
        volume_id: 'vol-1',
        boot_index: 0,
        properties: { target_lun: 0 },
      },
    });
    assert.equal(target.statusCode, 201, target.body);
    assert.deepEqual(bodyOf(target)['properties'], { target_lun: 0 });

    const before = await snapshot();
    const cases: [string, Record<string, unknown>, number, RegExp][] = [
      ['connectors', { node_uuid: node.uuid, type: 'iqn' }, 400, /connector_id/],
      ['connectors', { node_uuid: node.uuid, type: 5, connector_id: 'x' }, 400, /type/],
      ['connectors', { node_uuid: 'nope', type: 'iqn', connector_id: 'x' }, 400, /Expected a UUID/],
      [
        'connectors',
        { node_uuid: node.uuid, type: 'iqn', connector_id: 'iqn.2010-10.org:node1' },
        409,
        /already exists/,
      ],
      [
        'connectors',
        { node_uuid: node.uuid, type: 'iqn', connector_id: 'y', colour: 1 },
        400,
        /colour/,
      ],
      [
        'targets',
        { node_uuid: node.uuid, volume_type: 'iscsi', volume_id: 'v2', boot_index: 'first' },
        400,
        /boot_index/,
      ],
      [
        'targets',
        { node_uuid: node.uuid, volume_type: 'iscsi', volume_id: 'v2', boot_index: 0 },
        409,
        /boot index '0'/,
      ],
      [
        'targets',
        {
          node_uuid: '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f',
          volume_type: 'iscsi',
          volume_id: 'v',
          boot_index: 1,
        },
        400,
        /could not be found/,
      ],
    ];
    for (const [kind, payload, status, message] of cases) {
      const res = await call({ method: 'POST', url: `/v1/volume/${kind}`, payload });
      assert.equal(res.statusCode, status, `${JSON.stringify(payload)}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
    assert.equal(await snapshot(), before);
  });

  it('lists them with node filters, fields, detail and pages', async () => {
    for (let i = 1; i <= 3; i++) {
      await call({
        method: 'POST',
        url: '/v1/volume/targets',
        payload: { node_uuid: spare.uuid, volume_type: 'iscsi', volume_id: `s${i}`, boot_index: i },
      });
    }
    const all = itemsOf(await call({ method: 'GET', url: '/v1/volume/targets' }), 'targets');
    assert.equal(all.length, 4);
    assert.deepEqual(Object.keys(all[0] ?? {}).sort(), [
      'boot_index',
      'links',
      'node_uuid',
      'uuid',
      'volume_id',
      'volume_type',
    ]);
    const detail = itemsOf(
      await call({ method: 'GET', url: '/v1/volume/targets?detail=true' }),
      'targets',
    );
    assert.ok('properties' in (detail[0] ?? {}));
    const mine = await call({
      method: 'GET',
      url: '/v1/volume/targets?node=vol-spare&sort_key=boot_index&sort_dir=desc',
    });
    assert.deepEqual(
      itemsOf(mine, 'targets').map((t) => t['boot_index']),
      [3, 2, 1],
    );
    const nested = await call({
      method: 'GET',
      url: '/v1/nodes/vol-spare/volume/targets?fields=volume_id',
    });
    assert.deepEqual(
      itemsOf(nested, 'targets').map((t) => Object.keys(t).sort()),
      [
        ['links', 'volume_id'],
        ['links', 'volume_id'],
        ['links', 'volume_id'],
      ],
    );
    const seen: unknown[] = [];
    let path: string | undefined = '/v1/volume/targets?limit=2&sort_key=volume_id';
    while (path !== undefined) {
      const page = await call({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200, page.body);
      seen.push(...itemsOf(page, 'targets').map((t) => t['volume_id']));
      path = nextPath(page);
    }
    assert.deepEqual(seen, ['s1', 's2', 's3', 'vol-1']);
    const refusals: [string, number][] = [
      ['/v1/volume/targets?sort_key=properties', 400],
      ['/v1/volume/targets?marker=5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f', 404],
      ['/v1/volume/targets?detail=true&fields=uuid', 400],
      ['/v1/volume/connectors?node=ghost', 404],
      ['/v1/volume/connectors?fields=wwpn', 400],
    ];
    for (const [url, status] of refusals) {
      assert.equal((await call({ method: 'GET', url })).statusCode, status, url);
    }
    const one = all[0];
    const nestedOne = await call({
      method: 'GET',
      url: `/v1/nodes/vol-spare/volume/targets/${String(one?.['uuid'])}`,
    });
    assert.equal(nestedOne.statusCode, 403);
    const shown = await call({
      method: 'GET',
      url: `/v1/volume/targets/${String(one?.['uuid'])}?fields=boot_index`,
    });
    assert.deepEqual(Object.keys(bodyOf(shown)).sort(), ['boot_index', 'links']);
    assert.equal((await call({ method: 'GET', url: '/v1/volume/targets/nope' })).statusCode, 400);
  });

  it('changes and deletes them only while their node is powered off', async () => {
    const connector = itemsOf(
      await call({ method: 'GET', url: '/v1/volume/connectors' }),
      'connectors',
    )[0];
    const url = `/v1/volume/connectors/${String(connector?.['uuid'])}`;
    const ok = await call({
      method: 'PATCH',
      url,
      payload: [
        { op: 'replace', path: '/connector_id', value: 'iqn.2010-10.org:node1b' },
        { op: 'add', path: '/extra/note', value: 'moved' },
      ],
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(bodyOf(ok)['connector_id'], 'iqn.2010-10.org:node1b');
    const before = await snapshot();
    const cases: [unknown[], number, RegExp][] = [
      [[{ op: 'remove', path: '/type' }], 400, /mandatory attribute/],
      [[{ op: 'replace', path: '/node_uuid', value: 'nope' }], 400, /Expected a UUID/],
      [[{ op: 'replace', path: '/uuid', value: 'x' }], 400, /internal attribute/],
      [[{ op: 'replace', path: '/type', value: 7 }], 400, /type/],
    ];
    for (const [ops, status, message] of cases) {
      const res = await call({ method: 'PATCH', url, payload: ops });
      assert.equal(res.statusCode, status, res.body);
      assert.match(faultOf(res.body), message);
    }
    await store.nodes.update(node.uuid, { powerState: 'power on' });
    const running = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'add', path: '/extra/x', value: 1 }],
    });
    assert.equal(running.statusCode, 400);
    assert.match(faultOf(running.body), /volume connector update.*power on/);
    assert.equal((await call({ method: 'DELETE', url })).statusCode, 400);
    assert.equal(await snapshot(), before);
    // Moving to a node that is running is refused as well.
    await store.nodes.update(node.uuid, { powerState: 'power off' });
    await store.nodes.update(spare.uuid, { powerState: 'power on' });
    const move = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'replace', path: '/node_uuid', value: spare.uuid }],
    });
    assert.equal(move.statusCode, 400);
    assert.equal(await snapshot(), before);
    await store.nodes.update(spare.uuid, { powerState: 'power off' });
    const moved = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'replace', path: '/node_uuid', value: spare.uuid }],
    });
    assert.equal(bodyOf(moved)['node_uuid'], spare.uuid);
    assert.equal((await call({ method: 'DELETE', url })).statusCode, 204);
    assert.equal((await call({ method: 'DELETE', url })).statusCode, 404);

    const target = itemsOf(
      await call({ method: 'GET', url: '/v1/volume/targets?node=vol-spare' }),
      'targets',
    ).find((t) => t['boot_index'] === 1);
    const targetUrl = `/v1/volume/targets/${String(target?.['uuid'])}`;
    const clash = await call({
      method: 'PATCH',
      url: targetUrl,
      payload: [{ op: 'replace', path: '/boot_index', value: 2 }],
    });
    assert.equal(clash.statusCode, 409);
    const fine = await call({
      method: 'PATCH',
      url: targetUrl,
      payload: [{ op: 'replace', path: '/boot_index', value: 9 }],
    });
    assert.equal(bodyOf(fine)['boot_index'], 9);
    assert.equal((await call({ method: 'DELETE', url: targetUrl })).statusCode, 204);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Node } from '../../src/common/records.ts';
import type { Store } from '../../src/db/store.ts';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { bodyOf, caller, itemsOf, nextPath } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

describe('portgroups API', () => {
  let harness: ApiHarness;
  let store: Store;
  let call: Call;
  let node: Node;
  let spare: Node;

  before(async () => {
    harness = await startApi();
    store = harness.store;
    call = caller(harness.api);
    node = await harness.h.enroll({ name: 'pg-node' });
    spare = await harness.h.enroll({ name: 'pg-spare' });
  });
  after(() => harness.close());

  const snapshot = async () => JSON.stringify(await store.portgroups.list({}, { sortKey: 'uuid' }));

  it('exists from 1.23, with mode and properties from 1.26', async () => {
    const payload = { node_uuid: node.uuid, name: 'bond0', address: '52:54:00:AB:00:01' };
    const old = await call({ method: 'POST', url: '/v1/portgroups', payload, version: '1.22' });
    assert.equal(old.statusCode, 404);
    const created = await call({ method: 'POST', url: '/v1/portgroups', payload, version: '1.23' });
    assert.equal(created.statusCode, 201, created.body);
    const pg = bodyOf(created);
    assert.match(String(created.headers['location']), /\/v1\/portgroups\/[0-9a-f-]{36}$/);
    assert.equal(pg['address'], '52:54:00:ab:00:01');
    assert.equal(pg['mode'], undefined);
    assert.equal(pg['ports'], undefined, 'the ports link is new in 1.24');
    const latest = bodyOf(await call({ method: 'GET', url: '/v1/portgroups/bond0' }));
    assert.equal(latest['mode'], 'active-backup', 'the default bonding mode');
    assert.deepEqual(latest['properties'], {});
    assert.equal(latest['standalone_ports_supported'], true);
    assert.match(JSON.stringify(latest['ports']), /portgroups\/[0-9a-f-]{36}\/ports/);
    const mode = await call({
      method: 'POST',
      url: '/v1/portgroups',
      payload: { node_uuid: node.uuid, mode: '802.3ad' },
      version: '1.25',
    });
    assert.equal(mode.statusCode, 406);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/portgroups', version: '1.22' })).statusCode,
      404,
    );
  });

  it('refuses malformed portgroups, storing nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ name: 'x' }, 400, /node_uuid/],
      [{ node_uuid: node.uuid, name: 'bad name!' }, 400, /Expected a logical name/],
      [{ node_uuid: node.uuid, address: 'nope' }, 400, /Expected a MAC address/],
      [{ node_uuid: node.uuid, standalone_ports_supported: 'sometimes' }, 400, /standalone/],
      [{ node_uuid: node.uuid, colour: 'red' }, 400, /colour/],
      [{ node_uuid: '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f' }, 400, /could not be found/],
      [{ node_uuid: node.uuid, name: 'bond0' }, 409, /name bond0 already exists/],
      [{ node_uuid: node.uuid, address: '52:54:00:ab:00:01' }, 409, /MAC address/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await call({ method: 'POST', url: '/v1/portgroups', payload });
      assert.equal(res.statusCode, status, res.body);
      assert.match(faultOf(res.body), message);
    }
    assert.equal(await snapshot(), before);
  });

  it('lists portgroups with filters, fields, pages and the nested node listing', async () => {
    for (let i = 1; i <= 3; i++) {
      const res = await call({
        method: 'POST',
        url: '/v1/portgroups',
        payload: { node_uuid: spare.uuid, name: `spare-${i}` },
      });
      assert.equal(res.statusCode, 201);
    }
    const all = itemsOf(await call({ method: 'GET', url: '/v1/portgroups' }), 'portgroups');
    assert.equal(all.length, 4);
    assert.deepEqual(Object.keys(all[0] ?? {}).sort(), ['address', 'links', 'name', 'uuid']);
    const mine = await call({ method: 'GET', url: '/v1/portgroups?node=pg-spare&fields=name' });
    assert.deepEqual(
      // Created at the same (simulated) instant: creation order ties, so compare as a set.
      itemsOf(mine, 'portgroups')
        .map((g) => String(g['name']))
        .sort(),
      ['spare-1', 'spare-2', 'spare-3'],
    );
    const byAddress = await call({
      method: 'GET',
      url: '/v1/portgroups?address=52:54:00:ab:00:01',
    });
    assert.equal(itemsOf(byAddress, 'portgroups')[0]?.['name'], 'bond0');
    const detail = itemsOf(
      await call({ method: 'GET', url: '/v1/portgroups/detail' }),
      'portgroups',
    );
    assert.equal(detail.find((g) => g['name'] === 'bond0')?.['node_uuid'], node.uuid);
    const seen: unknown[] = [];
    let path: string | undefined = '/v1/portgroups?limit=3';
    while (path !== undefined) {
      const page = await call({ method: 'GET', url: path });
      seen.push(...itemsOf(page, 'portgroups').map((g) => g['uuid']));
      path = nextPath(page);
    }
    assert.equal(new Set(seen).size, 4);
    const nested = await call({ method: 'GET', url: '/v1/nodes/pg-spare/portgroups' });
    assert.equal(itemsOf(nested, 'portgroups').length, 3);
    const nested123 = await call({
      method: 'GET',
      url: '/v1/nodes/pg-spare/portgroups',
      version: '1.23',
    });
    assert.equal(nested123.statusCode, 404);
    const one = await call({ method: 'GET', url: `/v1/nodes/pg-spare/portgroups/spare-1` });
    assert.equal(one.statusCode, 403);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/portgroups?sort_key=properties' })).statusCode,
      400,
    );
    assert.equal(
      (await call({ method: 'GET', url: '/v1/portgroups?fields=mode', version: '1.25' }))
        .statusCode,
      406,
    );
    assert.equal((await call({ method: 'GET', url: '/v1/portgroups/ghost' })).statusCode, 404);
  });

  it('patches portgroups, moving them only when empty and the nodes allow it', async () => {
    const url = '/v1/portgroups/spare-1';
    const ok = await call({
      method: 'PATCH',
      url,
      payload: [
        { op: 'replace', path: '/mode', value: '802.3ad' },
        { op: 'add', path: '/properties/miimon', value: '100' },
        { op: 'replace', path: '/name', value: 'spare-one' },
      ],
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(bodyOf(ok)['mode'], '802.3ad');
    assert.deepEqual(bodyOf(ok)['properties'], { miimon: '100' });
    const renamed = '/v1/portgroups/spare-one';
    const before = await snapshot();
    const cases: [unknown[], number, RegExp, string?][] = [
      [[{ op: 'remove', path: '/mode' }], 400, /mandatory attribute/],
      [[{ op: 'replace', path: '/name', value: 'no spaces' }], 400, /logical name/],
      [[{ op: 'replace', path: '/internal_info', value: {} }], 400, /internal attribute/],
      [[{ op: 'replace', path: '/mode', value: 'balance-rr' }], 406, /1\.26/, '1.25'],
      [
        [{ op: 'replace', path: '/node_uuid', value: '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f' }],
        400,
        /could not be found/,
      ],
      [[{ op: 'replace', path: '/address', value: 'nope' }], 400, /MAC/],
    ];
    for (const [ops, status, message, version] of cases) {
      const res = await call({
        method: 'PATCH',
        url: renamed,
        payload: ops,
        ...(version ? { version } : {}),
      });
      assert.equal(res.statusCode, status, `${JSON.stringify(ops)}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
    assert.equal(await snapshot(), before);

    // Moving to another node: refused while it holds ports, or while a node serves a workload.
    const port = await call({
      method: 'POST',
      url: '/v1/ports',
      payload: { node_uuid: spare.uuid, address: '52:54:00:ab:10:01', portgroup_uuid: 'spare-2' },
    });
    assert.equal(port.statusCode, 400, 'a portgroup is named by uuid in a port');
    const pg2 = bodyOf(await call({ method: 'GET', url: '/v1/portgroups/spare-2' }));
    const member = await call({
      method: 'POST',
      url: '/v1/ports',
      payload: { node_uuid: spare.uuid, address: '52:54:00:ab:10:01', portgroup_uuid: pg2['uuid'] },
    });
    assert.equal(member.statusCode, 201, member.body);
    const notEmpty = await call({
      method: 'PATCH',
      url: '/v1/portgroups/spare-2',
      payload: [{ op: 'replace', path: '/node_uuid', value: node.uuid }],
    });
    assert.equal(notEmpty.statusCode, 400);
    assert.match(faultOf(notEmpty.body), /contains ports/);
    const noStandalone = await call({
      method: 'PATCH',
      url: '/v1/portgroups/spare-2',
      payload: [{ op: 'replace', path: '/standalone_ports_supported', value: false }],
    });
    assert.equal(noStandalone.statusCode, 409);
    await store.nodes.update(node.uuid, { provisionState: 'active' });
    const busy = await call({
      method: 'PATCH',
      url: renamed,
      payload: [{ op: 'replace', path: '/node_uuid', value: node.uuid }],
    });
    assert.equal(busy.statusCode, 409);
    await store.nodes.update(node.uuid, { provisionState: 'manageable' });
    const moved = await call({
      method: 'PATCH',
      url: renamed,
      payload: [{ op: 'replace', path: '/node_uuid', value: node.uuid }],
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(bodyOf(moved)['node_uuid'], node.uuid);
  });

  it('deletes empty portgroups only', async () => {
    const full = await call({ method: 'DELETE', url: '/v1/portgroups/spare-2' });
    assert.equal(full.statusCode, 400);
    assert.match(faultOf(full.body), /contains ports/);
    assert.equal((await call({ method: 'DELETE', url: '/v1/portgroups/spare-3' })).statusCode, 204);
    assert.equal((await call({ method: 'GET', url: '/v1/portgroups/spare-3' })).statusCode, 404);
    assert.equal((await call({ method: 'DELETE', url: '/v1/portgroups/spare-3' })).statusCode, 404);
  });
});

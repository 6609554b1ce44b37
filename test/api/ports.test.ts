import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Node } from '../../src/common/records.ts';
import type { Store } from '../../src/db/store.ts';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import type { ConductorHarness } from '../support/conductor.ts';
import { bodyOf, caller, itemsOf, nextPath } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

describe('ports API', () => {
  let harness: ApiHarness;
  let store: Store;
  let h: ConductorHarness;
  let call: Call;
  let node: Node;
  let other: Node;

  before(async () => {
    harness = await startApi();
    ({ store, h } = harness);
    call = caller(harness.api);
    node = await h.enroll({ name: 'rack1-u01' });
    other = await h.enroll({ name: 'rack1-u02' });
  });
  after(() => harness.close());

  async function createPort(payload: Record<string, unknown>, version?: string) {
    return call({ method: 'POST', url: '/v1/ports', payload, ...(version ? { version } : {}) });
  }

  /** The ports as stored, to show a refused request changed nothing. */
  async function snapshot(): Promise<string> {
    return JSON.stringify(await store.ports.list({}, { sortKey: 'uuid' }));
  }

  it('creates a port (201 + Location) showing the fields of the request version', async () => {
    const res = await createPort({
      node_uuid: node.uuid,
      address: '52:54:00:AA:00:01',
      local_link_connection: { switch_id: '0A:1B:2C:3D:4E:5F', port_id: 'Gig0/1' },
      physical_network: 'physnet1',
    });
    assert.equal(res.statusCode, 201);
    const port = bodyOf(res);
    assert.match(String(res.headers['location']), new RegExp(`/v1/ports/${String(port['uuid'])}$`));
    assert.equal(port['address'], '52:54:00:aa:00:01');
    assert.deepEqual(port['local_link_connection'], {
      switch_id: '0a:1b:2c:3d:4e:5f',
      port_id: 'Gig0/1',
    });
    assert.equal(port['is_smartnic'], false);
    assert.equal(port['portgroup_uuid'], null);

    const url = `/v1/ports/${String(port['uuid'])}`;
    const v1 = bodyOf(await call({ method: 'GET', url, version: '1.1' }));
    assert.deepEqual(Object.keys(v1).sort(), [
      'address',
      'created_at',
      'extra',
      'links',
      'node_uuid',
      'updated_at',
      'uuid',
    ]);
    const v19 = bodyOf(await call({ method: 'GET', url, version: '1.19' }));
    assert.equal(v19['pxe_enabled'], true);
    assert.equal(v19['portgroup_uuid'], undefined, 'portgroup_uuid is new in 1.24');
    const v33 = bodyOf(await call({ method: 'GET', url, version: '1.33' }));
    assert.equal(v33['physical_network'], undefined, 'physical_network is new in 1.34');
    assert.equal(
      bodyOf(await call({ method: 'GET', url, version: '1.34' }))['physical_network'],
      'physnet1',
    );

    const fields = await call({ method: 'GET', url: `${url}?fields=address,pxe_enabled` });
    assert.deepEqual(Object.keys(bodyOf(fields)).sort(), ['address', 'links', 'pxe_enabled']);
    const tooNew = await call({ method: 'GET', url: `${url}?fields=is_smartnic`, version: '1.52' });
    assert.equal(tooNew.statusCode, 406);
    const noFields = await call({ method: 'GET', url: `${url}?fields=address`, version: '1.7' });
    assert.equal(noFields.statusCode, 406);
    const bogus = await call({ method: 'GET', url: `${url}?fields=colour` });
    assert.equal(bogus.statusCode, 400);
    assert.match(faultOf(bogus.body), /Field\(s\) "colour" are not valid/);
  });

  it('refuses malformed creations with a 400 that names the problem, storing nothing', async () => {
    const before = await snapshot();
    const cases: [Record<string, unknown>, number, RegExp, string?][] = [
      [{ address: '52:54:00:aa:00:09' }, 400, /node_uuid/],
      [{ node_uuid: node.uuid, address: 'not-a-mac' }, 400, /Expected a MAC address/],
      [{ node_uuid: node.uuid, address: 42 }, 400, /address/],
      [{ node_uuid: 'nope', address: '52:54:00:aa:00:09' }, 400, /Expected a UUID/],
      [
        { node_uuid: '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f', address: '52:54:00:aa:00:09' },
        400,
        /Node 5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f could not be found/,
      ],
      [{ node_uuid: node.uuid, address: '52:54:00:aa:00:09', colour: 'red' }, 400, /colour/],
      [{ node_uuid: node.uuid, address: '52:54:00:aa:00:09', extra: [] }, 400, /extra/],
      [
        { node_uuid: node.uuid, address: '52:54:00:aa:00:09', pxe_enabled: 'maybe' },
        400,
        /pxe_enabled/,
      ],
      [
        {
          node_uuid: node.uuid,
          address: '52:54:00:aa:00:09',
          local_link_connection: { port_id: 'x' },
        },
        400,
        /Missing mandatory keys/,
      ],
      [
        {
          node_uuid: node.uuid,
          address: '52:54:00:aa:00:09',
          local_link_connection: { switch_id: 'switch-1', port_id: 'x' },
        },
        400,
        /MAC address or OpenFlow datapath ID but received switch-1/,
      ],
      [
        {
          node_uuid: node.uuid,
          address: '52:54:00:aa:00:09',
          local_link_connection: { switch_id: '0a1b2c3d4e5f6a7b', port_id: 'x', vlan: 1 },
        },
        400,
        /vlan are invalid keys/,
      ],
      [
        { node_uuid: node.uuid, address: '52:54:00:aa:00:09', is_smartnic: true },
        400,
        /Smart NIC port must have port_id and hostname/,
      ],
      [
        { node_uuid: node.uuid, address: '52:54:00:aa:00:09', physical_network: 'p' },
        406,
        /physical_network.*1\.34/,
        '1.33',
      ],
      [
        {
          node_uuid: node.uuid,
          address: '52:54:00:aa:00:09',
          local_link_connection: { network_type: 'unmanaged' },
        },
        406,
        /network_type.*1\.64/,
        '1.63',
      ],
      [
        { node_uuid: node.uuid, address: '52:54:00:aa:00:09', portgroup_uuid: other.uuid },
        400,
        /Portgroup .* could not be found/,
      ],
    ];
    for (const [payload, status, message, version] of cases) {
      const res = await createPort(payload, version);
      assert.equal(res.statusCode, status, `${JSON.stringify(payload)}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
    const dup = await createPort({ node_uuid: node.uuid, address: '52:54:00:aa:00:01' });
    assert.equal(dup.statusCode, 409);
    assert.equal(await snapshot(), before);
    // An unmanaged network needs no switch details; a datapath id is a valid switch.
    const unmanaged = await createPort({
      node_uuid: node.uuid,
      address: '52:54:00:aa:00:0a',
      local_link_connection: { network_type: 'unmanaged' },
    });
    assert.equal(unmanaged.statusCode, 201);
    const datapath = await createPort({
      node_uuid: node.uuid,
      address: '52:54:00:aa:00:0b',
      local_link_connection: { switch_id: '0A1B2C3D4E5F6A7B', port_id: 'p1' },
    });
    assert.equal(bodyOf(datapath)['local_link_connection'] instanceof Object, true);
    assert.deepEqual(bodyOf(datapath)['local_link_connection'], {
      switch_id: '0a1b2c3d4e5f6a7b',
      port_id: 'p1',
    });
  });

  it('lists ports with filters, fields, detail and pages linked by next', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await createPort({
        node_uuid: other.uuid,
        address: `52:54:00:bb:00:0${i}`,
      });
      assert.equal(res.statusCode, 201);
    }
    const plain = itemsOf(await call({ method: 'GET', url: '/v1/ports' }), 'ports');
    assert.equal(plain.length, 8);
    assert.deepEqual(Object.keys(plain[0] ?? {}).sort(), ['address', 'links', 'uuid']);

    const byNode = itemsOf(await call({ method: 'GET', url: '/v1/ports?node=rack1-u02' }), 'ports');
    assert.equal(byNode.length, 5);
    const byUuid = await call({ method: 'GET', url: `/v1/ports?node_uuid=${other.uuid}` });
    assert.equal(itemsOf(byUuid, 'ports').length, 5);
    const byName110 = await call({
      method: 'GET',
      url: '/v1/ports?node=rack1-u02',
      version: '1.4',
    });
    assert.equal(byName110.statusCode, 406);
    const byAddress = await call({ method: 'GET', url: '/v1/ports?address=52:54:00:BB:00:03' });
    assert.deepEqual(
      itemsOf(byAddress, 'ports').map((p) => p['address']),
      ['52:54:00:bb:00:03'],
    );
    assert.equal((await call({ method: 'GET', url: '/v1/ports?address=zz' })).statusCode, 400);
    assert.equal((await call({ method: 'GET', url: '/v1/ports?node=ghost' })).statusCode, 404);

    const detail = itemsOf(await call({ method: 'GET', url: '/v1/ports?detail=true' }), 'ports');
    assert.equal(detail[0]?.['pxe_enabled'], true);
    const oldDetail = await call({ method: 'GET', url: '/v1/ports?detail=true', version: '1.42' });
    assert.equal(oldDetail.statusCode, 400);
    const both = await call({ method: 'GET', url: '/v1/ports?detail=true&fields=uuid' });
    assert.equal(both.statusCode, 400);
    const detailPath = itemsOf(
      await call({ method: 'GET', url: '/v1/ports/detail', version: '1.1' }),
      'ports',
    );
    assert.deepEqual(Object.keys(detailPath[0] ?? {}).sort(), [
      'address',
      'created_at',
      'extra',
      'links',
      'node_uuid',
      'updated_at',
      'uuid',
    ]);
    const withFields = itemsOf(
      await call({ method: 'GET', url: '/v1/ports?fields=node_uuid' }),
      'ports',
    );
    assert.deepEqual(Object.keys(withFields[0] ?? {}).sort(), ['links', 'node_uuid']);

    // Walk every page of two, by address descending, following next.
    const seen: string[] = [];
    let path: string | undefined =
      '/v1/ports?limit=2&sort_key=address&sort_dir=desc&fields=address';
    let pages = 0;
    while (path !== undefined) {
      const page = await call({ method: 'GET', url: path });
      assert.equal(page.statusCode, 200, page.body);
      for (const p of itemsOf(page, 'ports')) seen.push(String(p['address']));
      path = nextPath(page);
      pages += 1;
    }
    assert.equal(seen.length, 8);
    assert.deepEqual(seen, [...seen].sort().reverse());
    assert.equal(pages, 4, 'four full pages: the last has no next link, there is nothing after it');
    const first = await call({ method: 'GET', url: '/v1/ports?limit=2&fields=address' });
    assert.match(
      String(bodyOf(first)['next']),
      /\/v1\/ports\?sort_key=id&sort_dir=asc&fields=address&limit=2&marker=/,
    );

    const refusals: [string, number][] = [
      ['/v1/ports?limit=0', 400],
      ['/v1/ports?limit=many', 400],
      ['/v1/ports?sort_key=extra', 400],
      ['/v1/ports?sort_key=colour', 400],
      ['/v1/ports?sort_dir=up', 400],
      ['/v1/ports?marker=nope', 400],
      ['/v1/ports?marker=5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f', 404],
      ['/v1/ports?colour=red', 400],
      ['/v1/ports?portgroup=pg', 406],
      ['/v1/ports/detail?fields=uuid', 400],
    ];
    for (const [url, status] of refusals) {
      const res = await call({
        method: 'GET',
        url,
        ...(url.includes('portgroup') ? { version: '1.23' } : {}),
      });
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
    }
  });

  it("shows a node's ports read-only, and a portgroup's from 1.24", async () => {
    const nested = await call({ method: 'GET', url: '/v1/nodes/rack1-u02/ports?limit=3' });
    assert.equal(itemsOf(nested, 'ports').length, 3);
    assert.match(String(bodyOf(nested)['next']), /\/v1\/nodes\/rack1-u02\/ports\?/);
    const nestedDetail = itemsOf(
      await call({ method: 'GET', url: '/v1/nodes/rack1-u02/ports/detail' }),
      'ports',
    );
    assert.equal(nestedDetail.length, 5);
    assert.equal(nestedDetail[0]?.['node_uuid'], other.uuid);
    const port = nestedDetail[0];
    assert.ok(port);
    const one = await call({
      method: 'GET',
      url: `/v1/nodes/rack1-u02/ports/${String(port['uuid'])}`,
    });
    assert.equal(one.statusCode, 403);
    assert.equal((await call({ method: 'GET', url: '/v1/nodes/ghost/ports' })).statusCode, 404);

    const pg = await call({
      method: 'POST',
      url: '/v1/portgroups',
      payload: { node_uuid: other.uuid, name: 'bond0' },
    });
    assert.equal(pg.statusCode, 201);
    const pgUuid = String(bodyOf(pg)['uuid']);
    const joined = await call({
      method: 'PATCH',
      url: `/v1/ports/${String(port['uuid'])}`,
      payload: [{ op: 'replace', path: '/portgroup_uuid', value: pgUuid }],
    });
    assert.equal(joined.statusCode, 200, joined.body);
    const members = itemsOf(
      await call({ method: 'GET', url: '/v1/portgroups/bond0/ports' }),
      'ports',
    );
    assert.deepEqual(
      members.map((p) => p['uuid']),
      [port['uuid']],
    );
    const byFilter = itemsOf(
      await call({ method: 'GET', url: `/v1/ports?portgroup=${pgUuid}` }),
      'ports',
    );
    assert.equal(byFilter.length, 1);
    const old = await call({ method: 'GET', url: '/v1/portgroups/bond0/ports', version: '1.23' });
    assert.equal(old.statusCode, 404);
    const both = await call({ method: 'GET', url: `/v1/ports?portgroup=bond0&node=rack1-u02` });
    assert.equal(both.statusCode, 403);
  });

  it('patches ports by Ironic rules, refusing bad patches with nothing applied', async () => {
    const created = bodyOf(
      await createPort({ node_uuid: node.uuid, address: '52:54:00:cc:00:01' }),
    );
    const url = `/v1/ports/${String(created['uuid'])}`;
    const patch = (payload: unknown[], version?: string) =>
      call({ method: 'PATCH', url, payload, ...(version ? { version } : {}) });

    const ok = await patch([
      { op: 'add', path: '/extra/rack', value: 'r1' },
      { op: 'replace', path: '/pxe_enabled', value: false },
      {
        op: 'replace',
        path: '/local_link_connection',
        value: { switch_id: 'aa:bb:cc:dd:ee:ff', port_id: 'Eth1' },
      },
      { op: 'replace', path: '/physical_network', value: 'physnet2' },
    ]);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(bodyOf(ok)['extra'], { rack: 'r1' });
    assert.equal(bodyOf(ok)['pxe_enabled'], false);
    const removed = await patch([{ op: 'remove', path: '/physical_network' }]);
    assert.equal(bodyOf(removed)['physical_network'], null);

    const before = await snapshot();
    const cases: [unknown[], number, RegExp, string?][] = [
      [[{ op: 'remove', path: '/address' }], 400, /mandatory attribute/],
      [[{ op: 'replace', path: '/uuid', value: created['uuid'] }], 400, /internal attribute/],
      [[{ op: 'replace', path: '/internal_info', value: {} }], 400, /internal attribute/],
      [[{ op: 'replace', path: '/colour', value: 'red' }], 400, /Cannot patch \/colour/],
      [[{ op: 'replace', path: '/address', value: 'bad' }], 400, /Expected a MAC address/],
      [[{ op: 'replace', path: '/address', value: '52:54:00:aa:00:01' }], 409, /already exists/],
      [[{ op: 'replace', path: '/pxe_enabled', value: 'perhaps' }], 400, /pxe_enabled/],
      [[{ op: 'replace', path: '/extra', value: 'text' }], 400, /extra/],
      [[{ op: 'remove', path: '/extra/missing' }], 400, /non-existent/],
      [[{ op: 'replace', path: '/node_uuid', value: 'nope' }], 400, /Expected a UUID/],
      [
        [{ op: 'replace', path: '/node_uuid', value: '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f' }],
        400,
        /could not be found/,
      ],
      [[{ op: 'replace', path: '/local_link_connection/switch_id', value: 'sw' }], 400, /OpenFlow/],
      [[{ op: 'move', path: '/extra', from: '/extra' }], 400, /Invalid input/],
      [[{ op: 'replace', path: '/', value: 1 }], 400, /Invalid input/],
      [[{ op: 'replace', path: '/physical_network', value: 'x' }], 406, /1\.34/, '1.33'],
      [
        [{ op: 'replace', path: '/local_link_connection/network_type', value: 'managed' }],
        406,
        /1\.64/,
        '1.63',
      ],
      [
        [
          { op: 'replace', path: '/extra', value: { rack: 'r9' } },
          { op: 'replace', path: '/is_smartnic', value: true },
        ],
        400,
        /Smart NIC/,
      ],
    ];
    for (const [ops, status, message, version] of cases) {
      const res = await patch(ops, version);
      assert.equal(res.statusCode, status, `${JSON.stringify(ops)}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
    assert.equal(await snapshot(), before);
    assert.equal(
      (await call({ method: 'PATCH', url: '/v1/ports/nope', payload: [] })).statusCode,
      400,
    );
    const ghost = await call({
      method: 'PATCH',
      url: '/v1/ports/5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f',
      payload: [],
    });
    assert.equal(ghost.statusCode, 404);
  });

  it('keeps an active node wired: address and connectivity need maintenance', async () => {
    const active = await h.enroll({ name: 'busy' });
    const created = bodyOf(
      await createPort({ node_uuid: active.uuid, address: '52:54:00:dd:00:01' }),
    );
    const url = `/v1/ports/${String(created['uuid'])}`;
    await store.nodes.update(active.uuid, {
      provisionState: 'active',
      instanceUuid: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    });
    const before = await snapshot();
    const mac = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'replace', path: '/address', value: '52:54:00:dd:00:02' }],
    });
    assert.equal(mac.statusCode, 409);
    assert.match(faultOf(mac.body), /Cannot update hardware address/);
    const pxe = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'replace', path: '/pxe_enabled', value: false }],
    });
    assert.equal(pxe.statusCode, 409);
    assert.match(faultOf(pxe.body), /can not have any connectivity attributes/);
    const move = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'replace', path: '/node_uuid', value: node.uuid }],
    });
    assert.equal(move.statusCode, 409);
    assert.equal(await snapshot(), before);
    // extra is not wiring: it may change at any time.
    const extra = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'add', path: '/extra/x', value: 1 }],
    });
    assert.equal(extra.statusCode, 200);
    await store.nodes.update(active.uuid, { maintenance: true });
    const fixed = await call({
      method: 'PATCH',
      url,
      payload: [{ op: 'replace', path: '/address', value: '52:54:00:dd:00:02' }],
    });
    assert.equal(fixed.statusCode, 200, fixed.body);
    assert.equal(bodyOf(fixed)['address'], '52:54:00:dd:00:02');
  });

  it('refuses port changes while the node inspects, from 1.39', async () => {
    const inspecting = await h.enroll({ name: 'inspecting' });
    const created = bodyOf(
      await createPort({ node_uuid: inspecting.uuid, address: '52:54:00:ee:00:01' }),
    );
    await store.nodes.update(inspecting.uuid, { provisionState: 'inspecting' });
    const url = `/v1/ports/${String(created['uuid'])}`;
    const payload = [{ op: 'add', path: '/extra/a', value: 1 }];
    const refused = await call({ method: 'PATCH', url, payload });
    assert.equal(refused.statusCode, 409);
    assert.match(faultOf(refused.body), /while it is in state "inspecting"/);
    const legacy = await call({ method: 'PATCH', url, payload, version: '1.38' });
    assert.equal(legacy.statusCode, 200);
  });

  it('keeps portgroup members consistent: same node, standalone support, one physical network', async () => {
    const pg = bodyOf(
      await call({
        method: 'POST',
        url: '/v1/portgroups',
        payload: { node_uuid: node.uuid, name: 'bond-strict', standalone_ports_supported: false },
      }),
    );
    const pgUuid = String(pg['uuid']);
    const standalone = await createPort({
      node_uuid: node.uuid,
      address: '52:54:00:ff:00:01',
      portgroup_uuid: pgUuid,
      pxe_enabled: true,
    });
    assert.equal(standalone.statusCode, 409);
    assert.match(faultOf(standalone.body), /doesn't support standalone ports/);
    const member = await createPort({
      node_uuid: node.uuid,
      address: '52:54:00:ff:00:02',
      portgroup_uuid: pgUuid,
      pxe_enabled: false,
      physical_network: 'physnet1',
    });
    assert.equal(member.statusCode, 201, member.body);
    const otherNet = await createPort({
      node_uuid: node.uuid,
      address: '52:54:00:ff:00:03',
      portgroup_uuid: pgUuid,
      pxe_enabled: false,
      physical_network: 'physnet2',
    });
    assert.equal(otherNet.statusCode, 409);
    assert.match(faultOf(otherNet.body), /physical network physnet2 cannot become a member/);
    const foreign = await createPort({
      node_uuid: other.uuid,
      address: '52:54:00:ff:00:04',
      portgroup_uuid: pgUuid,
    });
    assert.equal(foreign.statusCode, 400);
    assert.match(faultOf(foreign.body), /portgroup belonging to a different node/);
    const memberUrl = `/v1/ports/${String(bodyOf(member)['uuid'])}`;
    const pxeOn = await call({
      method: 'PATCH',
      url: memberUrl,
      payload: [{ op: 'replace', path: '/pxe_enabled', value: true }],
    });
    assert.equal(pxeOn.statusCode, 409);
    const leave = await call({
      method: 'PATCH',
      url: memberUrl,
      payload: [{ op: 'remove', path: '/portgroup_uuid' }],
    });
    assert.equal(leave.statusCode, 200);
    assert.equal(bodyOf(leave)['portgroup_uuid'], null);
  });

  it('deletes ports, keeping those a VIF is bound to unless in maintenance', async () => {
    const owner = await h.enroll({ name: 'vif-owner' });
    const created = bodyOf(
      await createPort({ node_uuid: owner.uuid, address: '52:54:00:12:00:01' }),
    );
    const uuid = String(created['uuid']);
    await store.ports.update(uuid, { internalInfo: { tenant_vif_port_id: 'vif-1' } });
    const refused = await call({ method: 'DELETE', url: `/v1/ports/${uuid}` });
    assert.equal(refused.statusCode, 409);
    assert.match(faultOf(refused.body), /bound to VIF vif-1 for tenant use/);
    await store.nodes.update(owner.uuid, { maintenance: true });
    assert.equal((await call({ method: 'DELETE', url: `/v1/ports/${uuid}` })).statusCode, 204);
    assert.equal((await call({ method: 'GET', url: `/v1/ports/${uuid}` })).statusCode, 404);
    assert.equal((await call({ method: 'DELETE', url: `/v1/ports/${uuid}` })).statusCode, 404);
    assert.equal((await call({ method: 'DELETE', url: '/v1/ports/nope' })).statusCode, 400);
  });
});

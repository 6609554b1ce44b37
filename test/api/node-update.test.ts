import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { faultOf, startApi, TEST_SECRET } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

describe('PATCH /v1/nodes/{ident}', () => {
  let harness: ApiHarness;

  before(async () => {
    harness = await startApi();
  });
  after(async () => {
    await harness.close();
  });

  const call = (options: InjectOptions, version = 'latest') =>
    harness.api.inject({
      ...options,
      headers: { 'x-openstack-ironic-api-version': version, ...(options.headers ?? {}) },
    });
  const patch = (ident: string, body: unknown, query = '', version = 'latest') =>
    call({ method: 'PATCH', url: `/v1/nodes/${ident}${query}`, payload: body as object }, version);

  it('adds, replaces and removes keys the way `baremetal node set/unset` sends them', async () => {
    const node = await harness.h.enroll({
      name: 'p1',
      driverInfo: { fake_password: TEST_SECRET, fake_username: 'admin' },
    });
    const set = await patch('p1', [
      { op: 'add', path: '/properties/cpus', value: '8' },
      { op: 'add', path: '/extra/rack', value: 'r12' },
      { op: 'add', path: '/driver_info/fake_username', value: 'root' },
      { op: 'add', path: '/name', value: 'p1-renamed' },
      { op: 'replace', path: '/description', value: 'in row 4' },
    ]);
    assert.equal(set.statusCode, 200, set.body);
    const shown = set.json<Record<string, unknown>>();
    assert.deepEqual(shown['properties'], { cpus: '8' });
    assert.deepEqual(shown['driver_info'], { fake_password: '******', fake_username: 'root' });
    assert.equal(shown['name'], 'p1-renamed');
    const stored = await harness.store.nodes.get(node.uuid);
    assert.equal(stored.driverInfo['fake_password'], TEST_SECRET, 'the secret itself is kept');
    assert.equal(stored.description, 'in row 4');

    const unset = await patch(node.uuid, [
      { op: 'remove', path: '/extra/rack' },
      { op: 'remove', path: '/description' },
      { op: 'remove', path: '/properties' },
    ]);
    assert.equal(unset.statusCode, 200, unset.body);
    const after = await harness.store.nodes.get(node.uuid);
    assert.deepEqual([after.extra, after.description, after.properties], [{}, null, {}]);
  });

  it('refuses bad patches with a 400 that says why, and applies nothing', async () => {
    const node = await harness.h.enroll({ name: 'p2', extra: { keep: 'me' } });
    const cases: [unknown, RegExp][] = [
      [{ op: 'add', path: '/extra/x', value: 1 }, /body must be array/],
      [[{ op: 'move', path: '/extra/x', from: '/extra/keep' }], /op|additional/],
      [[{ op: 'add', path: 'extra', value: 1 }], /path/],
      [[{ op: 'add', path: '/extra/x' }], /need a value/],
      [[{ op: 'replace', path: '/provision_state', value: 'active' }], /Cannot patch/],
      [[{ op: 'replace', path: '/uuid', value: node.uuid }], /internal attribute/],
      [[{ op: 'add', path: '/traits', value: ['CUSTOM_X'] }], /node traits API/],
      [[{ op: 'add', path: '/nonsense', value: 1 }], /Cannot patch/],
      [[{ op: 'remove', path: '/extra/missing' }], /non-existent/],
      [[{ op: 'remove', path: '/driver' }], /mandatory/],
      [[{ op: 'replace', path: '/maintenance', value: 'perhaps' }], /boolean/],
      [[{ op: 'replace', path: '/instance_uuid', value: 'not-a-uuid' }], /UUID/],
      [[{ op: 'replace', path: '/name', value: 'has space' }], /logical name/],
      [[{ op: 'replace', path: '/properties', value: [1, 2] }], /object/],
      [[{ op: 'replace', path: '/chassis_uuid', value: crypto.randomUUID() }], /Chassis/],
      [[{ op: 'replace', path: '/power_interface', value: 'no-such' }], /no-such/],
      [
        [
          { op: 'add', path: '/extra/first', value: 'applied?' },
          { op: 'remove', path: '/extra/absent' },
        ],
        /non-existent/,
      ],
    ];
    for (const [body, why] of cases) {
      const res = await patch('p2', body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(faultOf(res.body), why, JSON.stringify(body));
    }
    const untouched = await harness.store.nodes.get(node.uuid);
    assert.deepEqual(untouched.extra, { keep: 'me' });
    assert.equal(untouched.powerInterface, node.powerInterface);
  });

  it('answers 406 for a field newer than the request, and 404 for an unknown node', async () => {
    await harness.h.enroll({ name: 'p3' });
    const old = await patch('p3', [{ op: 'add', path: '/owner', value: 'ops' }], '', '1.49');
    assert.equal(old.statusCode, 406, old.body);
    assert.match(faultOf(old.body), /1\.50/);
    const reset = await patch(
      'p3',
      [{ op: 'add', path: '/extra/a', value: 1 }],
      '?reset_interfaces=true',
    );
    assert.equal(reset.statusCode, 400);
    assert.match(faultOf(reset.body), /only be used when changing the node's driver/);
    assert.equal((await patch('no-such-node', [])).statusCode, 404);
  });

  it('changes the hardware type, resetting interfaces on request', async () => {
    const node = await harness.h.enroll({ name: 'p4' });
    const moved = await patch(
      'p4',
      [{ op: 'replace', path: '/driver', value: 'manual-management' }],
      '?reset_interfaces=true',
    );
    assert.equal(moved.statusCode, 200, moved.body);
    const shown = moved.json<Record<string, unknown>>();
    assert.equal(shown['driver'], 'manual-management');
    assert.equal(shown['management_interface'], 'noop');
    assert.equal((await harness.store.nodes.get(node.uuid)).driver, 'manual-management');
  });

  it('follows Ironic’s rules on what may change in which state', async () => {
    const { h } = harness;
    const node = await h.enroll({ name: 'p5' });
    const uuid = node.uuid;
    // Protected needs a workload.
    const early = await patch('p5', [{ op: 'replace', path: '/protected', value: true }]);
    assert.equal(early.statusCode, 409, early.body);
    await h.act(h.conductor.changeProvisionState(uuid, 'manage'));
    await h.act(h.conductor.changeProvisionState(uuid, 'provide'));
    // A reason without its flag is refused; retiring an available node too.
    const reason = await patch('p5', [{ op: 'add', path: '/retired_reason', value: 'old' }]);
    assert.equal(reason.statusCode, 400, reason.body);
    assert.equal(
      (await patch('p5', [{ op: 'replace', path: '/retired', value: true }])).statusCode,
      409,
    );
    await h.act(h.conductor.changeProvisionState(uuid, 'active'));
    // Interfaces are fixed on an active node unless it is in maintenance.
    const iface = await patch('p5', [{ op: 'replace', path: '/network_interface', value: 'noop' }]);
    assert.equal(iface.statusCode, 409, iface.body);
    assert.match(faultOf(iface.body), /network_interface/);
    const prot = await patch('p5', [
      { op: 'replace', path: '/protected', value: 'true' },
      { op: 'add', path: '/protected_reason', value: 'tenant database' },
      { op: 'add', path: '/instance_info/image_source', value: 'http://images/a.img' },
    ]);
    assert.equal(prot.statusCode, 200, prot.body);
    const protectedNode = await h.node(uuid);
    assert.deepEqual(
      [protectedNode.protected, protectedNode.protectedReason],
      [true, 'tenant database'],
    );
    await patch('p5', [{ op: 'replace', path: '/protected', value: false }]);
    assert.equal((await h.node(uuid)).protectedReason, null, 'the reason goes with the flag');
    // Maintenance set and cleared through a patch clears its reason and fault.
    await h.act(h.conductor.setMaintenance(uuid, true, 'fan'));
    await harness.store.nodes.update(uuid, { fault: 'power failure' });
    await patch('p5', [{ op: 'replace', path: '/maintenance', value: false }]);
    const cleared = await h.node(uuid);
    assert.deepEqual([cleared.maintenanceReason, cleared.fault], [null, null]);
  });

  it('refuses to replace an instance uuid, and any change mid-transition', async () => {
    const { h } = harness;
    const node = await h.enroll({ name: 'p6' });
    const first = crypto.randomUUID();
    assert.equal(
      (await patch('p6', [{ op: 'add', path: '/instance_uuid', value: first }])).statusCode,
      200,
    );
    const second = await patch('p6', [
      { op: 'replace', path: '/instance_uuid', value: crypto.randomUUID() },
    ]);
    assert.equal(second.statusCode, 409, second.body);
    await harness.store.nodes.update(node.uuid, {
      provisionState: 'deploying',
      targetProvisionState: 'active',
    });
    const busy = await patch('p6', [{ op: 'add', path: '/extra/a', value: 1 }]);
    assert.equal(busy.statusCode, 409, busy.body);
    assert.match(faultOf(busy.body), /state transition is in progress/);
  });
});

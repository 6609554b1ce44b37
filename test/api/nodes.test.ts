import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Store } from '../../src/db/store.ts';
import type { ConductorHarness } from '../support/conductor.ts';
import { faultOf, startApi, TEST_SECRET } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

describe('nodes API', () => {
  let store: Store;
  let h: ConductorHarness;
  let api: FastifyInstance;
  let harness: ApiHarness;

  before(async () => {
    harness = await startApi();
    ({ store, h, api } = harness);
  });
  after(async () => {
    // Closing checks that no answer carried TEST_SECRET.
    await harness.close();
  });

  async function call(options: InjectOptions & { version?: string }) {
    const { version, ...rest } = options;
    const res = await api.inject({
      ...rest,
      headers: { ...(rest.headers ?? {}), 'x-openstack-ironic-api-version': version ?? 'latest' },
    });
    return res;
  }

  it('creates a node in enroll (available before 1.11), masks secrets, and shows it by name', async () => {
    const res = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: {
        name: 'rack1-u01',
        driver: 'fake-hardware',
        driver_info: { bmc_address: '10.0.0.1', bmc_password: TEST_SECRET },
        properties: { cpus: 8 },
      },
    });
    assert.equal(res.statusCode, 201);
    const node = res.json<Record<string, unknown>>();
    assert.equal(node['provision_state'], 'enroll');
    assert.deepEqual(node['driver_info'], { bmc_address: '10.0.0.1', bmc_password: '******' });
    assert.equal(node['power_interface'], 'fake');
    assert.match(String(res.headers['location']), new RegExp(`/v1/nodes/${String(node['uuid'])}$`));
    const shown = await call({ method: 'GET', url: '/v1/nodes/rack1-u01' });
    assert.equal(shown.json<Record<string, unknown>>()['uuid'], node['uuid']);
    const old = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: { driver: 'fake-hardware' },
      version: '1.10',
    });
    assert.equal(old.json<Record<string, unknown>>()['provision_state'], 'available');
    const ancient = await call({
      method: 'GET',
      url: `/v1/nodes/${String(old.json<Record<string, unknown>>()['uuid'])}`,
      version: '1.1',
    });
    assert.equal(
      ancient.json<Record<string, unknown>>()['provision_state'],
      null,
      'available is new in 1.2',
    );
    assert.equal(ancient.json<Record<string, unknown>>()['name'], undefined, 'name is new in 1.5');
  });

  it('refuses malformed creations with 400s that say what is wrong, storing nothing', async () => {
    const before = await store.nodes.count();
    const cases: [unknown, RegExp][] = [
      [{ name: 'x' }, /driver/],
      [{ driver: 'fake-hardware', colour: 'red' }, /colour|additional/],
      [{ driver: 'fake-hardware', properties: 'lots' }, /properties/],
      [{ driver: 'fake-hardware', uuid: 'not-a-uuid' }, /Expected a UUID but received not-a-uuid/],
      [{ driver: 'idrac' }, /Could not find the following driver/],
      [{ driver: 'fake-hardware', raid_interface: 'no-such' }, /not enabled/],
    ];
    for (const [payload, pattern] of cases) {
      const res = await call({
        method: 'POST',
        url: '/v1/nodes',
        payload: payload as Record<string, unknown>,
      });
      assert.ok(
        res.statusCode === 400 || res.statusCode === 404,
        `${JSON.stringify(payload)} → ${res.statusCode}`,
      );
      assert.match(faultOf(res.body), pattern, JSON.stringify(payload));
    }
    const broken = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: '{"driver": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(broken.statusCode, 400);
    const tooNew = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: { driver: 'fake-hardware', owner: 'me' },
      version: '1.49',
    });
    // As in Ironic: a field the request's version does not know yet is "not acceptable".
    assert.equal(tooNew.statusCode, 406);
    assert.match(faultOf(tooNew.body), /"owner" needs API version 1\.50/);
    const huge = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: { driver: 'fake-hardware', extra: { blob: 'x'.repeat(2 * 1024 * 1024) } },
    });
    assert.equal(huge.statusCode, 413);
    assert.equal(await store.nodes.count(), before);
  });

  it('lists the default fields, details, chosen fields, filters and pages with a next link', async () => {
    for (let i = 0; i < 5; i++)
      await call({
        method: 'POST',
        url: '/v1/nodes',
        payload: { driver: 'manual-management', name: `page-${i}` },
      });
    const list = await call({ method: 'GET', url: '/v1/nodes?driver=manual-management' });
    const nodes = list.json<{ nodes: Record<string, unknown>[] }>().nodes;
    assert.equal(nodes.length, 5);
    assert.deepEqual(Object.keys(nodes[0] ?? {}).sort(), [
      'instance_uuid',
      'links',
      'maintenance',
      'name',
      'power_state',
      'provision_state',
      'uuid',
    ]);
    const detail = await call({ method: 'GET', url: '/v1/nodes/detail?driver=manual-management' });
    assert.ok(
      'driver_info' in (detail.json<{ nodes: Record<string, unknown>[] }>().nodes[0] ?? {}),
    );
    const fields = await call({
      method: 'GET',
      url: '/v1/nodes?fields=uuid,driver&driver=manual-management',
    });
    assert.deepEqual(
      Object.keys(fields.json<{ nodes: Record<string, unknown>[] }>().nodes[0] ?? {}).sort(),
      ['driver', 'links', 'uuid'],
    );
    const page = await call({
      method: 'GET',
      url: '/v1/nodes?driver=manual-management&limit=2&sort_key=name',
    });
    const body = page.json<{ nodes: { name: string }[]; next: string }>();
    assert.deepEqual(
      body.nodes.map((n) => n.name),
      ['page-0', 'page-1'],
    );
    assert.match(
      body.next,
      /\/v1\/nodes\?sort_key=name&sort_dir=asc&limit=2&marker=[0-9a-f-]{36}$/,
    );
    const second = await call({
      method: 'GET',
      url: body.next.replace(/^https?:\/\/[^/]+/, '') + '&driver=manual-management',
    });
    assert.deepEqual(
      second.json<{ nodes: { name: string }[] }>().nodes.map((n) => n.name),
      ['page-2', 'page-3'],
    );
    const maintenance = await call({
      method: 'GET',
      url: '/v1/nodes?maintenance=True&driver=manual-management',
    });
    assert.equal(maintenance.json<{ nodes: unknown[] }>().nodes.length, 0);
    for (const [url, pattern] of [
      ['/v1/nodes?limit=0', /Limit must be positive/],
      ['/v1/nodes?sort_key=driver_info', /invalid field for sorting/],
      ['/v1/nodes?sort_dir=up', /Invalid sort direction/],
      ['/v1/nodes?marker=nope', /Expected a UUID/],
      ['/v1/nodes?fields=uuid,password', /are not valid/],
      ['/v1/nodes?maintenance=perhaps', /expected a boolean/],
      ['/v1/nodes?flavour=vanilla', /flavour|additional/],
    ] as const) {
      const res = await call({ method: 'GET', url });
      assert.equal(res.statusCode, 400, url);
      assert.match(faultOf(res.body), pattern, url);
    }
  });

  it('drives a node through manage, provide, deploy and power, answering 202', async () => {
    const created = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: {
        name: 'worker-1',
        driver: 'fake-hardware',
        driver_info: { bmc_password: TEST_SECRET },
      },
    });
    const uuid = String(created.json<Record<string, unknown>>()['uuid']);
    for (const target of ['manage', 'provide', 'active']) {
      const res = await call({
        method: 'PUT',
        url: `/v1/nodes/${uuid}/states/provision`,
        payload: { target },
      });
      assert.equal(res.statusCode, 202, target);
      await h.settle();
    }
    const states = await call({ method: 'GET', url: `/v1/nodes/${uuid}/states` });
    assert.equal(states.json<Record<string, unknown>>()['provision_state'], 'active');
    const power = await call({
      method: 'PUT',
      url: `/v1/nodes/worker-1/states/power`,
      payload: { target: 'power on', timeout: 30 },
    });
    assert.equal(power.statusCode, 202);
    await h.settle();
    assert.equal(
      (await call({ method: 'GET', url: `/v1/nodes/${uuid}` })).json<Record<string, unknown>>()[
        'power_state'
      ],
      'power on',
    );
    const refused = await call({
      method: 'PUT',
      url: `/v1/nodes/${uuid}/states/provision`,
      payload: { target: 'manage' },
    });
    assert.equal(refused.statusCode, 400);
    assert.match(
      faultOf(refused.body),
      /while it is in state "active"\. Allowed in this state: .*rebuild/,
    );
    const rescue = await call({
      method: 'PUT',
      url: `/v1/nodes/${uuid}/states/provision`,
      payload: { target: 'rescue', rescue_password: TEST_SECRET },
    });
    assert.equal(rescue.statusCode, 202);
    await h.settle();
    const rescued = await call({ method: 'GET', url: `/v1/nodes/${uuid}` });
    assert.equal(
      rescued.json<{ instance_info: Record<string, unknown> }>().instance_info['rescue_password'],
      '******',
    );
    assert.equal(
      (
        await call({
          method: 'PUT',
          url: `/v1/nodes/${uuid}/states/power`,
          payload: { target: 'power sideways' },
        })
      ).statusCode,
      400,
    );
    assert.equal(
      (
        await call({
          method: 'PUT',
          url: `/v1/nodes/${uuid}/states/power`,
          payload: { target: 'soft power off' },
          version: '1.26',
        })
      ).statusCode,
      400,
    );
  });

  it('deletes a node, and answers 404 for one that does not exist', async () => {
    const created = await call({
      method: 'POST',
      url: '/v1/nodes',
      payload: { driver: 'fake-hardware', name: 'short-lived' },
    });
    const uuid = String(created.json<Record<string, unknown>>()['uuid']);
    assert.equal((await call({ method: 'DELETE', url: `/v1/nodes/${uuid}` })).statusCode, 204);
    const gone = await call({ method: 'GET', url: `/v1/nodes/${uuid}` });
    assert.equal(gone.statusCode, 404);
    assert.match(faultOf(gone.body), /Node .* could not be found/);
  });
});

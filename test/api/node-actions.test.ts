import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Store } from '../../src/db/store.ts';
import type { ConductorHarness } from '../support/conductor.ts';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

describe('node actions and ports API', () => {
  let store: Store;
  let h: ConductorHarness;
  let api: FastifyInstance;
  let harness: ApiHarness;
  let uuid: string;

  before(async () => {
    harness = await startApi();
    ({ store, h, api } = harness);
    uuid = (await h.enroll({ name: 'n1' })).uuid;
  });
  after(async () => {
    await harness.close();
  });

  const call = (options: InjectOptions) =>
    api.inject({
      ...options,
      headers: { 'x-openstack-ironic-api-version': 'latest', ...(options.headers ?? {}) },
    });

  it('sets and clears maintenance with a reason', async () => {
    assert.equal(
      (
        await call({
          method: 'PUT',
          url: '/v1/nodes/n1/maintenance',
          payload: { reason: 'DIMM swap' },
        })
      ).statusCode,
      202,
    );
    let node = await store.nodes.get(uuid);
    assert.deepEqual([node.maintenance, node.maintenanceReason], [true, 'DIMM swap']);
    assert.equal(
      (await call({ method: 'DELETE', url: '/v1/nodes/n1/maintenance' })).statusCode,
      202,
    );
    node = await store.nodes.get(uuid);
    assert.deepEqual([node.maintenance, node.maintenanceReason], [false, null]);
    assert.equal(
      (await call({ method: 'PUT', url: '/v1/nodes/n1/maintenance', payload: { why: 'x' } }))
        .statusCode,
      400,
    );
  });

  it('sets, reads and lists boot devices, and injects an NMI', async () => {
    const set = await call({
      method: 'PUT',
      url: '/v1/nodes/n1/management/boot_device',
      payload: { boot_device: 'pxe', persistent: true },
    });
    assert.equal(set.statusCode, 204);
    assert.deepEqual(
      (await call({ method: 'GET', url: '/v1/nodes/n1/management/boot_device' })).json(),
      { boot_device: 'pxe', persistent: true },
    );
    assert.deepEqual(
      (await call({ method: 'GET', url: '/v1/nodes/n1/management/boot_device/supported' })).json(),
      {
        supported_boot_devices: ['pxe', 'disk', 'cdrom', 'bios', 'safe'],
      },
    );
    const bad = await call({
      method: 'PUT',
      url: '/v1/nodes/n1/management/boot_device',
      payload: { boot_device: 'tape' },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(faultOf(bad.body), /Invalid boot device tape/);
    assert.equal(
      (await call({ method: 'PUT', url: '/v1/nodes/n1/management/inject_nmi' })).statusCode,
      204,
    );
    assert.equal((await store.nodes.get(uuid)).driverInternalInfo['fake_nmi_count'], 1);
    const old = await call({
      method: 'PUT',
      url: '/v1/nodes/n1/management/inject_nmi',
      headers: { 'x-openstack-ironic-api-version': '1.28' },
    });
    assert.equal(old.statusCode, 404);
  });

  it('validates every interface', async () => {
    const res = await call({ method: 'GET', url: '/v1/nodes/n1/validate' });
    const report = res.json<Record<string, { result: boolean; reason?: string }>>();
    assert.deepEqual(report['power'], { result: true });
    assert.equal(Object.keys(report).length, 11);
  });

  it('creates, finds by address, shows and deletes ports, refusing bad MACs and duplicates', async () => {
    const created = await call({
      method: 'POST',
      url: '/v1/ports',
      payload: { node_uuid: uuid, address: '52:54:00:AA:BB:CC', pxe_enabled: true },
    });
    assert.equal(created.statusCode, 201);
    const port = created.json<Record<string, unknown>>();
    assert.equal(port['address'], '52:54:00:aa:bb:cc');
    const found = await call({ method: 'GET', url: '/v1/ports?address=52:54:00:aa:bb:cc' });
    assert.deepEqual(
      found.json<{ ports: { uuid: string }[] }>().ports.map((p) => p.uuid),
      [port['uuid']],
    );
    const byNode = await call({ method: 'GET', url: '/v1/ports?node=n1&detail=true' });
    assert.equal(
      byNode.json<{ ports: Record<string, unknown>[] }>().ports[0]?.['pxe_enabled'],
      true,
    );
    const dup = await call({
      method: 'POST',
      url: '/v1/ports',
      payload: { node_uuid: uuid, address: '52:54:00:aa:bb:cc' },
    });
    assert.equal(dup.statusCode, 409);
    assert.match(faultOf(dup.body), /A port with MAC address 52:54:00:aa:bb:cc already exists/);
    const badMac = await call({
      method: 'POST',
      url: '/v1/ports',
      payload: { node_uuid: uuid, address: 'not-a-mac' },
    });
    assert.equal(badMac.statusCode, 400);
    assert.match(faultOf(badMac.body), /Expected a MAC address but received not-a-mac/);
    const noNode = await call({
      method: 'POST',
      url: '/v1/ports',
      payload: { node_uuid: '5f0c1a3e-1d2b-4c6a-9e8f-0a1b2c3d4e5f', address: '52:54:00:00:00:01' },
    });
    // A missing node named in the body is bad input (400), as in Ironic: the URL was fine.
    assert.equal(noNode.statusCode, 400);
    assert.equal(
      (await call({ method: 'GET', url: `/v1/ports/${String(port['uuid'])}` })).statusCode,
      200,
    );
    assert.equal(
      (await call({ method: 'DELETE', url: `/v1/ports/${String(port['uuid'])}` })).statusCode,
      204,
    );
    assert.equal(
      (await call({ method: 'GET', url: `/v1/ports/${String(port['uuid'])}` })).statusCode,
      404,
    );
  });
});

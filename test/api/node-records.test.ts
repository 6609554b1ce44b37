import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

describe('node history, BIOS settings, inventory and shards', () => {
  let harness: ApiHarness;

  before(async () => {
    harness = await startApi();
  });
  after(async () => {
    await harness.close();
  });

  const call = (options: InjectOptions, version = 'latest') =>
    harness.h.act(
      harness.api.inject({
        ...options,
        headers: { 'x-openstack-ironic-api-version': version, ...(options.headers ?? {}) },
      }),
    );
  type Body = Record<string, unknown>;

  it('lists a node’s failures in its history, briefly or in detail, and shows one', async () => {
    const node = await harness.h.enroll({ name: 'hist1', driver: 'scripted-hardware' });
    harness.h.power.bmc(node.uuid).failing = true;
    // Each new last_error is an event (a failure repeating the previous message is not).
    for (const target of ['power on', 'power off', 'rebooting']) {
      await call({ method: 'PUT', url: '/v1/nodes/hist1/states/power', payload: { target } });
    }
    const list = await call({ method: 'GET', url: '/v1/nodes/hist1/history' });
    assert.equal(list.statusCode, 200, list.body);
    const events = list.json<{ history: Body[] }>().history;
    assert.equal(events.length, 3);
    assert.deepEqual(Object.keys(events[0] ?? {}).sort(), [
      'created_at',
      'event',
      'links',
      'severity',
      'uuid',
    ]);
    assert.equal(events[0]?.['severity'], 'ERROR');
    const page = await call({ method: 'GET', url: '/v1/nodes/hist1/history?limit=2&detail=true' });
    const paged = page.json<{ history: Body[]; next: string }>();
    assert.equal(paged.history.length, 2);
    assert.equal(paged.history[0]?.['event_type'], 'power');
    assert.match(paged.next, /\/v1\/nodes\/[0-9a-f-]+\/history\?detail=True&limit=2&marker=/);
    const first = events[0];
    assert.ok(first);
    const one = await call({
      method: 'GET',
      url: `/v1/nodes/hist1/history/${String(first['uuid'])}`,
    });
    assert.equal(one.json<Body>()['conductor'], 'conductor-1');
    const missing = await call({
      method: 'GET',
      url: `/v1/nodes/hist1/history/${crypto.randomUUID()}`,
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/nodes/hist1/history' }, '1.77')).statusCode,
      404,
    );
  });

  it('shows BIOS settings by name, with the registry fields in detail from 1.74', async () => {
    const node = await harness.h.enroll({ name: 'bios1' });
    await harness.store.bios.replace(node.uuid, [
      {
        name: 'ProcVirtualization',
        value: 'Enabled',
        attributeType: 'Enumeration',
        allowableValues: ['Enabled', 'Disabled'],
      },
      { name: 'BootMode', value: 'Uefi' },
    ]);
    const list = await call({ method: 'GET', url: '/v1/nodes/bios1/bios' });
    const settings = list.json<{ bios: Body[] }>().bios;
    assert.deepEqual(settings.map((s) => s['name']).sort(), ['BootMode', 'ProcVirtualization']);
    assert.deepEqual(Object.keys(settings[0] ?? {}).sort(), ['links', 'name', 'value']);
    const detail = await call({ method: 'GET', url: '/v1/nodes/bios1/bios?detail=true' });
    const virt = detail
      .json<{ bios: Body[] }>()
      .bios.find((s) => s['name'] === 'ProcVirtualization');
    assert.deepEqual(virt?.['allowable_values'], ['Enabled', 'Disabled']);
    const one = await call({ method: 'GET', url: '/v1/nodes/bios1/bios/BootMode' });
    assert.equal(one.json<Record<string, Body>>()['BootMode']?.['value'], 'Uefi');
    assert.equal((await call({ method: 'GET', url: '/v1/nodes/bios1/bios/Nope' })).statusCode, 404);
    const old = await call({ method: 'GET', url: '/v1/nodes/bios1/bios?detail=true' }, '1.73');
    assert.equal(old.statusCode, 400);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/nodes/bios1/bios' }, '1.39')).statusCode,
      404,
    );
  });

  it('shows the inventory inspection found, and 404 before inspection', async () => {
    const node = await harness.h.enroll({ name: 'inv1' });
    await harness.store.ports.create({ nodeUuid: node.uuid, address: '52:54:00:00:11:22' });
    const before = await call({ method: 'GET', url: '/v1/nodes/inv1/inventory' });
    assert.equal(before.statusCode, 404);
    assert.match(faultOf(before.body), /inventory/);
    await call({
      method: 'PUT',
      url: '/v1/nodes/inv1/states/provision',
      payload: { target: 'manage' },
    });
    await call({
      method: 'PUT',
      url: '/v1/nodes/inv1/states/provision',
      payload: { target: 'inspect' },
    });
    const found = await call({ method: 'GET', url: '/v1/nodes/inv1/inventory' });
    assert.equal(found.statusCode, 200, found.body);
    const body = found.json<{
      inventory: { cpu: { count: number }; interfaces: Body[] };
      plugin_data: Body;
    }>();
    assert.equal(body.inventory.cpu.count, 8);
    assert.deepEqual(
      body.inventory.interfaces.map((i) => i['mac_address']),
      ['52:54:00:00:11:22'],
    );
    assert.equal(
      (await call({ method: 'GET', url: '/v1/nodes/inv1/inventory' }, '1.80')).statusCode,
      404,
    );
    // Inspection also read the BIOS settings.
    const bios = await call({ method: 'GET', url: '/v1/nodes/inv1/bios?detail=true' });
    const settings = bios.json<{ bios: Body[] }>().bios;
    assert.deepEqual(settings.map((b) => b['name']).sort(), [
      'BootMode',
      'ProcVirtualization',
      'SerialNumber',
    ]);
    assert.equal(settings.find((b) => b['name'] === 'SerialNumber')?.['read_only'], true);
  });

  it('counts nodes per shard', async () => {
    await harness.h.enroll({ shard: 'east' });
    await harness.h.enroll({ shard: 'east' });
    await harness.h.enroll({ shard: 'west' });
    const res = await call({ method: 'GET', url: '/v1/shards' });
    const shards = res.json<{ shards: { name: string | null; count: number }[] }>().shards;
    assert.deepEqual(
      shards.filter((s) => s.name !== null),
      [
        { name: 'east', count: 2 },
        { name: 'west', count: 1 },
      ],
    );
    const east = await call({ method: 'GET', url: '/v1/nodes?shard=east' });
    assert.equal(east.json<{ nodes: Body[] }>().nodes.length, 2);
    const unsharded = await call({ method: 'GET', url: '/v1/nodes?sharded=false&fields=shard' });
    assert.ok(unsharded.json<{ nodes: Body[] }>().nodes.every((n) => n['shard'] === null));
    assert.equal((await call({ method: 'GET', url: '/v1/shards' }, '1.81')).statusCode, 404);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/nodes?shard=east' }, '1.81')).statusCode,
      406,
    );
  });
});

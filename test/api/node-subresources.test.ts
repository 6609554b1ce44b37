import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { faultOf, startApi, TEST_SECRET } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

describe('node traits, VIFs, vendor passthru, console, RAID and the agent endpoints', () => {
  let harness: ApiHarness;
  let uuid: string;

  before(async () => {
    harness = await startApi();
    uuid = (
      await harness.h.enroll({
        name: 'sub1',
        driverInfo: { fake_password: TEST_SECRET },
        instanceInfo: { image_source: 'http://images/x.img', admin_pass: TEST_SECRET },
      })
    ).uuid;
  });
  after(async () => {
    await harness.close();
  });

  const call = async (options: InjectOptions, version = 'latest') => {
    const res = await harness.h.act(
      harness.api.inject({
        ...options,
        headers: { 'x-openstack-ironic-api-version': version, ...(options.headers ?? {}) },
      }),
    );
    return res;
  };

  it('replaces, adds and removes traits, refusing bad names and old versions', async () => {
    const put = await call({
      method: 'PUT',
      url: '/v1/nodes/sub1/traits',
      payload: { traits: ['CUSTOM_GPU', 'HW_CPU_X86_AVX2'] },
    });
    assert.equal(put.statusCode, 204, put.body);
    assert.equal(
      (await call({ method: 'PUT', url: '/v1/nodes/sub1/traits/CUSTOM_RAID1' })).statusCode,
      204,
    );
    const list = await call({ method: 'GET', url: '/v1/nodes/sub1/traits' });
    assert.deepEqual(list.json<{ traits: string[] }>().traits.sort(), [
      'CUSTOM_GPU',
      'CUSTOM_RAID1',
      'HW_CPU_X86_AVX2',
    ]);
    const node = await call({ method: 'GET', url: '/v1/nodes/sub1?fields=traits' });
    assert.equal(node.json<{ traits: string[] }>().traits.length, 3);
    assert.equal(
      (await call({ method: 'DELETE', url: '/v1/nodes/sub1/traits/CUSTOM_GPU' })).statusCode,
      204,
    );
    const missing = await call({ method: 'DELETE', url: '/v1/nodes/sub1/traits/CUSTOM_GPU' });
    assert.equal(missing.statusCode, 404);
    assert.match(faultOf(missing.body), /doesn't have a trait 'CUSTOM_GPU'/);
    for (const bad of ['lowercase', 'CUSTOM_', 'NOUNDERSCORE', 'CUSTOM_A-B']) {
      const res = await call({ method: 'PUT', url: `/v1/nodes/sub1/traits/${bad}` });
      assert.equal(res.statusCode, 400, bad);
      assert.match(faultOf(res.body), /Invalid trait/);
    }
    const tooMany = await call({
      method: 'PUT',
      url: '/v1/nodes/sub1/traits',
      payload: { traits: Array.from({ length: 51 }, (_, i) => `CUSTOM_T${i}`) },
    });
    assert.equal(tooMany.statusCode, 400);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/nodes/sub1/traits' }, '1.36')).statusCode,
      404,
    );
    assert.equal((await call({ method: 'DELETE', url: '/v1/nodes/sub1/traits' })).statusCode, 204);
    assert.deepEqual((await harness.store.nodes.get(uuid)).traits, []);
  });

  it('attaches, lists and detaches VIFs', async () => {
    await harness.store.ports.create({ nodeUuid: uuid, address: '52:54:00:aa:bb:01' });
    const vif = crypto.randomUUID();
    const attach = await call({ method: 'POST', url: '/v1/nodes/sub1/vifs', payload: { id: vif } });
    assert.equal(attach.statusCode, 204, attach.body);
    const list = await call({ method: 'GET', url: '/v1/nodes/sub1/vifs' });
    assert.deepEqual(list.json(), { vifs: [{ id: vif }] });
    const bad = await call({
      method: 'POST',
      url: '/v1/nodes/sub1/vifs',
      payload: { id: 'x', port_uuid: 'not-a-uuid' },
    });
    assert.equal(bad.statusCode, 400);
    const old = await call(
      {
        method: 'POST',
        url: '/v1/nodes/sub1/vifs',
        payload: { id: 'x', port_uuid: crypto.randomUUID() },
      },
      '1.66',
    );
    assert.equal(old.statusCode, 406);
    assert.equal(
      (await call({ method: 'DELETE', url: `/v1/nodes/sub1/vifs/${vif}` })).statusCode,
      204,
    );
    assert.equal(
      (await call({ method: 'DELETE', url: `/v1/nodes/sub1/vifs/${vif}` })).statusCode,
      400,
    );
  });

  it('lists and calls node and driver vendor passthru methods', async () => {
    const methods = await call({ method: 'GET', url: '/v1/nodes/sub1/vendor_passthru/methods' });
    assert.equal(methods.statusCode, 200);
    const listed = methods.json<Record<string, { http_methods: string[]; async: boolean }>>();
    assert.deepEqual(listed['third_method_sync']?.http_methods, ['POST']);
    const sync = await call({
      method: 'POST',
      url: '/v1/nodes/sub1/vendor_passthru/third_method_sync',
      payload: { bar: 'meow' },
    });
    assert.equal(sync.statusCode, 200, sync.body);
    assert.equal(sync.json(), true);
    const byQuery = await call({
      method: 'POST',
      url: '/v1/nodes/sub1/vendor_passthru?method=first_method',
      payload: { bar: 'baz' },
    });
    assert.equal(byQuery.statusCode, 202, 'an asynchronous method answers 202');
    const missingArg = await call({
      method: 'POST',
      url: '/v1/nodes/sub1/vendor_passthru/first_method',
      payload: {},
    });
    assert.equal(missingArg.statusCode, 400);
    assert.match(faultOf(missingArg.body), /'bar' not passed/);
    const wrongVerb = await call({
      method: 'GET',
      url: '/v1/nodes/sub1/vendor_passthru/first_method',
    });
    assert.equal(wrongVerb.statusCode, 400);
    const unknown = await call({
      method: 'POST',
      url: '/v1/nodes/sub1/vendor_passthru/nope',
      payload: {},
    });
    assert.equal(unknown.statusCode, 400);
    const noMethod = await call({
      method: 'POST',
      url: '/v1/nodes/sub1/vendor_passthru',
      payload: {},
    });
    assert.match(faultOf(noMethod.body), /Method not specified/);

    const driverMethods = await call({
      method: 'GET',
      url: '/v1/drivers/fake-hardware/vendor_passthru/methods',
    });
    assert.ok('echo' in driverMethods.json<Record<string, unknown>>());
    const echo = await call({
      method: 'POST',
      url: '/v1/drivers/fake-hardware/vendor_passthru/echo',
      payload: { hello: 'world' },
    });
    assert.deepEqual(echo.json(), { hello: 'world' });
    const badArgs = await call({
      method: 'POST',
      url: '/v1/drivers/fake-hardware/vendor_passthru/sleep',
      payload: { seconds: -1 },
    });
    assert.equal(badArgs.statusCode, 400);
    const noDriver = await call({ method: 'GET', url: '/v1/drivers/nope/vendor_passthru/methods' });
    assert.equal(noDriver.statusCode, 404);
  });

  it('starts the console and shows where to reach it, and sets the RAID target', async () => {
    const off = await call({ method: 'GET', url: '/v1/nodes/sub1/states/console' });
    assert.deepEqual(off.json(), { console_enabled: false, console_info: null });
    const start = await call({
      method: 'PUT',
      url: '/v1/nodes/sub1/states/console',
      payload: { enabled: true },
    });
    assert.equal(start.statusCode, 202, start.body);
    const on = await call({ method: 'GET', url: '/v1/nodes/sub1/states/console' });
    assert.equal(on.json<{ console_enabled: boolean }>().console_enabled, true);
    const bad = await call({
      method: 'PUT',
      url: '/v1/nodes/sub1/states/console',
      payload: { enabled: 'maybe' },
    });
    assert.equal(bad.statusCode, 400);

    const raid = {
      logical_disks: [{ size_gb: 100, raid_level: '1', is_root_volume: true }],
    };
    const set = await call({ method: 'PUT', url: '/v1/nodes/sub1/states/raid', payload: raid });
    assert.equal(set.statusCode, 204, set.body);
    assert.deepEqual((await harness.store.nodes.get(uuid)).targetRaidConfig, raid);
    const wrong = await call({
      method: 'PUT',
      url: '/v1/nodes/sub1/states/raid',
      payload: { logical_disks: [{ raid_level: '42' }] },
    });
    assert.equal(wrong.statusCode, 400);
    const old = await call(
      { method: 'PUT', url: '/v1/nodes/sub1/states/raid', payload: raid },
      '1.11',
    );
    assert.equal(old.statusCode, 406);
  });

  it('sets the boot mode and secure boot, and shows what the hardware reports', async () => {
    const put = (what: string, target: unknown, version = 'latest') =>
      call({ method: 'PUT', url: `/v1/nodes/sub1/states/${what}`, payload: { target } }, version);
    assert.equal((await put('boot_mode', 'bios')).statusCode, 202);
    const refused = await put('secure_boot', true);
    assert.equal(refused.statusCode, 400, 'secure boot needs UEFI');
    assert.equal((await put('boot_mode', 'uefi')).statusCode, 202);
    assert.equal((await put('secure_boot', true)).statusCode, 202);
    const states = await call({ method: 'GET', url: '/v1/nodes/sub1/states' });
    const body = states.json<{ boot_mode: string; secure_boot: boolean }>();
    assert.deepEqual([body.boot_mode, body.secure_boot], ['uefi', true]);
    assert.equal((await put('boot_mode', 'floppy')).statusCode, 400);
    assert.equal((await put('secure_boot', 'yes')).statusCode, 400);
    assert.equal((await put('boot_mode', 'uefi', '1.75')).statusCode, 406);
    const old = await call({ method: 'GET', url: '/v1/nodes/sub1/states' }, '1.74');
    assert.equal('boot_mode' in old.json<Record<string, unknown>>(), false);
  });

  it('looks a node up for its agent by MAC only while it waits for one, and checks heartbeats', async () => {
    await harness.store.ports.create({ nodeUuid: uuid, address: '52:54:00:aa:bb:02' });
    const notWaiting = await call({ method: 'GET', url: '/v1/lookup?addresses=52:54:00:AA:BB:02' });
    assert.equal(notWaiting.statusCode, 404);
    await harness.store.nodes.update(uuid, { provisionState: 'clean wait' });
    const found = await call({ method: 'GET', url: '/v1/lookup?addresses=52:54:00:AA:BB:02,zz' });
    assert.equal(found.statusCode, 400, 'a malformed MAC is refused');
    const lookup = await call({ method: 'GET', url: '/v1/lookup?addresses=52:54:00:AA:BB:02' });
    assert.equal(lookup.statusCode, 200, lookup.body);
    const body = lookup.json<{
      node: { uuid: string; instance_info: Record<string, unknown> };
      config: { agent_token: string };
    }>();
    assert.equal(body.node.uuid, uuid);
    const token = body.config.agent_token;
    assert.equal(body.node.instance_info['admin_pass'], '******');
    assert.equal((await call({ method: 'GET', url: '/v1/lookup' })).statusCode, 400);
    assert.equal((await call({ method: 'GET', url: '/v1/lookup?node_uuid=nope' })).statusCode, 400);
    assert.equal(
      (await call({ method: 'GET', url: '/v1/lookup?addresses=52:54:00:aa:bb:02' }, '1.21'))
        .statusCode,
      404,
    );

    const beat = (payload: object, version = 'latest') =>
      call({ method: 'POST', url: `/v1/heartbeat/${uuid}`, payload }, version);
    assert.equal(
      (
        await beat({
          callback_url: 'http://10.0.0.5:9999',
          agent_version: '9.0',
          agent_token: token,
        })
      ).statusCode,
      202,
    );
    assert.equal(
      (await beat({ callback_url: 'http://10.0.0.5:9999' })).statusCode,
      400,
      'a heartbeat without the token handed out at lookup is refused',
    );
    assert.equal((await beat({ callback_url: 'not a url' })).statusCode, 400);
    assert.equal((await beat({ callback_url: 'ftp://10.0.0.5' })).statusCode, 400);
    assert.equal((await beat({})).statusCode, 400);
    assert.equal((await beat({ callback_url: 'http://a', surprise: 1 })).statusCode, 400);
    assert.equal(
      (await beat({ callback_url: 'http://a', agent_token: 't' }, '1.61')).statusCode,
      406,
    );
    const unknownNode = await call({
      method: 'POST',
      url: `/v1/heartbeat/${crypto.randomUUID()}`,
      payload: { callback_url: 'http://a' },
    });
    assert.equal(unknownNode.statusCode, 404);
    await harness.store.nodes.update(uuid, { provisionState: 'enroll' });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app.ts';
import { MAX_VERSION } from '../../src/api/microversions.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { startConductor } from '../support/conductor.ts';
import type { ConductorHarness } from '../support/conductor.ts';

const MAX = `1.${MAX_VERSION.minor}`;

/** Ironic's error body, parsed twice as clients do. */
function fault(body: string): { faultstring: string; faultcode: string; debuginfo: null } {
  const outer = JSON.parse(body) as { error_message: string };
  return JSON.parse(outer.error_message) as {
    faultstring: string;
    faultcode: string;
    debuginfo: null;
  };
}

describe('API discovery, versions and errors', () => {
  let store: Store;
  let h: ConductorHarness;
  let api: FastifyInstance;

  before(async () => {
    const clock = new SimulatedClock(Date.now());
    store = await openStore('sqlite::memory:', { clock });
    h = await startConductor(store, {}, { clock });
    api = await buildApi({ conductor: h.conductor, store });
  });
  after(async () => {
    await api.close();
    await h.stop();
    await store.close();
  });

  it('describes itself and its version range at /', async () => {
    const res = await api.inject({
      method: 'GET',
      url: '/',
      headers: { host: 'ferrite.test:6385' },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json<{ default_version: Record<string, unknown>; versions: unknown[] }>();
    assert.deepEqual(body.default_version, {
      id: 'v1',
      links: [{ href: 'http://ferrite.test:6385/v1/', rel: 'self' }],
      status: 'CURRENT',
      min_version: '1.1',
      version: MAX,
    });
    assert.equal(body.versions.length, 1);
    assert.equal(res.headers['x-openstack-ironic-api-minimum-version'], '1.1');
    assert.equal(res.headers['x-openstack-ironic-api-maximum-version'], MAX);
  });

  it('lists the /v1 resources the requested version has', async () => {
    const old = await api.inject({ method: 'GET', url: '/v1' });
    assert.equal(old.headers['x-openstack-ironic-api-version'], '1.1');
    const oldBody = old.json<Record<string, unknown>>();
    assert.ok('nodes' in oldBody && 'drivers' in oldBody && 'chassis' in oldBody);
    assert.ok(!('portgroups' in oldBody) && !('allocations' in oldBody));
    const latest = await api.inject({
      method: 'GET',
      url: '/v1/',
      headers: { 'x-openstack-ironic-api-version': 'latest' },
    });
    assert.equal(latest.headers['x-openstack-ironic-api-version'], MAX);
    const body = latest.json<Record<string, unknown>>();
    for (const name of [
      'portgroups',
      'volume',
      'conductors',
      'allocations',
      'deploy_templates',
      'lookup',
      'heartbeat',
    ]) {
      assert.ok(name in body, name);
    }
    assert.deepEqual(body['media_types'], [
      { base: 'application/json', type: 'application/vnd.openstack.ironic.v1+json' },
    ]);
  });

  it('accepts the generic OpenStack-API-Version header too', async () => {
    const res = await api.inject({
      method: 'GET',
      url: '/v1',
      headers: { 'openstack-api-version': 'baremetal 1.30' },
    });
    assert.equal(res.headers['x-openstack-ironic-api-version'], '1.30');
  });

  it('refuses a version outside the range with 406, and a malformed one with 400', async () => {
    const tooNew = await api.inject({
      method: 'GET',
      url: '/v1',
      headers: { 'x-openstack-ironic-api-version': '1.999' },
    });
    assert.equal(tooNew.statusCode, 406);
    assert.equal(tooNew.headers['x-openstack-ironic-api-maximum-version'], MAX);
    const f = fault(tooNew.body);
    assert.equal(f.faultcode, 'Client');
    assert.match(
      f.faultstring,
      new RegExp(`Version 1\\.999 was requested .* \\[1\\.1, ${MAX.replace('.', '\\.')}\\]`),
    );
    for (const bad of ['2.1', '1.0']) {
      const res = await api.inject({
        method: 'GET',
        url: '/v1',
        headers: { 'x-openstack-ironic-api-version': bad },
      });
      assert.equal(res.statusCode, 406, bad);
    }
    const malformed = await api.inject({
      method: 'GET',
      url: '/v1',
      headers: { 'x-openstack-ironic-api-version': 'one.two' },
    });
    assert.equal(malformed.statusCode, 400);
    assert.match(
      fault(malformed.body).faultstring,
      /Invalid value for X-OpenStack-Ironic-API-Version header: one\.two/,
    );
  });

  it('answers an unknown resource with 404 in Ironic’s error body', async () => {
    const res = await api.inject({ method: 'GET', url: '/v1/teapots' });
    assert.equal(res.statusCode, 404);
    assert.match(String(res.headers['content-type']), /application\/json/);
    const f = fault(res.body);
    assert.equal(f.faultcode, 'Client');
    assert.equal(f.debuginfo, null);
    assert.match(f.faultstring, /could not be found/);
  });

  it('lists drivers with their hosts, and details at 1.30', async () => {
    const res = await api.inject({ method: 'GET', url: '/v1/drivers' });
    const drivers = res.json<{ drivers: Record<string, unknown>[] }>().drivers;
    assert.deepEqual(drivers.map((d) => d['name']).sort(), [
      'fake-hardware',
      'ipmi',
      'manual-management',
      'redfish',
      'scripted-hardware',
    ]);
    const fake = drivers.find((d) => d['name'] === 'fake-hardware');
    assert.ok(fake);
    assert.deepEqual(fake['hosts'], ['conductor-1']);
    assert.equal(fake['type'], undefined, 'type appears at 1.30');
    const detailed = await api.inject({
      method: 'GET',
      url: '/v1/drivers?detail=true',
      headers: { 'x-openstack-ironic-api-version': '1.38' },
    });
    const d = detailed
      .json<{ drivers: Record<string, unknown>[] }>()
      .drivers.find((x) => x['name'] === 'fake-hardware');
    assert.ok(d);
    assert.equal(d['type'], 'dynamic');
    assert.equal(d['default_power_interface'], 'fake');
    assert.deepEqual(d['enabled_network_interfaces'], ['flat', 'noop']);
    assert.equal(d['default_rescue_interface'], 'fake');
    assert.equal(d['default_bios_interface'], undefined, 'bios appears at 1.40');
    const tooOld = await api.inject({
      method: 'GET',
      url: '/v1/drivers?detail=true',
      headers: { 'x-openstack-ironic-api-version': '1.29' },
    });
    assert.equal(tooOld.statusCode, 400);
    const unknown = await api.inject({ method: 'GET', url: '/v1/drivers?colour=red' });
    assert.equal(unknown.statusCode, 400);
  });

  it('shows a driver, its properties and its RAID logical disk properties', async () => {
    const show = await api.inject({
      method: 'GET',
      url: '/v1/drivers/fake-hardware',
      headers: { 'x-openstack-ironic-api-version': 'latest' },
    });
    assert.equal(show.json<Record<string, unknown>>()['default_raid_interface'], 'fake');
    const missing = await api.inject({ method: 'GET', url: '/v1/drivers/idrac' });
    assert.equal(missing.statusCode, 404);
    assert.match(
      fault(missing.body).faultstring,
      /Could not find the following driver\(s\) or hardware type\(s\): idrac/,
    );
    const props = await api.inject({ method: 'GET', url: '/v1/drivers/fake-hardware/properties' });
    assert.match(props.json<Record<string, string>>()['fake_hardware'] ?? '', /Optional\./);
    const raid = await api.inject({
      method: 'GET',
      url: '/v1/drivers/fake-hardware/raid/logical_disk_properties',
      headers: { 'x-openstack-ironic-api-version': '1.12' },
    });
    assert.match(raid.json<Record<string, string>>()['raid_level'] ?? '', /Required\./);
    const tooOld = await api.inject({
      method: 'GET',
      url: '/v1/drivers/fake-hardware/raid/logical_disk_properties',
    });
    assert.equal(tooOld.statusCode, 404);
  });
});

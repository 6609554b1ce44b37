import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';
import { caller } from '../support/resource-api.ts';
import type { Call } from '../support/resource-api.ts';

describe('events API', () => {
  let harness: ApiHarness;
  let call: Call;

  before(async () => {
    harness = await startApi();
    call = caller(harness.api);
  });
  after(() => harness.close());

  const event = {
    event: 'network.bind_port',
    port_id: '11111111-2222-4333-8444-555555555555',
    mac_address: '52:54:00:12:34:56',
    status: 'ACTIVE',
    device_id: '66666666-7777-4888-9999-000000000000',
    'binding:host_id': '66666666-7777-4888-9999-000000000000',
    'binding:vnic_type': 'baremetal',
  };

  it('accepts network events from 1.54 with 204', async () => {
    const res = await call({ method: 'POST', url: '/v1/events', payload: { events: [event] } });
    assert.equal(res.statusCode, 204);
    assert.equal(res.body, '');
    const minimal = {
      event: 'network.delete_port',
      port_id: event.port_id,
      mac_address: event.mac_address,
      status: 'DOWN',
      device_id: null,
    };
    const two = await call({
      method: 'POST',
      url: '/v1/events',
      payload: { events: [event, minimal] },
    });
    assert.equal(two.statusCode, 204);
    const old = await call({
      method: 'POST',
      url: '/v1/events',
      payload: { events: [event] },
      version: '1.53',
    });
    assert.equal(old.statusCode, 404);
  });

  it('refuses malformed events with a 400 that names the problem', async () => {
    const cases: [unknown, RegExp][] = [
      [{}, /events/],
      [{ events: [] }, /fewer than 1/],
      [{ events: [{ ...event, event: 'network.explode' }] }, /allowed values/],
      [{ events: [{ ...event, colour: 'red' }] }, /colour/],
      [{ events: [{ ...event, port_id: 'port-1' }] }, /port_id.*UUID/],
      [{ events: [{ ...event, mac_address: 'zz' }] }, /Expected a MAC address/],
      [{ events: [{ ...event, status: 5 }] }, /status/],
      [{ events: [{ event: 'network.bind_port', port_id: event.port_id }] }, /mac_address/],
      [{ events: [event], extra: 1 }, /extra/],
    ];
    for (const [payload, message] of cases) {
      const res = await call({ method: 'POST', url: '/v1/events', payload: payload as object });
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
      assert.match(faultOf(res.body), message);
    }
  });
});

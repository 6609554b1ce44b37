import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

let harness: ApiHarness;
before(async () => {
  // One worker: a second background operation finds the conductor saturated.
  harness = await startApi({}, { workers: 1 });
});
after(async () => {
  await harness.close();
});

it('answers 503 while every conductor worker is busy, and takes the request once one is free', async () => {
  const slow = await harness.h.enroll({ name: 'slow', driver: 'scripted-hardware' });
  const other = await harness.h.enroll({ name: 'other', driver: 'scripted-hardware' });
  let release!: () => void;
  harness.h.power.bmc(slow.uuid).hold = new Promise<void>((resolve) => (release = resolve));
  const headers = { 'x-openstack-ironic-api-version': 'latest' };
  const first = await harness.api.inject({
    method: 'PUT',
    url: '/v1/nodes/slow/states/power',
    payload: { target: 'power on' },
    headers,
  });
  assert.equal(first.statusCode, 202);
  const busy = await harness.api.inject({
    method: 'PUT',
    url: '/v1/nodes/other/states/power',
    payload: { target: 'power on' },
    headers,
  });
  assert.equal(busy.statusCode, 503, busy.body);
  assert.ok(faultOf(busy.body).length > 0);
  assert.equal(
    (await harness.store.nodes.get(other.uuid)).targetPowerState,
    null,
    'nothing started',
  );
  release();
  await harness.h.settle();
  const later = await harness.h.act(
    harness.api.inject({
      method: 'PUT',
      url: '/v1/nodes/other/states/power',
      payload: { target: 'power on' },
      headers,
    }),
  );
  assert.equal(later.statusCode, 202);
  assert.equal((await harness.store.nodes.get(other.uuid)).powerState, 'power on');
});

import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { faultOf, startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

let harness: ApiHarness;
before(async () => {
  harness = await startApi();
});
after(async () => {
  await harness.close();
});

it('takes an empty body of any content type as no body, and refuses other bodies that are not JSON', async () => {
  const node = await harness.h.enroll({ name: 'ct1' });
  const del = await harness.h.act(
    harness.api.inject({
      method: 'DELETE',
      url: `/v1/nodes/${node.uuid}`,
      headers: { 'content-type': 'application/octet-stream' },
    }),
  );
  assert.equal(del.statusCode, 204, del.body);
  const xml = await harness.api.inject({
    method: 'POST',
    url: '/v1/nodes',
    headers: { 'content-type': 'application/xml' },
    payload: '<node driver="fake-hardware"/>',
  });
  assert.equal(xml.statusCode, 415);
  assert.match(faultOf(xml.body), /application\/json/);
  const text = await harness.api.inject({
    method: 'POST',
    url: '/v1/nodes',
    headers: { 'content-type': 'text/plain' },
    payload: 'driver=fake-hardware',
  });
  assert.equal(text.statusCode, 400);
  assert.equal(await harness.store.nodes.count(), 0);
});

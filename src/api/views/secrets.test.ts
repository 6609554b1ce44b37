import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { JsonObject } from '../../common/json.ts';
import { MASK, maskSecrets } from './secrets.ts';

it('masks secret keys at any depth and leaves the rest, and the input, as they are', () => {
  const input = JSON.parse(
    '{"ipmi_password": "p", "ipmi_username": "u", "nested": {"auth_token": "t", "list": [{"secret": "s"}]}, "empty_password": "", "configdrive": {"a": 1}}',
  ) as JsonObject;
  assert.deepEqual(JSON.parse(JSON.stringify(maskSecrets(input))), {
    ipmi_password: MASK,
    ipmi_username: 'u',
    nested: { auth_token: MASK, list: [{ secret: MASK }] },
    empty_password: '',
    configdrive: MASK,
  });
  assert.equal(input['ipmi_password'], 'p');
});

it('keeps a key named __proto__ a plain key, never a prototype', () => {
  const input = JSON.parse('{"__proto__": {"polluted": true, "password": "p"}}') as JsonObject;
  const out = maskSecrets(input) as Record<string, unknown>;
  assert.equal((out as { polluted?: unknown }).polluted, undefined);
  assert.deepEqual(JSON.parse(JSON.stringify(out)), {
    ['__proto__']: { polluted: true, password: MASK },
  });
});

import { isJsonObject } from '../../common/json.ts';
import type { JsonValue } from '../../common/json.ts';

export const MASK = '******';

/** Keys whose values are secrets wherever they appear (passwords, keys, tokens, config drives). */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|secret|token|private_key|auth_key|kg_key|credential|^configdrive$/i;

/** Whether each key seen so far names a secret: listings test the same few keys on every node. */
const secretKeys = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let secret = secretKeys.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    // Bounded: keys come from clients, and a flood of new ones must not grow the map forever.
    if (secretKeys.size < 10_000) secretKeys.set(key, secret);
  }
  return secret;
}

/** A copy of `value` with every secret replaced by `******`, at any depth. */
export function maskSecrets(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!isJsonObject(value)) return value;
  // No prototype: a key named __proto__ (JSON may hold one) stays a plain key.
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const key in value) {
    const inner = value[key] as JsonValue;
    out[key] = isSecretKey(key) && inner !== null && inner !== '' ? MASK : maskSecrets(inner);
  }
  return out;
}

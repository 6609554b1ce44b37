import { isJsonObject } from '../../common/json.ts';
import type { JsonValue } from '../../common/json.ts';

export const MASK = '******';

/** Keys whose values are secrets wherever they appear (passwords, keys, tokens, config drives). */
const SECRET_KEY =
  /pass(word|wd|phrase)?$|secret|token|private_key|auth_key|credential|^configdrive$/i;

/** A copy of `value` with every secret replaced by `******`, at any depth. */
export function maskSecrets(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (!isJsonObject(value)) return value;
  const out: Record<string, JsonValue> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && inner !== null && inner !== '' ? MASK : maskSecrets(inner);
  }
  return out;
}

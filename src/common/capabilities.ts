import { FerriteError } from './errors.ts';

/**
 * Node capabilities live in `properties.capabilities` as Ironic's
 * `key:value,key2:value2` string. These helpers read and update it in place
 * without reordering existing keys.
 */
export function parseCapabilities(value: unknown): Map<string, string> {
  const result = new Map<string, string>();
  if (value === undefined || value === null || value === '') return result;
  if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) result.set(k, String(v));
    return result;
  }
  if (typeof value !== 'string') {
    throw new FerriteError('InvalidParameterValue', {
      err: `Invalid capabilities value ${JSON.stringify(value)}: expected "key:value,…"`,
    });
  }
  for (const item of value.split(',')) {
    const at = item.indexOf(':');
    if (at <= 0) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid capabilities string '${value}'.`,
      });
    }
    result.set(item.slice(0, at), item.slice(at + 1));
  }
  return result;
}

export function formatCapabilities(capabilities: ReadonlyMap<string, string>): string {
  return [...capabilities].map(([k, v]) => `${k}:${v}`).join(',');
}

/** Returns the capabilities string with `updates` applied: existing keys keep their place. */
export function updateCapabilities(
  current: unknown,
  updates: Readonly<Record<string, string>>,
): string {
  const parsed = parseCapabilities(current);
  for (const [k, v] of Object.entries(updates)) parsed.set(k, v);
  return formatCapabilities(parsed);
}

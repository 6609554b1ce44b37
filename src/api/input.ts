import { FerriteError } from '../common/errors.ts';
import type { JsonObject, JsonValue } from '../common/json.ts';
import { isUuid } from '../common/uuid.ts';
import { booleanWord, invalid, notAcceptable } from './collection.ts';
import { applyPatch, rootField } from './json-patch.ts';
import type { PatchOperation } from './json-patch.ts';

/**
 * Reading client input for ports, portgroups, chassis and volume records:
 * one table of writable fields per resource (API name → record key, the
 * version it appeared at, how its value is checked), used by POST bodies and
 * by JSON patches alike, so both refuse the same things the same way.
 */

/** Turns a client's value into the stored one, or says what is wrong with it. */
export type Reader = (value: JsonValue, field: string) => unknown;

export interface WritableField<R> {
  readonly minor: number;
  readonly key: keyof R & string;
  readonly read: Reader;
  /** What a `remove` leaves; undefined: the field is mandatory and cannot be removed. */
  readonly empty: unknown;
  /** False for fields only a patch may change. */
  readonly onCreate?: boolean;
  /** False for fields set at creation that no patch may change (uuid). */
  readonly patchable?: boolean;
}

export type WritableTable<R> = Readonly<Record<string, WritableField<R>>>;

function wrongType(field: string, expected: string, value: JsonValue): FerriteError {
  return invalid(
    `Invalid value for field "${field}": expected ${expected}, got ${jsonType(value)}`,
  );
}

const MAC = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i;

/** A MAC address as Ironic stores it: lower case, colon-separated. InvalidMAC otherwise. */
export function normaliseMac(address: string): string {
  if (!MAC.test(address)) throw new FerriteError('InvalidMAC', { mac: address });
  return address.toLowerCase().replaceAll('-', ':');
}

export const macReader: Reader = (value, field) => {
  if (typeof value !== 'string') throw wrongType(field, 'a MAC address', value);
  return normaliseMac(value);
};

export const uuidReader: Reader = (value, field) => {
  if (typeof value !== 'string') throw wrongType(field, 'a UUID', value);
  if (!isUuid(value)) throw new FerriteError('InvalidUUID', { uuid: value });
  return value.toLowerCase();
};

export const stringReader =
  (maxLength = 255): Reader =>
  (value, field) => {
    if (typeof value !== 'string') throw wrongType(field, 'a string', value);
    if (value.length > maxLength) {
      throw invalid(`Field "${field}" is longer than ${maxLength} characters`);
    }
    return value;
  };

export const objectReader: Reader = (value, field) => {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw wrongType(field, 'an object', value);
  }
  return value;
};

/** Ironic accepts booleans and their spellings as strings. */
export const booleanReader: Reader = (value, field) => {
  if (typeof value === 'boolean') return value;
  const parsed = typeof value === 'string' ? booleanWord(value) : undefined;
  if (parsed === undefined) throw wrongType(field, 'a boolean', value);
  return parsed;
};

export const integerReader: Reader = (value, field) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw wrongType(field, 'an integer', value);
  }
  return value;
};

export const nullable =
  (read: Reader): Reader =>
  (value, field) =>
    value === null ? null : read(value, field);

/** Logical names as Ironic accepts them: RFC 3986 unreserved characters, never a UUID. */
const NAME = /^[A-Za-z0-9._~-]+$/;
export const nameReader: Reader = (value, field) => {
  if (typeof value !== 'string') throw wrongType(field, 'a string', value);
  if (!NAME.test(value) || value.length > 255 || isUuid(value)) {
    throw new FerriteError('InvalidName', { name: value });
  }
  return value;
};

/**
 * The record fields of a creation body. Unknown fields are 400 (the route
 * schema catches most); a field newer than the request's version is 406.
 */
export function readCreateBody<R>(
  body: JsonObject,
  table: WritableTable<R>,
  minor: number,
  resource: string,
): Partial<R> {
  const out: Partial<Record<keyof R, unknown>> = {};
  for (const [name, value] of Object.entries(body)) {
    // A null uuid asks for a generated one, as an absent one does.
    if (name === 'uuid' && value === null) continue;
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!spec || spec.onCreate === false) {
      throw invalid(`Unknown attribute for argument ${resource}: ${name}`);
    }
    if (minor < spec.minor)
      throw notAcceptable(`Field "${name}" needs API version 1.${spec.minor} or later.`);
    out[spec.key] = spec.read(value, name);
  }
  return out as Partial<R>;
}

/** Fields no patch may touch: Ironic's internal attributes. */
const INTERNAL = new Set(['uuid', 'id', 'links', 'created_at', 'updated_at', 'internal_info']);

/**
 * Checks a patch's paths before anything is read: internal attributes,
 * unknown fields (400) and fields newer than the request (406) are refused.
 */
export function checkPatchPaths<R>(
  ops: readonly PatchOperation[],
  table: WritableTable<R>,
  minor: number,
): void {
  const patchable = Object.entries(table)
    .filter(([, spec]) => spec.patchable !== false)
    .map(([name]) => name)
    .sort();
  for (const op of ops) {
    const root = rootField(op.path);
    if (INTERNAL.has(root)) {
      throw invalid(`'/${root}' is an internal attribute and can not be updated`);
    }
    const spec = Object.hasOwn(table, root) ? table[root] : undefined;
    if (!spec || spec.patchable === false) {
      throw invalid(
        `Cannot patch ${op.path}. Only the following can be updated: ${patchable.join(', ')}`,
      );
    }
    if (minor < spec.minor) {
      throw notAcceptable(`Field "${root}" needs API version 1.${spec.minor} or later.`);
    }
    if (op.op === 'remove' && op.path === `/${root}` && spec.empty === undefined) {
      throw invalid(`'/${root}' is a mandatory attribute and can not be removed`);
    }
  }
}

/**
 * The changes a patch makes to `record`: the patch applies to the API form
 * of the fields it touches, each result is checked like a creation value,
 * and only values that differ from the record's are returned (so state
 * rules see what really changes). Nothing is applied here.
 */
export function patchChanges<R>(
  record: R,
  ops: readonly PatchOperation[],
  table: WritableTable<R>,
): Partial<R> {
  const touched = new Set(ops.map((op) => rootField(op.path)));
  const doc: JsonObject = {};
  for (const name of touched) {
    const spec = table[name];
    // Records hold their fields in their API form (JSON values).
    const value: unknown = spec ? record[spec.key] : undefined;
    if (spec) doc[name] = (value ?? null) as JsonValue;
  }
  const patched = applyPatch(doc, ops);
  const changes: Partial<Record<keyof R, unknown>> = {};
  for (const name of touched) {
    const spec = table[name];
    if (!spec) continue;
    const value = patched[name];
    let next: unknown;
    if (value === undefined) {
      if (spec.empty === undefined) {
        throw invalid(`'/${name}' is a mandatory attribute and can not be removed`);
      }
      next = spec.empty;
    } else {
      next = spec.read(value, name);
    }
    if (JSON.stringify(next) !== JSON.stringify(record[spec.key] ?? null)) changes[spec.key] = next;
  }
  return changes as Partial<R>;
}

/**
 * The JSON type of a value, for error messages: the value itself is never
 * echoed, since it may hold a secret (a password sent in the wrong place).
 */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

import { jsonType } from '../input.ts';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../common/json.ts';
import type { Node } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import type { NodeChanges } from '../../db/store.ts';
import { ALL_INTERFACES, interfaceField } from '../../drivers/interface-types.ts';

/** Turns a client's value into the stored one, or says what is wrong with it. */
type Reader = (value: JsonValue, field: string) => unknown;

/** A node field clients may write: when it appeared, where it lands, how it is read. */
export interface WritableNodeField {
  readonly minor: number;
  readonly key: keyof NodeChanges;
  /** JSON types for the request schema (and the OpenAPI document). */
  readonly types: readonly string[];
  readonly read: Reader;
  /** What a `remove` operation leaves. */
  readonly empty: unknown;
  /** Whether POST accepts it (protected and retired_reason… arrive only by PATCH in Ironic too). */
  readonly onCreate: boolean;
}

function invalid(field: string, expected: string, value: JsonValue): FerriteError {
  return new FerriteError('InvalidParameterValue', {
    err: `Invalid value for field "${field}": expected ${expected}, got ${jsonType(value)}`,
  });
}

/** Ironic accepts booleans and their spellings as strings. */
export function readBoolean(value: JsonValue, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return true;
    if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return false;
  }
  throw invalid(field, 'a boolean', value);
}

const nullable =
  (read: Reader): Reader =>
  (value, field) =>
    value === null ? null : read(value, field);

const string =
  (maxLength = 255): Reader =>
  (value, field) => {
    if (typeof value !== 'string') throw invalid(field, 'a string', value);
    if (value.length > maxLength) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Field "${field}" is longer than ${maxLength} characters`,
      });
    }
    return value;
  };

const object: Reader = (value, field) => {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'an object', value);
  return value;
};

const uuid: Reader = (value, field) => {
  if (typeof value !== 'string') throw invalid(field, 'a UUID', value);
  if (!isUuid(value)) throw new FerriteError('InvalidUUID', { uuid: value });
  return value.toLowerCase();
};

/** Logical names as Ironic accepts them since 1.10: RFC 3986 unreserved characters, never a UUID. */
const NAME = /^[A-Za-z0-9._~-]+$/;
const name: Reader = (value, field) => {
  if (typeof value !== 'string') throw invalid(field, 'a string', value);
  if (!NAME.test(value) || value.length > 255 || isUuid(value)) {
    throw new FerriteError('InvalidName', { name: value });
  }
  return value;
};

const field = (
  minor: number,
  key: keyof NodeChanges,
  types: readonly string[],
  read: Reader,
  empty: unknown = null,
  onCreate = true,
): WritableNodeField => ({ minor, key, types, read, empty, onCreate });

const STR_NULL = ['string', 'null'];
const OBJ_NULL = ['object', 'null'];
const BOOL_ISH = ['boolean', 'string', 'null'];

function interfaceMinor(type: string): number {
  if (type === 'network') return 20;
  if (type === 'storage') return 33;
  if (type === 'rescue') return 38;
  return 31;
}

/** Every node field a client may set, by API name. */
export const WRITABLE_NODE_FIELDS: Readonly<Record<string, WritableNodeField>> = {
  uuid: field(1, 'uuid' as keyof NodeChanges, STR_NULL, uuid, null, true),
  name: field(5, 'name', STR_NULL, nullable(name)),
  description: field(51, 'description', STR_NULL, nullable(string(4096))),
  driver: field(1, 'driver', ['string'], string()),
  driver_info: field(1, 'driverInfo', OBJ_NULL, object, {}),
  instance_info: field(1, 'instanceInfo', OBJ_NULL, object, {}),
  properties: field(1, 'properties', OBJ_NULL, object, {}),
  extra: field(1, 'extra', OBJ_NULL, object, {}),
  instance_uuid: field(1, 'instanceUuid', STR_NULL, nullable(uuid), null, false),
  chassis_uuid: field(1, 'chassisUuid', STR_NULL, nullable(uuid)),
  maintenance: field(1, 'maintenance', BOOL_ISH, readBoolean, false, false),
  resource_class: field(21, 'resourceClass', STR_NULL, nullable(string(80))),
  ...Object.fromEntries(
    ALL_INTERFACES.map((type) => [
      `${type}_interface`,
      field(interfaceMinor(type), interfaceField(type), STR_NULL, nullable(string())),
    ]),
  ),
  conductor_group: field(46, 'conductorGroup', STR_NULL, (v, f) =>
    v === null ? '' : (string()(v, f) as string).toLowerCase(),
  ),
  automated_clean: field(47, 'automatedClean', BOOL_ISH, nullable(readBoolean)),
  protected: field(48, 'protected', BOOL_ISH, readBoolean, false, false),
  protected_reason: field(48, 'protectedReason', STR_NULL, nullable(string()), null, false),
  owner: field(50, 'owner', STR_NULL, nullable(string())),
  retired: field(61, 'retired', BOOL_ISH, readBoolean, false, false),
  retired_reason: field(61, 'retiredReason', STR_NULL, nullable(string()), null, false),
  lessee: field(65, 'lessee', STR_NULL, nullable(string())),
  network_data: field(66, 'networkData', OBJ_NULL, object, {}),
  shard: field(82, 'shard', STR_NULL, nullable(string())),
};

/** The fields a PATCH may touch, for the error that lists them. */
export const PATCHABLE_NAMES = Object.keys(WRITABLE_NODE_FIELDS)
  .filter((n) => n !== 'uuid')
  .sort();

/** The JSON schema of a node creation body: types only, semantics are checked by `readNodeFields`. */
export const NODE_CREATE_SCHEMA = {
  type: 'object',
  required: ['driver'],
  properties: Object.fromEntries(
    Object.entries(WRITABLE_NODE_FIELDS)
      .filter(([, f]) => f.onCreate)
      .map(([n, f]) => [n, { type: [...f.types] }]),
  ),
  additionalProperties: false,
} as const;

/**
 * The stored values of `body`'s fields. A field newer than the request's
 * version is refused with 406, as Ironic does; one that is unknown or not
 * writable with 400.
 */
export function readNodeFields(
  body: JsonObject,
  minor: number,
  mode: 'create' | 'patch',
): NodeChanges {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const spec = WRITABLE_NODE_FIELDS[key];
    if (!spec || (mode === 'create' && !spec.onCreate)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Unknown attribute for argument node: ${key}`,
      });
    }
    if (minor < spec.minor) throw newerField(key, spec.minor);
    out[spec.key] = spec.read(value, key);
  }
  return out;
}

export function newerField(name: string, minor: number): FerriteError {
  return new FerriteError('NotAcceptableAtVersion', {
    err: `Field "${name}" needs API version 1.${minor} or later.`,
  });
}

/** The API value of a writable field on a stored node (secrets unmasked: this feeds a patch). */
export function writableValue(node: Node, spec: WritableNodeField): JsonValue {
  const value = (node as unknown as Record<string, unknown>)[spec.key];
  return (value ?? null) as JsonValue;
}

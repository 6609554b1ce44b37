import type { JsonObject } from '../../common/json.ts';
import type { Node } from '../../common/records.ts';
import type { NewNode } from '../../db/store.ts';
import { ALL_INTERFACES, interfaceField } from '../../drivers/interface-types.ts';
import {
  booleanReader,
  nameReader,
  nullable,
  objectReader,
  readCreateBody,
  stringReader,
  uuidReader,
} from '../input.ts';
import type { Reader, WritableField, WritableTable } from '../input.ts';

/**
 * The node fields clients may write: the shared writable-field table of
 * src/api/input.ts (used by creation and by JSON patches alike), plus the
 * JSON types each accepts, for the request schema and the OpenAPI document.
 */
export type WritableNodeField = WritableField<Node> & { readonly types: readonly string[] };

const field = (
  minor: number,
  key: keyof Node,
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
export const WRITABLE_NODE_FIELDS: WritableTable<Node> &
  Readonly<Record<string, WritableNodeField>> = {
  uuid: { ...field(1, 'uuid', STR_NULL, uuidReader), patchable: false },
  name: field(5, 'name', STR_NULL, nullable(nameReader)),
  description: field(51, 'description', STR_NULL, nullable(stringReader(4096))),
  // Mandatory: no `empty`, so a patch cannot remove it.
  driver: { ...field(1, 'driver', ['string'], stringReader()), empty: undefined },
  driver_info: field(1, 'driverInfo', OBJ_NULL, objectReader, {}),
  instance_info: field(1, 'instanceInfo', OBJ_NULL, objectReader, {}),
  properties: field(1, 'properties', OBJ_NULL, objectReader, {}),
  extra: field(1, 'extra', OBJ_NULL, objectReader, {}),
  instance_uuid: field(1, 'instanceUuid', STR_NULL, nullable(uuidReader), null, false),
  chassis_uuid: field(1, 'chassisUuid', STR_NULL, nullable(uuidReader)),
  maintenance: field(1, 'maintenance', BOOL_ISH, booleanReader, false, false),
  resource_class: field(21, 'resourceClass', STR_NULL, nullable(stringReader(80))),
  ...Object.fromEntries(
    ALL_INTERFACES.map((type) => [
      `${type}_interface`,
      field(interfaceMinor(type), interfaceField(type), STR_NULL, nullable(stringReader())),
    ]),
  ),
  conductor_group: field(46, 'conductorGroup', STR_NULL, (v, f) =>
    v === null ? '' : (stringReader()(v, f) as string).toLowerCase(),
  ),
  automated_clean: field(47, 'automatedClean', BOOL_ISH, nullable(booleanReader)),
  protected: field(48, 'protected', BOOL_ISH, booleanReader, false, false),
  protected_reason: field(48, 'protectedReason', STR_NULL, nullable(stringReader()), null, false),
  owner: field(50, 'owner', STR_NULL, nullable(stringReader())),
  retired: field(61, 'retired', BOOL_ISH, booleanReader, false, false),
  retired_reason: field(61, 'retiredReason', STR_NULL, nullable(stringReader()), null, false),
  lessee: field(65, 'lessee', STR_NULL, nullable(stringReader())),
  network_data: field(66, 'networkData', OBJ_NULL, objectReader, {}),
  shard: field(82, 'shard', STR_NULL, nullable(stringReader())),
};

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

/** A creation body's fields as a new node's: unknown ones 400, ones newer than the request 406. */
export function readNodeFields(body: JsonObject, minor: number): Partial<NewNode> {
  return readCreateBody<Node>(body, WRITABLE_NODE_FIELDS, minor, 'node');
}

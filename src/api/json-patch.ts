import { FerriteError } from '../common/errors.ts';
import type { JsonObject, JsonValue } from '../common/json.ts';

/** One RFC 6902 operation, of the three Ironic's API accepts. */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: JsonValue;
}

/** The request body of every PATCH: checked by the route's schema before any of it applies. */
export const PATCH_BODY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['op', 'path'],
    properties: {
      op: { type: 'string', enum: ['add', 'replace', 'remove'] },
      // A JSON pointer below the root: "/field" or "/field/key/…".
      path: { type: 'string', pattern: '^(/[^/]+)+$' },
      value: {},
    },
    additionalProperties: false,
  },
} as const;

function patchError(op: PatchOperation, reason: string): FerriteError {
  return new FerriteError('PatchError', { patch: JSON.stringify(op), reason });
}

/** The path's segments, with the pointer escapes (~1 for "/", ~0 for "~") undone. */
export function pointerSegments(path: string): string[] {
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The top-level field an operation touches. */
export function rootField(path: string): string {
  return pointerSegments(path)[0] ?? '';
}

function isContainer(value: JsonValue | undefined): value is JsonObject | JsonValue[] {
  return typeof value === 'object' && value !== null;
}

function clone<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/**
 * Applies `ops` to a copy of `doc`, one at a time, and returns the copy;
 * `doc` itself is never touched, so a failing operation leaves nothing
 * half-applied. As in Ironic, `add` at the root may only set a field the
 * resource has: a patch cannot invent top-level attributes.
 */
export function applyPatch(doc: JsonObject, ops: readonly PatchOperation[]): JsonObject {
  const result = clone(doc);
  for (const op of ops) {
    if ((op.op === 'add' || op.op === 'replace') && op.value === undefined) {
      throw patchError(op, `'${op.op}' operations need a value`);
    }
    const segments = pointerSegments(op.path);
    const last = segments.pop();
    if (last === undefined) throw patchError(op, 'the path is empty');
    if (segments.length === 0 && op.op === 'add' && !(last in result)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Adding a new attribute (${op.path}) to the root of the resource is not allowed`,
      });
    }
    let parent: JsonValue | undefined = result;
    for (const segment of segments) {
      if (Array.isArray(parent)) parent = parent[arrayIndex(op, segment, parent.length - 1)];
      else if (isContainer(parent)) parent = parent[segment];
      else parent = undefined;
      if (!isContainer(parent)) throw patchError(op, `the path ${op.path} does not exist`);
    }
    if (!isContainer(parent)) throw patchError(op, `the path ${op.path} does not exist`);
    applyOne(op, parent, last);
  }
  return result;
}

function arrayIndex(op: PatchOperation, segment: string, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(segment) || Number(segment) > max) {
    throw patchError(op, `"${segment}" is not a valid index`);
  }
  return Number(segment);
}

function applyOne(op: PatchOperation, parent: JsonObject | JsonValue[], key: string): void {
  const value = op.value === undefined ? null : clone(op.value);
  if (Array.isArray(parent)) {
    if (op.op === 'add') {
      const index = key === '-' ? parent.length : arrayIndex(op, key, parent.length);
      parent.splice(index, 0, value);
    } else {
      const index = arrayIndex(op, key, parent.length - 1);
      if (op.op === 'replace') parent[index] = value;
      else parent.splice(index, 1);
    }
    return;
  }
  if (op.op !== 'add' && !(key in parent)) {
    throw patchError(op, `can't ${op.op} the non-existent member ${op.path}`);
  }
  if (op.op === 'remove') Reflect.deleteProperty(parent, key);
  else parent[key] = value;
}

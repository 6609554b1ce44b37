import { jsonType, objectReader, uuidReader } from '../input.ts';
import type { FastifyRequest } from 'fastify';
import { FerriteError, isFerriteError } from '../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../common/json.ts';
import type { Allocation, Node } from '../../common/records.ts';
import { isUuid } from '../../common/uuid.ts';
import type { NewAllocation } from '../../db/store.ts';
import { invalid, notAcceptable } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import type { WritableTable } from '../input.ts';
import { rootField } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import { atLeast } from '../microversions.ts';
import { referencedNode } from '../references.ts';
import { checkTrait } from '../traits.ts';

/**
 * Reading allocation requests the way Ironic does: a creation body with its
 * version rules, name and trait rules, candidate nodes by name or uuid, and
 * the node to backfill; and patches, which may only change name and extra.
 */

/** RFC 3986 unreserved characters, as for node names; never a UUID (it would shadow one). */
const NAME = /^[A-Za-z0-9._~-]+$/;

export function isValidAllocationName(name: string): boolean {
  return name.length <= 255 && NAME.test(name) && !isUuid(name);
}

/** A path identifier: an allocation's uuid or its logical name. */
export function checkAllocationIdent(ident: string): void {
  if (!isUuid(ident) && !isValidAllocationName(ident)) {
    throw new FerriteError('InvalidUuidOrName', { name: ident });
  }
}

/** Candidate nodes, by uuid or name, as node uuids in the order given. */
async function candidateUuids(ctx: ApiContext, idents: readonly string[]): Promise<string[]> {
  const uuids: string[] = [];
  const missing: string[] = [];
  for (const ident of idents) {
    // An identifier that can be neither a uuid nor a name cannot name a node.
    if (!isUuid(ident) && !NAME.test(ident)) {
      missing.push(ident);
      continue;
    }
    try {
      uuids.push((await ctx.store.nodes.get(ident)).uuid);
    } catch (error) {
      if (!isFerriteError(error, 'NodeNotFound')) throw error;
      missing.push(ident);
    }
  }
  if (missing.length > 0) throw invalid(`Nodes cannot be found: ${missing.join(', ')}`);
  return uuids;
}

/**
 * A backfilled node must already be what the allocation asks for: checked
 * here so that a mismatch is the client's 400, before anything is stored.
 */
function checkBackfill(node: Node, fields: NewAllocation): void {
  const errors: string[] = [];
  if (
    fields.resourceClass !== undefined &&
    fields.resourceClass !== null &&
    node.resourceClass !== fields.resourceClass
  ) {
    errors.push(
      `Resource class ${String(node.resourceClass)} does not match the requested resource class ${fields.resourceClass}`,
    );
  }
  const traits = fields.traits ?? [];
  if (!traits.every((t) => node.traits.includes(t))) {
    errors.push(
      `List of traits ${node.traits.join(', ') || '(none)'} does not match the requested traits ${traits.join(', ')}`,
    );
  }
  const candidates = fields.candidateNodes ?? [];
  if (candidates.length > 0 && !candidates.includes(node.uuid)) {
    errors.push(
      `Candidate nodes must be empty or contain the target node, but got ${candidates.join(', ')}`,
    );
  }
  if (errors.length > 0) {
    throw invalid(`Cannot backfill an allocation for node ${node.uuid}: ${errors.join('; ')}`);
  }
}

/** The body of POST /v1/allocations (its types already checked by the route schema). */
export async function newAllocationFrom(
  ctx: ApiContext,
  request: FastifyRequest,
  body: JsonObject,
): Promise<NewAllocation> {
  const version = request.apiVersion;
  if ('owner' in body && !atLeast(version, 60)) {
    throw notAcceptable('Field "owner" needs API version 1.60 or later.');
  }
  const fields: { -readonly [K in keyof NewAllocation]: NewAllocation[K] } = {};
  const name = body['name'];
  if (typeof name === 'string' && name !== '') {
    if (!isValidAllocationName(name)) {
      throw invalid(`Cannot create allocation with invalid name '${name}'`);
    }
    fields.name = name;
  }
  const uuid = body['uuid'];
  if (uuid !== undefined && uuid !== null) fields.uuid = uuidReader(uuid, 'uuid') as string;
  const traits = stringsOf(body['traits']);
  traits.forEach(checkTrait);
  fields.traits = traits;
  const owner = body['owner'];
  if (typeof owner === 'string' && owner !== '') fields.owner = owner;
  fields.extra = objectReader(body['extra'] ?? null, 'extra') as JsonObject;

  const nodeIdent = body['node'];
  let node: Node | undefined;
  if (typeof nodeIdent === 'string' && nodeIdent !== '') {
    if (!atLeast(version, 58)) {
      throw invalid('Cannot set node when creating an allocation in this API version');
    }
    node = await referencedNode(ctx, nodeIdent);
  }
  const resourceClass = body['resource_class'];
  if (typeof resourceClass === 'string' && resourceClass !== '') {
    fields.resourceClass = resourceClass;
  } else if (node) {
    fields.resourceClass = node.resourceClass;
  } else {
    throw invalid('The resource_class field is mandatory when not backfilling');
  }
  fields.candidateNodes = await candidateUuids(ctx, stringsOf(body['candidate_nodes']));
  if (node) {
    checkBackfill(node, fields);
    fields.nodeUuid = node.uuid;
  }
  return fields;
}

function stringsOf(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}

const ALLOCATION_NAME_READER = (value: JsonValue): unknown => {
  if (value === null || value === '') return null;
  if (typeof value !== 'string') {
    throw invalid(`Invalid value for field "name": expected a string, got ${jsonType(value)}`);
  }
  if (!isValidAllocationName(value)) {
    throw invalid(`Cannot update allocation with invalid name '${value}'`);
  }
  return value;
};

/** What a patch may change on an allocation (API 1.57), in Ironic's order. */
export const ALLOCATION_PATCHABLE: WritableTable<Allocation> = {
  name: { minor: 57, key: 'name', read: ALLOCATION_NAME_READER, empty: null },
  extra: { minor: 57, key: 'extra', read: objectReader, empty: {} },
};

/** Refuses a patch that touches anything but name and extra. */
export function checkAllocationPatch(ops: readonly PatchOperation[]): void {
  const allowed = Object.keys(ALLOCATION_PATCHABLE);
  for (const op of ops) {
    if (!allowed.includes(rootField(op.path))) {
      throw invalid(
        `Cannot patch ${op.path}. Only the following can be updated: ${allowed.join(', ')}`,
      );
    }
  }
}

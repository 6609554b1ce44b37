import type { FastifyInstance } from 'fastify';
import { FerriteError, isFerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { Node } from '../../common/records.ts';
import type { NodeChanges } from '../../db/store.ts';
import type { ApiContext } from '../context.ts';
import { applyPatch, PATCH_BODY_SCHEMA, rootField } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import {
  newerField,
  PATCHABLE_NAMES,
  readBoolean,
  WRITABLE_NODE_FIELDS,
  writableValue,
} from '../views/node-input.ts';
import type { WritableNodeField } from '../views/node-input.ts';
import { nodeView } from '../views/node-view.ts';

function invalid(err: string): FerriteError {
  return new FerriteError('InvalidParameterValue', { err });
}

/** The fields a patch touches, each checked against what the request's version may write. */
function touchedFields(
  ops: readonly PatchOperation[],
  minor: number,
): Map<string, WritableNodeField> {
  const touched = new Map<string, WritableNodeField>();
  for (const op of ops) {
    const root = rootField(op.path);
    if (root === 'traits') {
      throw invalid(
        'Cannot update node traits via node patch. Node traits should be updated via the node traits API.',
      );
    }
    const spec = root === 'uuid' ? undefined : WRITABLE_NODE_FIELDS[root];
    if (!spec) {
      throw invalid(
        `Cannot patch ${op.path}. Only the following can be updated: ${PATCHABLE_NAMES.join(', ')}`,
      );
    }
    if (minor < spec.minor) throw newerField(root, spec.minor);
    touched.set(root, spec);
  }
  return touched;
}

/** The changes a patch makes to the locked node: nothing applies unless all of it does. */
function patchedChanges(
  node: Readonly<Node>,
  ops: readonly PatchOperation[],
  touched: ReadonlyMap<string, WritableNodeField>,
): NodeChanges {
  const doc: JsonObject = {};
  for (const [name, spec] of touched) doc[name] = writableValue(node, spec);
  const patched = applyPatch(doc, ops);
  const changes: Record<string, unknown> = {};
  for (const [name, spec] of touched) {
    const value = patched[name];
    if (value === undefined) {
      if (name === 'driver')
        throw invalid("'/driver' is a mandatory attribute and can not be removed");
      changes[spec.key] = spec.empty;
    } else {
      changes[spec.key] = spec.read(value, name);
    }
  }
  return changes;
}

/** `PATCH /v1/nodes/{ident}`: a JSON patch, applied under the node's lock by Ironic's rules. */
export async function nodeUpdateRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.patch<{
    Params: { ident: string };
    Querystring: { reset_interfaces?: string };
    Body: PatchOperation[];
  }>(
    '/nodes/:ident',
    {
      schema: {
        body: PATCH_BODY_SCHEMA,
        querystring: {
          type: 'object',
          properties: { reset_interfaces: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    async (request) => {
      const minor = request.apiVersion.minor;
      const ops = request.body;
      const touched = touchedFields(ops, minor);
      let resetInterfaces: boolean | undefined;
      if (request.query.reset_interfaces !== undefined) {
        if (minor < 45) throw newerField('reset_interfaces', 45);
        resetInterfaces = readBoolean(request.query.reset_interfaces, 'reset_interfaces');
        if (!touched.has('driver')) {
          throw invalid(
            "The reset_interfaces parameter can only be used when changing the node's driver.",
          );
        }
      }
      const updated = await ctx.conductor.updateNode(
        request.params.ident,
        async (node) => {
          const changes = patchedChanges(node, ops, touched);
          if (changes.chassisUuid) await checkChassis(ctx, changes.chassisUuid);
          return changes;
        },
        {
          ...(resetInterfaces !== undefined ? { resetInterfaces } : {}),
          allowWhileInspecting: minor < 39,
        },
      );
      return nodeView(updated, request);
    },
  );
}

/** A node may only point at a chassis that exists; naming a missing one is bad input (400). */
export async function checkChassis(ctx: ApiContext, uuid: string): Promise<void> {
  try {
    await ctx.store.chassis.get(uuid);
  } catch (error) {
    if (isFerriteError(error, 'ChassisNotFound'))
      throw invalid(`Chassis ${uuid} could not be found.`);
    throw error;
  }
}

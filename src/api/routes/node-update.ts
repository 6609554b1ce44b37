import type { FastifyInstance } from 'fastify';
import { isFerriteError } from '../../common/errors.ts';
import type { NodeChanges } from '../../db/store.ts';
import { booleanArg, invalid, notAcceptable } from '../collection.ts';
import type { ApiContext } from '../context.ts';
import { checkPatchPaths, patchChanges } from '../input.ts';
import { PATCH_BODY_SCHEMA, rootField } from '../json-patch.ts';
import type { PatchOperation } from '../json-patch.ts';
import { WRITABLE_NODE_FIELDS } from '../views/node-input.ts';
import { nodeView } from '../views/node-view.ts';

const TRAITS_BY_PATCH =
  'Cannot update node traits via node patch. Node traits should be updated via the node traits API.';

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
      if (ops.some((op) => rootField(op.path) === 'traits')) throw invalid(TRAITS_BY_PATCH);
      checkPatchPaths(ops, WRITABLE_NODE_FIELDS, minor);
      let resetInterfaces: boolean | undefined;
      if (request.query.reset_interfaces !== undefined) {
        if (minor < 45) {
          throw notAcceptable('The reset_interfaces parameter needs API version 1.45 or later.');
        }
        resetInterfaces = booleanArg('reset_interfaces', request.query.reset_interfaces);
        if (!ops.some((op) => rootField(op.path) === 'driver')) {
          throw invalid(
            "The reset_interfaces parameter can only be used when changing the node's driver.",
          );
        }
      }
      const updated = await ctx.conductor.updateNode(
        request.params.ident,
        async (node) => {
          const changes: NodeChanges = patchChanges(node, ops, WRITABLE_NODE_FIELDS);
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

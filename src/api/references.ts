import { FerriteError, isFerriteError } from '../common/errors.ts';
import type { Node, Portgroup } from '../common/records.ts';
import { isUuid } from '../common/uuid.ts';
import { invalid } from './collection.ts';
import type { ApiContext } from './context.ts';

/**
 * Lookups of what a request body points at. A missing node or portgroup
 * named in a body is the client's mistake (400, as Ironic answers), not a
 * missing resource (404): the URL itself was fine.
 */

export async function referencedNode(ctx: ApiContext, ident: string): Promise<Node> {
  try {
    return await ctx.store.nodes.get(ident);
  } catch (error) {
    if (isFerriteError(error, 'NodeNotFound')) throw invalid(`Node ${ident} could not be found.`);
    throw error;
  }
}

export async function referencedPortgroup(ctx: ApiContext, ident: string): Promise<Portgroup> {
  try {
    return await ctx.store.portgroups.get(ident);
  } catch (error) {
    if (isFerriteError(error, 'PortgroupNotFound')) {
      throw invalid(`Portgroup ${ident} could not be found.`);
    }
    throw error;
  }
}

/** A path identifier that must be a UUID (resources without logical names). */
export function uuidIdent(ident: string): string {
  if (!isUuid(ident)) throw new FerriteError('InvalidUUID', { uuid: ident });
  return ident.toLowerCase();
}

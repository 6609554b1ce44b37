import { FerriteError, isFerriteError } from '../../common/errors.ts';
import type { Allocation, Node } from '../../common/records.ts';
import { ProvisionState } from '../../common/states.ts';
import type { NewAllocation } from '../../db/store.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { WorkPool } from '../work-pool.ts';

/** Where a node may lose its allocation without being in maintenance: it runs no workload. */
const RELEASABLE_STATES: readonly ProvisionState[] = [
  ProvisionState.ENROLL,
  ProvisionState.MANAGEABLE,
  ProvisionState.AVAILABLE,
  ProvisionState.INSPECTFAIL,
  ProvisionState.CLEANFAIL,
  ProvisionState.ADOPTFAIL,
];

/** Whether `node` may take `allocation`: what Ironic's allocation process checks, in order. */
function matches(node: Node, allocation: Allocation): boolean {
  if (node.provisionState !== ProvisionState.AVAILABLE || node.maintenance) return false;
  if (node.instanceUuid !== null || node.allocationUuid !== null) return false;
  if (allocation.resourceClass !== null && node.resourceClass !== allocation.resourceClass) {
    return false;
  }
  if (allocation.candidateNodes.length > 0 && !allocation.candidateNodes.includes(node.uuid)) {
    return false;
  }
  if (
    allocation.owner !== null &&
    node.owner !== allocation.owner &&
    node.lessee !== allocation.owner
  ) {
    return false;
  }
  return allocation.traits.every((t) => node.traits.includes(t));
}

/** Candidates in the order they are tried: a node named like the allocation first, the rest shuffled. */
function tryOrder(nodes: Node[], allocation: Allocation, random: () => number): Node[] {
  const shuffled = nodes
    .map((node) => ({ node, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((e) => e.node);
  const named = shuffled.findIndex((n) => allocation.name !== null && n.name === allocation.name);
  if (named > 0) shuffled.unshift(...shuffled.splice(named, 1));
  return shuffled;
}

function noMatch(allocation: Allocation): string {
  const wants = [
    allocation.resourceClass !== null ? `resource class ${allocation.resourceClass}` : undefined,
    allocation.traits.length > 0 ? `traits ${allocation.traits.join(', ')}` : undefined,
    allocation.candidateNodes.length > 0 ? 'the candidate nodes' : undefined,
    allocation.owner !== null ? `owner ${allocation.owner}` : undefined,
  ].filter((w) => w !== undefined);
  return `No available nodes match the requested ${wants.length > 0 ? wants.join(' and ') : 'criteria'}`;
}

/**
 * Gives the allocation a node, as Ironic's conductor does: every available,
 * unassociated node outside maintenance that matches is tried under its lock
 * until one is taken; the node's instance_uuid becomes the allocation's
 * uuid. None left: the allocation ends in `error` with the reason.
 */
export async function processAllocation(
  ctx: ConductorContext,
  allocation: Allocation,
  random: () => number = Math.random,
): Promise<Allocation> {
  const candidates = (
    await ctx.store.nodes.list({
      provisionState: ProvisionState.AVAILABLE,
      maintenance: false,
      associated: false,
      ...(allocation.resourceClass !== null ? { resourceClass: allocation.resourceClass } : {}),
    })
  ).filter((n) => matches(n, allocation));
  for (const candidate of tryOrder(candidates, allocation, random)) {
    try {
      const taken = await ctx.tasks.run(
        candidate.uuid,
        { purpose: 'allocating node', attempts: 1 },
        async (task) => {
          // Checked again under the lock: another allocation or a deploy may have won the race.
          if (!matches(task.node, allocation)) return undefined;
          const updated = await ctx.store.allocations.update(allocation.uuid, {
            nodeUuid: task.node.uuid,
            state: 'active',
            lastError: null,
          });
          task.node.instanceUuid = allocation.uuid;
          task.node.allocationUuid = allocation.uuid;
          return updated;
        },
      );
      if (taken) return taken;
    } catch (error) {
      // A node locked or gone since the listing is simply not this allocation's.
      if (isFerriteError(error, 'NodeLocked') || isFerriteError(error, 'NodeNotFound')) continue;
      if (isFerriteError(error, 'NodeAssociated')) continue;
      throw error;
    }
  }
  return ctx.store.allocations.update(allocation.uuid, {
    state: 'error',
    lastError: noMatch(allocation),
  });
}

/**
 * Creates an allocation. With a node (backfilling a node deployed without
 * one) the allocation is active at once; otherwise it starts `allocating`
 * and a node is looked for in the background.
 */
export async function createAllocation(
  ctx: ConductorContext,
  pool: WorkPool,
  fields: NewAllocation,
): Promise<Allocation> {
  const nodeIdent = fields.nodeUuid;
  if (nodeIdent !== undefined && nodeIdent !== null) {
    return backfillAllocation(ctx, nodeIdent, fields);
  }
  const start = pool.reserve();
  let allocation: Allocation;
  try {
    allocation = await ctx.store.allocations.create({
      ...fields,
      state: 'allocating',
      conductorAffinity: ctx.config.host,
    });
  } catch (error) {
    pool.cancel();
    throw error;
  }
  start(async () => {
    try {
      await processAllocation(ctx, allocation);
    } catch (error) {
      ctx.logger.warn(
        { allocation: allocation.uuid, error: describeError(error) },
        'allocation failed',
      );
      await ctx.store.allocations.update(allocation.uuid, {
        state: 'error',
        lastError: `Failed to process allocation ${allocation.uuid}: ${describeError(error)}`,
      });
    }
  });
  return allocation;
}

function backfillAllocation(
  ctx: ConductorContext,
  nodeIdent: string,
  fields: NewAllocation,
): Promise<Allocation> {
  return ctx.tasks.run(nodeIdent, { purpose: 'backfilling allocation' }, async (task) => {
    const node = task.node;
    if (node.provisionState !== ProvisionState.ACTIVE) {
      throw new FerriteError('InvalidState', {
        err: `Cannot create an allocation for node ${node.uuid} in provision state "${node.provisionState}": only deployed (active) nodes can be backfilled.`,
      });
    }
    if (node.allocationUuid !== null) {
      throw new FerriteError('NodeAssociated', {
        node: node.uuid,
        instance: node.allocationUuid,
      });
    }
    const allocation = await ctx.store.allocations.create({
      ...fields,
      nodeUuid: node.uuid,
      // An instance already there names the allocation; otherwise the allocation names the instance.
      ...(node.instanceUuid !== null && fields.uuid === undefined
        ? { uuid: node.instanceUuid }
        : {}),
      state: 'active',
      conductorAffinity: ctx.config.host,
    });
    node.allocationUuid = allocation.uuid;
    if (node.instanceUuid === null) node.instanceUuid = allocation.uuid;
    return allocation;
  });
}

/**
 * Removes an allocation, and from its node the instance it gave. Refused on
 * a node that runs a workload unless it is in maintenance, and while the
 * allocation is still looking for a node.
 */
export async function deleteAllocation(ctx: ConductorContext, ident: string): Promise<void> {
  const allocation = await ctx.store.allocations.get(ident);
  if (allocation.state === 'allocating') {
    throw new FerriteError('InvalidState', {
      err: `Allocation ${allocation.uuid} is still being processed and cannot be deleted.`,
    });
  }
  if (allocation.nodeUuid === null) {
    await ctx.store.allocations.delete(allocation.uuid);
    return;
  }
  await ctx.tasks.run(allocation.nodeUuid, { purpose: 'removing allocation' }, async (task) => {
    const node = task.node;
    if (!node.maintenance && !RELEASABLE_STATES.includes(node.provisionState)) {
      throw new FerriteError('InvalidState', {
        err: `Cannot remove allocation ${allocation.uuid} from node ${node.uuid} in provision state "${node.provisionState}" unless it is in maintenance.`,
      });
    }
    await ctx.store.allocations.delete(allocation.uuid);
    node.allocationUuid = null;
    if (node.instanceUuid === allocation.uuid) node.instanceUuid = null;
  });
}

/** Deletes an allocation record that may already be gone (a racing delete is no failure). */
export async function removeAllocationRecord(ctx: ConductorContext, uuid: string): Promise<void> {
  try {
    await ctx.store.allocations.delete(uuid);
  } catch (error) {
    if (!isFerriteError(error, 'AllocationNotFound')) throw error;
  }
}

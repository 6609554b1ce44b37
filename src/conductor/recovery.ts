import { isFerriteError } from '../common/errors.ts';
import { STUCK_STATES_TREATED_AS_FAIL } from '../common/fsm.ts';
import { ProvisionState as S } from '../common/states.ts';
import type { ProvisionState } from '../common/states.ts';
import type { ConductorContext } from './context.ts';
import { describeError } from './context.ts';
import { CLEAN_FLOW } from './operations/cleaning.ts';
import { DEPLOY_FLOW } from './operations/deploying.ts';
import { SERVICE_FLOW } from './operations/servicing.ts';
import { clearSteps } from './operations/step-runner.ts';

/** Wait states whose operation a restarted conductor cannot pick up again either. */
const ABANDONED_WAITS: readonly ProvisionState[] = [
  S.DEPLOYWAIT,
  S.CLEANWAIT,
  S.INSPECTWAIT,
  S.RESCUEWAIT,
  S.SERVICEWAIT,
];

const FLOW_OF: Partial<Record<ProvisionState, typeof CLEAN_FLOW>> = {
  [S.DEPLOYING]: DEPLOY_FLOW,
  [S.DEPLOYWAIT]: DEPLOY_FLOW,
  [S.CLEANING]: CLEAN_FLOW,
  [S.CLEANWAIT]: CLEAN_FLOW,
  [S.SERVICING]: SERVICE_FLOW,
  [S.SERVICEWAIT]: SERVICE_FLOW,
};

/**
 * Moves a node an operation was abandoned on to its failed state, with
 * last_error saying why. The node must be locked by `task`.
 */
async function failAbandoned(
  ctx: ConductorContext,
  uuid: string,
  reason: (state: string) => string,
): Promise<boolean> {
  try {
    return await ctx.tasks.run(
      uuid,
      { purpose: 'failing an abandoned operation', attempts: 1 },
      async (task) => {
        const state = task.node.provisionState;
        if (!STUCK_STATES_TREATED_AS_FAIL.includes(state) && !ABANDONED_WAITS.includes(state))
          return false;
        const flow = FLOW_OF[state];
        if (flow) clearSteps(task, flow);
        task.node.lastError = reason(state);
        task.node.targetPowerState = null;
        task.processEvent('fail');
        ctx.logger.warn(
          { node: task.node.uuid, from: state, to: task.node.provisionState },
          'abandoned operation failed',
        );
        return true;
      },
    );
  } catch (error) {
    if (isFerriteError(error, 'NodeLocked') || isFerriteError(error, 'NodeNotFound')) return false;
    throw error;
  }
}

/**
 * What a conductor does as it starts: releases the locks it held when it
 * stopped (or died), and fails the operations it left behind — nodes it had
 * locked in a working state, and nodes in a wait state it was driving.
 */
export async function recoverAfterRestart(ctx: ConductorContext): Promise<string[]> {
  const host = ctx.config.host;
  const released = new Set(await ctx.store.nodes.releaseAll(host));
  const candidates = await ctx.store.nodes.list({
    provisionState: [...STUCK_STATES_TREATED_AS_FAIL, ...ABANDONED_WAITS],
    reserved: false,
  });
  const failed: string[] = [];
  for (const node of candidates) {
    if (!released.has(node.uuid) && node.conductorAffinity !== host) continue;
    if (
      await failAbandoned(
        ctx,
        node.uuid,
        (state) =>
          `The ${state} state can't be resumed by conductor ${host}. Moving to fail state.`,
      )
    ) {
      failed.push(node.uuid);
    }
  }
  return failed;
}

/**
 * Takes back the locks of conductors that stopped heartbeating: releases
 * them, clears power operations they had in flight, and fails what they were
 * doing.
 */
export async function takeOverFromDeadConductors(ctx: ConductorContext): Promise<string[]> {
  const alive = new Set(
    await ctx.store.conductors.alive(new Date(ctx.clock.now() - ctx.config.heartbeatTimeoutMs)),
  );
  alive.add(ctx.config.host);
  const locked = await ctx.store.nodes.list({ reserved: true });
  const taken: string[] = [];
  for (const node of locked) {
    const holder = node.reservation;
    if (holder === null || alive.has(holder)) continue;
    try {
      if (!(await ctx.store.nodes.release(node.uuid, holder))) continue;
    } catch (error) {
      ctx.logger.warn(
        { node: node.uuid, error: describeError(error) },
        'could not release an orphaned lock',
      );
      continue;
    }
    ctx.logger.warn({ node: node.uuid, holder }, 'took over a node locked by a dead conductor');
    taken.push(node.uuid);
    if (node.targetPowerState !== null) {
      try {
        await ctx.tasks.run(
          node.uuid,
          { purpose: 'clearing an orphaned power operation', attempts: 1 },
          async (task) => {
            task.node.targetPowerState = null;
            task.node.lastError = 'Pending power operation was aborted due to conductor take over';
          },
        );
      } catch (error) {
        if (!isFerriteError(error, 'NodeLocked')) throw error;
      }
    }
    await failAbandoned(ctx, node.uuid, () => 'Operation was aborted due to conductor take over');
  }
  return taken;
}

import { isFerriteError } from '../../common/errors.ts';
import type { NodeFilter } from '../../db/store.ts';
import { ProvisionState as S } from '../../common/states.ts';
import type { ProvisionState } from '../../common/states.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import { CLEAN_FLOW } from '../operations/cleaning.ts';
import { DEPLOY_FLOW } from '../operations/deploying.ts';
import { SERVICE_FLOW } from '../operations/servicing.ts';
import type { NodeTask } from '../task-manager.ts';

interface WaitLimit {
  readonly state: ProvisionState;
  readonly timeoutMs: (ctx: ConductorContext) => number;
  /** Inspection is timed from its start; the rest from the last state change. */
  readonly since: 'provision' | 'inspection';
  readonly expire: (ctx: ConductorContext, task: NodeTask) => Promise<void>;
}

const LIMITS: readonly WaitLimit[] = [
  {
    state: S.DEPLOYWAIT,
    timeoutMs: (ctx) => ctx.config.timeouts.deployCallbackMs,
    since: 'provision',
    expire: (ctx, task) =>
      DEPLOY_FLOW.fail(
        ctx,
        task,
        `Timeout reached while waiting for callback for node ${task.node.uuid}`,
      ),
  },
  {
    state: S.CLEANWAIT,
    timeoutMs: (ctx) => ctx.config.timeouts.cleanCallbackMs,
    since: 'provision',
    expire: (ctx, task) =>
      CLEAN_FLOW.fail(
        ctx,
        task,
        `Timeout reached while cleaning the node. Please check if the ramdisk responsible for the cleaning is running on the node. Failed on step ${JSON.stringify(task.node.cleanStep)}.`,
      ),
  },
  {
    state: S.INSPECTWAIT,
    timeoutMs: (ctx) => ctx.config.timeouts.inspectWaitMs,
    since: 'inspection',
    expire: async (_ctx, task) => {
      task.node.lastError = 'timeout reached while inspecting the node';
      task.processEvent('fail');
    },
  },
  {
    state: S.RESCUEWAIT,
    timeoutMs: (ctx) => ctx.config.timeouts.rescueCallbackMs,
    since: 'provision',
    expire: async (_ctx, task) => {
      let cleanup = '';
      try {
        await task.driver.rescue?.cleanUp(task);
      } catch (error) {
        cleanup = ` Cleaning up after rescue failed: ${describeError(error)}`;
      }
      task.node.lastError = `Timeout reached while waiting for rescue ramdisk callback for node ${task.node.uuid}.${cleanup}`;
      task.processEvent('fail', { keepTarget: true });
    },
  },
  {
    state: S.SERVICEWAIT,
    timeoutMs: (ctx) => ctx.config.timeouts.serviceWaitMs,
    since: 'provision',
    expire: (ctx, task) =>
      SERVICE_FLOW.fail(ctx, task, `Timeout reached while servicing node ${task.node.uuid}`),
  },
];

/**
 * Fails nodes that have waited too long for their ramdisk (deploy, clean,
 * inspect, rescue, service). Locked nodes and nodes in maintenance are left
 * alone. Returns how many nodes were failed.
 */
export async function checkTimeouts(ctx: ConductorContext): Promise<number> {
  let failed = 0;
  for (const limit of LIMITS) {
    const cutoff = new Date(ctx.clock.now() - limit.timeoutMs(ctx));
    const filter: NodeFilter = {
      provisionState: limit.state,
      reserved: false,
      maintenance: false,
      ...(limit.since === 'inspection'
        ? { inspectionStartedBefore: cutoff }
        : { provisionUpdatedBefore: cutoff }),
    };
    for (const node of await ctx.store.nodes.list(filter)) {
      try {
        await ctx.tasks.run(
          node.uuid,
          { purpose: `timing out ${limit.state}`, attempts: 1 },
          async (task) => {
            const stamp =
              limit.since === 'inspection'
                ? task.node.inspectionStartedAt
                : task.node.provisionUpdatedAt;
            if (
              task.node.provisionState !== limit.state ||
              task.node.maintenance ||
              stamp === null ||
              stamp >= cutoff
            )
              return;
            await limit.expire(ctx, task);
            failed += 1;
            ctx.logger.warn({ node: task.node.uuid, state: limit.state }, 'timed out');
          },
        );
      } catch (error) {
        if (isFerriteError(error, 'NodeLocked') || isFerriteError(error, 'NodeNotFound')) continue;
        ctx.logger.error(
          { node: node.uuid, error: describeError(error) },
          'timing out a node failed',
        );
      }
    }
  }
  return failed;
}

/**
 * The ramdisk agent's calls into the conductor: lookup (which hands out the
 * operation's token, once) and heartbeat (which must carry it, and moves a
 * waiting deploy, cleaning or inspection on).
 */
import { randomBytes } from 'node:crypto';
import { sameSecret } from '../../common/constant-time.ts';
import { FerriteError } from '../../common/errors.ts';
import { LOOKUP_ALLOWED_STATES } from '../../common/fsm.ts';
import type { Node } from '../../common/records.ts';
import { ProvisionState } from '../../common/states.ts';
import type { HeartbeatOutcome } from '../../drivers/interfaces/deploy.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';
import { CLEAN_FLOW } from './cleaning.ts';
import { DEPLOY_FLOW } from './deploying.ts';
import { finishInspection, inspectionFailed } from './inspection.ts';
import { resumeFlow } from './step-runner.ts';
import type { StepFlow } from './step-runner.ts';

const TOKEN_KEY = 'agent_secret_token';
const MASKED = '******';

/** What a lookup gives the agent: its node, and its token unless handed out before. */
export interface AgentLookup {
  readonly node: Node;
  readonly token: string;
}

/** What the agent says in a heartbeat. */
export interface AgentBeat {
  readonly callbackUrl: string;
  readonly token?: string;
  readonly agentVersion?: string;
  readonly agentStatus?: string;
  readonly agentStatusMessage?: string;
}

/**
 * Gives the agent its node. The first lookup of an operation makes the
 * token and hands it over; later ones see it masked, so a second agent
 * cannot take the node over (as in Ironic).
 */
export async function agentLookup(ctx: ConductorContext, uuid: string): Promise<AgentLookup> {
  return ctx.tasks.run(uuid, { purpose: 'agent lookup', attempts: 1 }, async (task) => {
    if (!LOOKUP_ALLOWED_STATES.includes(task.node.provisionState))
      throw new FerriteError('NotFound');
    const info = task.node.driverInternalInfo;
    if (typeof info[TOKEN_KEY] === 'string') return { node: task.node, token: MASKED };
    const token = randomBytes(32).toString('base64url');
    info[TOKEN_KEY] = token;
    await task.save();
    ctx.logger.info({ node: task.node.uuid }, 'agent token handed out');
    return { node: task.node, token };
  });
}

/** Checks the token of a heartbeat; a refusal is logged, the token never. */
function checkToken(ctx: ConductorContext, task: NodeTask, given: string | undefined): void {
  const expected = task.node.driverInternalInfo[TOKEN_KEY];
  if (typeof expected === 'string' && given !== undefined && sameSecret(given, expected)) return;
  ctx.logger.warn(
    { node: task.node.uuid, token: given === undefined ? 'missing' : 'wrong' },
    'heartbeat refused: invalid or missing agent token',
  );
  throw new FerriteError('InvalidParameterValue', {
    err: 'Invalid or missing agent token received.',
  });
}

function resumeOn(
  ctx: ConductorContext,
  flow: StepFlow,
  run: (task: NodeTask) => Promise<HeartbeatOutcome>,
) {
  return {
    work: async (task: NodeTask) => {
      if ((await run(task)) === 'continue') await resumeFlow(ctx, task, flow);
    },
    failed: (task: NodeTask, error: unknown) => flow.fail(ctx, task, describeError(error)),
  };
}

/**
 * A heartbeat: the token checked, the agent's URL recorded, the wait's
 * timer restarted, and, in a wait state, the operation moved on in the
 * background (the agent gets its answer at once).
 */
export async function agentHeartbeat(
  ctx: ConductorContext,
  ident: string,
  beat: AgentBeat,
): Promise<void> {
  await ctx.tasks.run(ident, { purpose: 'heartbeat', attempts: 1 }, async (task) => {
    checkToken(ctx, task, beat.token);
    const node = task.node;
    node.driverInternalInfo = {
      ...node.driverInternalInfo,
      agent_url: beat.callbackUrl,
      agent_last_heartbeat: new Date(task.clock.now()).toISOString(),
      ...(beat.agentVersion !== undefined ? { agent_version: beat.agentVersion } : {}),
    };
    const state = node.provisionState;
    const waiting =
      state === ProvisionState.DEPLOYWAIT ||
      state === ProvisionState.CLEANWAIT ||
      state === ProvisionState.INSPECTWAIT;
    // Timeouts count from the last sign of life (not for inspection, timed from its start).
    if (waiting) node.provisionUpdatedAt = new Date(task.clock.now());
    const deploy = task.driver.deploy;
    let background:
      | {
          work: (task: NodeTask) => Promise<void>;
          failed: (task: NodeTask, error: unknown) => Promise<void>;
        }
      | undefined;
    if (state === ProvisionState.DEPLOYWAIT && deploy.heartbeat) {
      background = resumeOn(
        ctx,
        DEPLOY_FLOW,
        (t) => deploy.heartbeat?.(t, beat.callbackUrl) ?? Promise.resolve('wait'),
      );
    } else if (state === ProvisionState.CLEANWAIT && deploy.heartbeat) {
      background = resumeOn(
        ctx,
        CLEAN_FLOW,
        (t) => deploy.heartbeat?.(t, beat.callbackUrl) ?? Promise.resolve('wait'),
      );
    } else if (state === ProvisionState.INSPECTWAIT && task.driver.inspect?.heartbeat) {
      const inspect = task.driver.inspect;
      background = {
        work: async (t) => {
          if ((await inspect.heartbeat?.(t, beat.callbackUrl)) !== 'continue') return;
          t.processEvent('resume');
          finishInspection(t);
          ctx.logger.info({ node: t.node.uuid }, 'inspected in band');
        },
        failed: async (t, error) => {
          try {
            await inspect.abort?.(t);
          } catch (abortError) {
            ctx.logger.warn(
              { node: t.node.uuid, error: describeError(abortError) },
              'ending inspection failed',
            );
          }
          if (t.node.provisionState === ProvisionState.INSPECTWAIT) t.processEvent('resume');
          inspectionFailed(t, error);
        },
      };
    }
    if (background) task.spawn(background.work, background.failed);
    await task.save();
  });
}

import type { Output } from '../output.ts';
import { WaitError } from './errors.ts';
import type { BaremetalClient, Json } from './http.ts';
import { atLeast } from './microversion.ts';

/** Where a node rests when an operation failed: waiting ends there with its last_error. */
export const FAILURE_STATES: ReadonlySet<string> = new Set([
  'deploy failed',
  'clean failed',
  'inspect failed',
  'rescue failed',
  'unrescue failed',
  'adopt failed',
  'service failed',
  'error',
]);

const WATCHED_FIELDS = [
  'uuid',
  'name',
  'provision_state',
  'target_provision_state',
  'power_state',
  'target_power_state',
  'last_error',
].join(',');

/** How to wait: a timeout (0: none), the polling interval, where progress goes. */
export interface WaitOptions {
  readonly timeoutS: number;
  readonly intervalMs: number;
  /** Progress: one line per change, or one live line on a terminal. */
  readonly progress: Output & { readonly isTTY?: boolean };
}

/** What to watch: the node's provision or power state, and the state that means done. */
export interface WaitTarget {
  readonly kind: 'provision' | 'power';
  /** The state that ends the wait well; null: any resting state does (abort). */
  readonly expected: string | null;
}

/** Whether the node rests in a failure state (Ironic's names end in "failed"). */
function isFailure(state: string): boolean {
  return FAILURE_STATES.has(state) || state.endsWith(' failed');
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function describe(node: Json, kind: WaitTarget['kind']): string {
  const state = text(node[`${kind}_state`]) || 'None';
  const target = text(node[`target_${kind}_state`]);
  return target ? `${state} → ${target}` : state;
}

/**
 * Polls node `ident` until its target state is gone (the conductor is done),
 * printing each change; resolves with the node when it rests in `expected`,
 * throws WaitError with its last_error when it rests elsewhere or time runs out.
 */
export async function waitForNode(
  client: BaremetalClient,
  ident: string,
  target: WaitTarget,
  options: WaitOptions,
): Promise<Json> {
  const live = options.progress.isTTY === true;
  let shown = '';
  const show = (line: string): void => {
    if (line === shown) return;
    options.progress.write(live ? `\r\x1b[K${line}` : `${line}\n`);
    shown = line;
  };
  try {
    return await poll(client, ident, target, options, show);
  } finally {
    // Whatever ends the wait, the live line stays and the next output starts afresh.
    if (live && shown !== '') options.progress.write('\n');
  }
}

async function poll(
  client: BaremetalClient,
  ident: string,
  target: WaitTarget,
  options: WaitOptions,
  show: (line: string) => void,
): Promise<Json> {
  const start = Date.now();
  const path = `nodes/${encodeURIComponent(ident)}`;
  // Only what the wait reads, where the API can say so (fields arrived in 1.8).
  const query = atLeast(await client.version(), 8) ? { fields: WATCHED_FIELDS } : {};
  for (;;) {
    const node = await client.get(path, query);
    const label = text(node['name']) || text(node['uuid']) || ident;
    show(`${label}: ${describe(node, target.kind)}`);
    const state = text(node[`${target.kind}_state`]);
    // A failed operation may keep its target (Ironic leaves "deploy failed → active").
    const failed = target.expected !== null && isFailure(state);
    if (failed || node[`target_${target.kind}_state`] == null) {
      if (failed || (target.expected !== null && state !== target.expected)) {
        const lastError = text(node['last_error']);
        throw new WaitError(
          `node ${label} ended in "${state}", not "${target.expected}"` +
            (lastError ? `: ${lastError}` : ''),
        );
      }
      return node;
    }
    if (options.timeoutS > 0 && Date.now() - start >= options.timeoutS * 1000) {
      throw new WaitError(
        `timed out after ${options.timeoutS}s waiting for node ${label} to reach ` +
          `"${target.expected ?? 'a resting state'}"; it is ${describe(node, target.kind)}`,
      );
    }
    await sleep(options.intervalMs);
  }
}

import type { Node } from '../common/records.ts';
import { ProvisionState as S } from '../common/states.ts';
import type { ProvisionState } from '../common/states.ts';
import type { Store } from '../db/store.ts';

/** How many events a node's history keeps (Ironic's node_history_max_entries). */
export const HISTORY_PER_NODE = 300;

/** What the node was doing when the event happened, in Ironic's event-type words. */
export function eventTypeOf(node: Readonly<Node>, purpose: string): string {
  const state = node.provisionState;
  const among = (states: readonly ProvisionState[]): boolean => states.includes(state);
  if (among([S.CLEANING, S.CLEANWAIT, S.CLEANFAIL, S.CLEANHOLD])) return 'cleaning';
  if (among([S.DEPLOYING, S.DEPLOYWAIT, S.DEPLOYFAIL, S.DEPLOYHOLD])) return 'deploying';
  if (among([S.INSPECTING, S.INSPECTWAIT, S.INSPECTFAIL])) return 'inspection';
  if (among([S.RESCUING, S.RESCUEWAIT, S.RESCUEFAIL, S.UNRESCUEFAIL])) return 'rescue';
  if (among([S.SERVICING, S.SERVICEWAIT, S.SERVICEFAIL, S.SERVICEHOLD])) return 'service';
  if (state === S.VERIFYING) return 'verify';
  if (purpose.includes('power')) return 'power';
  if (purpose.includes('console')) return 'console';
  return 'provisioning';
}

/**
 * Records a new last_error in the node's history, as Ironic does for every
 * failure it reports, and keeps the history to its bound.
 */
export async function recordFailure(
  store: Store,
  node: Readonly<Node>,
  conductor: string,
  purpose: string,
  error: string,
): Promise<void> {
  await store.nodeHistory.record({
    nodeUuid: node.uuid,
    conductor,
    event: error,
    eventType: eventTypeOf(node, purpose),
    severity: 'ERROR',
  });
  await store.nodeHistory.prune({ keep: HISTORY_PER_NODE, nodeUuids: [node.uuid] });
}

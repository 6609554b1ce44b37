import type { JsonObject } from '../../common/json.ts';
import type { ConductorContext } from '../context.ts';

/**
 * External events (a network service reporting that it bound, unbound or
 * deleted a port). Nothing acts on them yet: they are logged, so an operator
 * can follow what the network side did.
 */
export function receiveEvents(ctx: ConductorContext, events: readonly JsonObject[]): void {
  for (const event of events) ctx.logger.info({ event }, 'external event received');
}

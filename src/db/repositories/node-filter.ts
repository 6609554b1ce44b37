import { expressionBuilder, sql } from 'kysely';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { intBool, isoTimestamp } from '../codec.ts';
import type { Database } from '../schema.ts';
import type { NodeFilter } from '../store.ts';

const NOTHING = sql<SqlBool>`1 = 0`;

/** The filter as one condition on `nodes`; undefined when it filters nothing. */
export function nodeFilter(filter: NodeFilter): Expression<SqlBool> | undefined {
  const eb: ExpressionBuilder<Database, 'nodes'> = expressionBuilder<Database, 'nodes'>();
  const all: Expression<SqlBool>[] = [];
  const f = filter;

  if (f.provisionState !== undefined) {
    const states = typeof f.provisionState === 'string' ? [f.provisionState] : f.provisionState;
    all.push(states.length === 0 ? NOTHING : eb('provision_state', 'in', states));
  }
  if (f.maintenance !== undefined) all.push(eb('maintenance', '=', intBool(f.maintenance)));
  if (f.reserved !== undefined) {
    all.push(eb('reservation', f.reserved ? 'is not' : 'is', null));
  }
  if (f.reservedBy !== undefined) {
    all.push(f.reservedBy.length === 0 ? NOTHING : eb('reservation', 'in', f.reservedBy));
  }
  if (f.driver !== undefined) all.push(eb('driver', '=', f.driver));
  if (f.associated !== undefined) {
    all.push(eb('instance_uuid', f.associated ? 'is not' : 'is', null));
  }
  if (f.instanceUuid !== undefined) all.push(eb('instance_uuid', '=', f.instanceUuid));
  if (f.resourceClass !== undefined) all.push(eb('resource_class', '=', f.resourceClass));
  if (f.conductorGroup !== undefined) all.push(eb('conductor_group', '=', f.conductorGroup));
  if (f.conductorAffinity !== undefined) {
    all.push(eb('conductor_affinity', '=', f.conductorAffinity));
  }
  if (f.fault !== undefined) all.push(eb('fault', '=', f.fault));
  if (f.owner !== undefined) all.push(eb('owner', '=', f.owner));
  if (f.lessee !== undefined) all.push(eb('lessee', '=', f.lessee));
  if (f.chassisUuid !== undefined) all.push(eb('chassis_uuid', '=', f.chassisUuid));
  if (f.retired !== undefined) all.push(eb('retired', '=', intBool(f.retired)));
  if (f.descriptionContains !== undefined) {
    // LIKE, with its wildcards escaped, reads the same on both databases; case is ignored.
    const pattern = `%${f.descriptionContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    all.push(sql<SqlBool>`lower(${eb.ref('description')}) like ${pattern} escape '\\'`);
  }
  // ISO-8601 text of fixed width: comparing the text compares the times.
  if (f.provisionUpdatedBefore !== undefined) {
    all.push(eb('provision_updated_at', '<', isoTimestamp(f.provisionUpdatedBefore)));
  }
  if (f.inspectionStartedBefore !== undefined) {
    all.push(eb('inspection_started_at', '<', isoTimestamp(f.inspectionStartedBefore)));
  }
  if (f.powerActionInFlight !== undefined) {
    all.push(eb('target_power_state', f.powerActionInFlight ? 'is not' : 'is', null));
  }
  if (f.shard !== undefined) {
    all.push(f.shard.length === 0 ? NOTHING : eb('shard', 'in', f.shard));
  }
  if (f.sharded !== undefined) all.push(eb('shard', f.sharded ? 'is not' : 'is', null));

  if (all.length === 0) return undefined;
  return all.length === 1 ? all[0] : eb.and(all);
}

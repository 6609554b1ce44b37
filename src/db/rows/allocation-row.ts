import type { Selectable } from 'kysely';
import { deepFreeze } from '../../common/json.ts';
import type { Allocation, AllocationState } from '../../common/records.ts';
import { date, dateOrNull, encodeFields, json, stringList } from '../codec.ts';
import type { FieldSpec } from '../codec.ts';
import type { AllocationsTable } from '../schema.ts';
import type { AllocationChanges } from '../store.ts';

/** How every writable allocation field is stored (uuid is fixed at creation). */
export const ALLOCATION_FIELDS: {
  readonly [K in keyof AllocationChanges]-?: FieldSpec<keyof AllocationsTable>;
} = {
  name: ['name', 'plain'],
  nodeUuid: ['node_uuid', 'plain'],
  state: ['state', 'plain'],
  lastError: ['last_error', 'plain'],
  resourceClass: ['resource_class', 'plain'],
  traits: ['traits', 'list'],
  candidateNodes: ['candidate_nodes', 'list'],
  extra: ['extra', 'json'],
  owner: ['owner', 'plain'],
  conductorAffinity: ['conductor_affinity', 'plain'],
};

/** A new allocation waits for the conductor to pick its node (Ironic's defaults). */
export const ALLOCATION_DEFAULTS: Readonly<Omit<Allocation, 'uuid' | 'createdAt' | 'updatedAt'>> =
  deepFreeze({
    name: null,
    nodeUuid: null,
    state: 'allocating',
    lastError: null,
    resourceClass: null,
    traits: [],
    candidateNodes: [],
    extra: {},
    owner: null,
    conductorAffinity: null,
  });

export function allocationColumns(changes: AllocationChanges): Partial<AllocationsTable> {
  return encodeFields<AllocationsTable>(ALLOCATION_FIELDS, changes);
}

export function allocationFromRow(row: Selectable<AllocationsTable>): Allocation {
  return {
    uuid: row.uuid,
    name: row.name,
    nodeUuid: row.node_uuid,
    state: row.state as AllocationState,
    lastError: row.last_error,
    resourceClass: row.resource_class,
    traits: stringList(row.traits),
    candidateNodes: stringList(row.candidate_nodes),
    extra: json(row.extra),
    owner: row.owner,
    conductorAffinity: row.conductor_affinity,
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

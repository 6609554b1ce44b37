import type { Selectable } from 'kysely';
import type { NodeHistoryEvent } from '../../common/records.ts';
import { date } from '../codec.ts';
import type { NodeHistoryTable } from '../schema.ts';

export function nodeHistoryFromRow(row: Selectable<NodeHistoryTable>): NodeHistoryEvent {
  return {
    uuid: row.uuid,
    nodeUuid: row.node_uuid,
    conductor: row.conductor,
    event: row.event,
    eventType: row.event_type,
    severity: row.severity,
    user: row.user,
    createdAt: date(row.created_at),
  };
}

import type { Selectable } from 'kysely';
import type { NodeInventory } from '../../common/records.ts';
import { date, dateOrNull, json } from '../codec.ts';
import type { NodeInventoryTable } from '../schema.ts';

export function nodeInventoryFromRow(row: Selectable<NodeInventoryTable>): NodeInventory {
  return {
    nodeUuid: row.node_uuid,
    inventory: json(row.inventory),
    pluginData: json(row.plugin_data),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

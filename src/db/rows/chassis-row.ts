import type { Selectable } from 'kysely';
import type { Chassis } from '../../common/records.ts';
import { date, dateOrNull, json } from '../codec.ts';
import type { ChassisTable } from '../schema.ts';

export function chassisFromRow(row: Selectable<ChassisTable>): Chassis {
  return {
    uuid: row.uuid,
    description: row.description,
    extra: json(row.extra),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

import type { Selectable } from 'kysely';
import type { BiosSetting } from '../../common/records.ts';
import {
  boolOrNull,
  date,
  dateOrNull,
  intBoolOrNull,
  jsonListTextOrNull,
  stringListOrNull,
} from '../codec.ts';
import type { BiosSettingsTable, IsoTimestamp } from '../schema.ts';
import type { NewBiosSetting } from '../store.ts';

/** The stored columns a setting's values map to: what `replace` compares and writes. */
export type BiosValueColumns = Omit<
  Selectable<BiosSettingsTable>,
  'node_uuid' | 'name' | 'created_at' | 'updated_at'
>;

/** A reported setting's values as columns; attributes not reported are NULL. */
export function biosValueColumns(setting: NewBiosSetting): BiosValueColumns {
  return {
    value: setting.value,
    attribute_type: setting.attributeType ?? null,
    allowable_values: jsonListTextOrNull(setting.allowableValues ?? null),
    lower_bound: setting.lowerBound ?? null,
    upper_bound: setting.upperBound ?? null,
    min_length: setting.minLength ?? null,
    max_length: setting.maxLength ?? null,
    read_only: intBoolOrNull(setting.readOnly ?? null),
    reset_required: intBoolOrNull(setting.resetRequired ?? null),
    unique: intBoolOrNull(setting.unique ?? null),
  };
}

const VALUE_COLUMNS = Object.keys(
  biosValueColumns({ name: '', value: null }),
) as readonly (keyof BiosValueColumns)[];

/** Whether the stored row already holds these values (pg and SQLite both return integers as numbers). */
export function sameBiosValues(
  row: Selectable<BiosSettingsTable>,
  values: BiosValueColumns,
): boolean {
  return VALUE_COLUMNS.every((column) => row[column] === values[column]);
}

export function biosRow(
  nodeUuid: string,
  name: string,
  values: BiosValueColumns,
  createdAt: IsoTimestamp,
  updatedAt: IsoTimestamp | null,
): Selectable<BiosSettingsTable> {
  return { node_uuid: nodeUuid, name, ...values, created_at: createdAt, updated_at: updatedAt };
}

export function biosSettingFromRow(row: Selectable<BiosSettingsTable>): BiosSetting {
  return {
    nodeUuid: row.node_uuid,
    name: row.name,
    value: row.value,
    attributeType: row.attribute_type,
    allowableValues: stringListOrNull(row.allowable_values),
    lowerBound: row.lower_bound,
    upperBound: row.upper_bound,
    minLength: row.min_length,
    maxLength: row.max_length,
    readOnly: boolOrNull(row.read_only),
    resetRequired: boolOrNull(row.reset_required),
    unique: boolOrNull(row.unique),
    createdAt: date(row.created_at),
    updatedAt: dateOrNull(row.updated_at),
  };
}

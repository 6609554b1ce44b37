import { FerriteError } from '../common/errors.ts';
import type { JsonObject } from '../common/json.ts';
import type { IntBool, IsoTimestamp, JsonText } from './schema.ts';

/**
 * Conversions between record values and the portable column types: JSON
 * as text, booleans as 0/1, dates as ISO-8601 text.
 */

export function intBool(value: boolean): IntBool {
  return value ? 1 : 0;
}

export function intBoolOrNull(value: boolean | null): IntBool | null {
  return value === null ? null : value ? 1 : 0;
}

/** pg returns `integer` as a number and SQLite does too; anything non-zero is true. */
export function bool(value: IntBool): boolean {
  return value !== 0;
}

export function boolOrNull(value: IntBool | null): boolean | null {
  return value === null ? null : value !== 0;
}

export function jsonText(value: JsonObject): JsonText {
  return JSON.stringify(value);
}

export function jsonTextOrNull(value: JsonObject | null): JsonText | null {
  return value === null ? null : JSON.stringify(value);
}

export function json(text: JsonText): JsonObject {
  return JSON.parse(text) as JsonObject;
}

export function jsonOrNull(text: JsonText | null): JsonObject | null {
  return text === null ? null : (JSON.parse(text) as JsonObject);
}

/** A list of strings (traits, node uuids, allowed values) as JSON array text. */
export function jsonListText(values: readonly string[]): JsonText {
  return JSON.stringify(values);
}

export function jsonListTextOrNull(values: readonly string[] | null): JsonText | null {
  return values === null ? null : JSON.stringify(values);
}

export function stringList(text: JsonText): string[] {
  return JSON.parse(text) as string[];
}

export function stringListOrNull(text: JsonText | null): string[] | null {
  return text === null ? null : (JSON.parse(text) as string[]);
}

export function isoTimestamp(value: Date): IsoTimestamp {
  if (Number.isNaN(value.getTime())) {
    throw new FerriteError('InvalidParameterValue', { err: 'Invalid date: cannot be stored.' });
  }
  return value.toISOString();
}

export function isoTimestampOrNull(value: Date | null): IsoTimestamp | null {
  return value === null ? null : isoTimestamp(value);
}

export function date(text: IsoTimestamp): Date {
  return new Date(text);
}

export function dateOrNull(text: IsoTimestamp | null): Date | null {
  return text === null ? null : new Date(text);
}

/** How one record field is stored. */
export type FieldCodec =
  'plain' | 'json' | 'jsonOrNull' | 'list' | 'listOrNull' | 'bool' | 'boolOrNull' | 'date';

/** A record field's column and how its value is stored. */
export type FieldSpec<Column extends string> = readonly [column: Column, codec: FieldCodec];

function encode(codec: FieldCodec, value: unknown): unknown {
  switch (codec) {
    case 'plain':
      return value;
    case 'json':
      return jsonText(value as JsonObject);
    case 'jsonOrNull':
      return jsonTextOrNull(value as JsonObject | null);
    case 'list':
      return jsonListText(value as readonly string[]);
    case 'listOrNull':
      return jsonListTextOrNull(value as readonly string[] | null);
    case 'bool':
      return intBool(value as boolean);
    case 'boolOrNull':
      return intBoolOrNull(value as boolean | null);
    case 'date':
      return isoTimestampOrNull(value as Date | null);
  }
}

/**
 * The columns for the fields present in `changes`: only those, encoded.
 * Fields without a spec (uuid, reservation, timestamps the store owns,
 * anything unknown) are ignored, so a whole record can be passed safely.
 */
export function encodeFields<Row>(
  specs: Readonly<Record<string, FieldSpec<keyof Row & string>>>,
  changes: object,
): Partial<Row> {
  const row: Record<string, unknown> = {};
  const values = changes as Readonly<Record<string, unknown>>;
  for (const key in values) {
    if (!Object.hasOwn(specs, key)) continue;
    const value = values[key];
    if (value === undefined) continue;
    const spec = specs[key] as FieldSpec<string>;
    row[spec[0]] = encode(spec[1], value);
  }
  // Each spec names a column of Row and encodes to that column's type.
  return row as Partial<Row>;
}

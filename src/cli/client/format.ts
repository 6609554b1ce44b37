import { formatTable } from '../output.ts';
import type { OutputFormat } from './command.ts';
import type { Json } from './http.ts';

/** Words shown in capitals in column headings. */
const ACRONYMS = new Set(['uuid', 'id', 'url', 'mac', 'bmc', 'pxe', 'raid', 'bios', 'vif', 'ip']);

/** `provision_state` → `Provision State`, `instance_uuid` → `Instance UUID`. */
export function heading(field: string): string {
  return field
    .split('_')
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

/** A value in a table cell: strings as they are, null as nothing, the rest as compact JSON. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Whether `value` is a list of `{href, rel}` links, which tables leave out. */
function isLinks(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'object' && v !== null && 'href' in v && 'rel' in v)
  );
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One record: a Field/Value table sorted by field (links left out), or the JSON object. */
export function formatRecord(record: Json, format: OutputFormat): string {
  if (format === 'json') return json(record);
  const rows = Object.keys(record)
    .filter((k) => !isLinks(record[k]))
    .sort()
    .map((k) => [k, cell(record[k])]);
  return formatTable(['Field', 'Value'], rows);
}

/**
 * A list: a table of `columns` (all fields of the first record when none are
 * given, links left out), or a JSON array of objects with those fields.
 */
export function formatList(
  records: readonly Json[],
  format: OutputFormat,
  columns?: readonly string[],
): string {
  const fields =
    columns ??
    [...new Set(records.flatMap((r) => Object.keys(r)))].filter(
      (k) => !records.some((r) => isLinks(r[k])),
    );
  if (format === 'json') {
    return json(records.map((r) => Object.fromEntries(fields.map((f) => [f, r[f] ?? null]))));
  }
  return formatTable(
    fields.map(heading),
    records.map((r) => fields.map((f) => cell(r[f]))),
  );
}

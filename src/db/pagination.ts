import { sql } from 'kysely';
import type { RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import { FerriteError } from '../common/errors.ts';
import type { PageRequest } from './store.ts';
import type { StoreContext } from './context.ts';
import type { Database, TableName } from './schema.ts';

/** A sort key's column, and whether it may be NULL (which changes how pages are cut). */
export interface SortColumn {
  readonly column: string;
  readonly nullable: boolean;
}

/** A page request checked and resolved: the marker's sort value has been looked up. */
export interface Keyset {
  readonly sort: SortColumn;
  readonly dir: 'asc' | 'desc';
  readonly limit: number | undefined;
  /** The marker row's sort value and uuid; undefined for the first page. */
  readonly after: { readonly value: unknown; readonly uuid: string } | undefined;
}

/**
 * Checks a page request and resolves its marker. Sorting by `uuid` needs no
 * lookup, so a walk in uuid order survives the deletion of the row it used
 * as marker; any other key reads the marker's value first and reports a
 * vanished marker with `notFound`.
 */
export async function resolvePage<K extends string>(
  ctx: StoreContext,
  table: TableName,
  columns: Readonly<Record<K, SortColumn>>,
  page: PageRequest<K> | undefined,
  defaultKey: K,
  notFound: (marker: string) => FerriteError,
): Promise<Keyset> {
  const key = page?.sortKey ?? defaultKey;
  if (!Object.hasOwn(columns, key)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `The sort_key value "${key}" is an invalid field for sorting.`,
    });
  }
  const sort = columns[key];
  // Checked at run time too: the API hands over whatever the client sent.
  const dir = (page?.sortDir ?? 'asc') as string;
  if (dir !== 'asc' && dir !== 'desc') {
    throw new FerriteError('InvalidParameterValue', {
      err: `Invalid sort direction: "${dir}". Acceptable values are 'asc' or 'desc'.`,
    });
  }
  const limit = page?.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Limit must be a non-negative integer, not ${String(limit)}.`,
    });
  }
  const marker = page?.marker;
  if (marker === undefined) return { sort, dir, limit, after: undefined };
  if (sort.column === 'uuid') return { sort, dir, limit, after: { value: marker, uuid: marker } };
  const row = await ctx.db
    .selectFrom(table)
    .select(sql.ref(sort.column).as('value'))
    .where(sql.ref('uuid'), '=', marker)
    .executeTakeFirst();
  if (row === undefined) throw notFound(marker);
  return { sort, dir, limit, after: { value: row.value, uuid: marker } };
}

/**
 * Orders by (sort column, uuid) in the requested direction and keeps rows
 * strictly after the marker. NULLs come first in ascending order and last
 * in descending order on both databases (SQLite and PostgreSQL disagree by
 * default), so a page boundary inside a run of NULLs is cut the same way.
 */
export function applyKeyset<TB extends TableName, O>(
  query: SelectQueryBuilder<Database, TB, O>,
  keyset: Keyset,
): SelectQueryBuilder<Database, TB, O> {
  const { sort, dir, limit, after } = keyset;
  const col = sql.ref(sort.column);
  const uuid = sql.ref('uuid');
  let q = query;
  if (after !== undefined) q = q.where(afterMarker(sort, dir, after.value, after.uuid));
  if (sort.column === 'uuid') {
    q = q.orderBy(dir === 'asc' ? sql`${uuid} asc` : sql`${uuid} desc`);
  } else if (!sort.nullable) {
    q = q.orderBy(dir === 'asc' ? sql`${col} asc, ${uuid} asc` : sql`${col} desc, ${uuid} desc`);
  } else {
    q = q.orderBy(
      dir === 'asc'
        ? sql`${col} asc nulls first, ${uuid} asc`
        : sql`${col} desc nulls last, ${uuid} desc`,
    );
  }
  if (limit !== undefined) q = q.limit(limit);
  return q;
}

function afterMarker(
  sort: SortColumn,
  dir: 'asc' | 'desc',
  value: unknown,
  marker: string,
): RawBuilder<SqlBool> {
  const col = sql.ref(sort.column);
  const uuid = sql.ref('uuid');
  if (sort.column === 'uuid') {
    return dir === 'asc' ? sql<SqlBool>`${uuid} > ${marker}` : sql<SqlBool>`${uuid} < ${marker}`;
  }
  if (!sort.nullable || value !== null) {
    // A row value comparison lets both databases walk the (column, uuid) index.
    const rows =
      dir === 'asc'
        ? sql<SqlBool>`(${col}, ${uuid}) > (${value}, ${marker})`
        : sql<SqlBool>`(${col}, ${uuid}) < (${value}, ${marker})`;
    // Descending puts NULLs last: all of them come after any non-NULL marker.
    return sort.nullable && dir === 'desc' ? sql<SqlBool>`(${col} is null or ${rows})` : rows;
  }
  // The marker's value is NULL: the rest of the NULL run, then (ascending) every non-NULL row.
  return dir === 'asc'
    ? sql<SqlBool>`((${col} is null and ${uuid} > ${marker}) or ${col} is not null)`
    : sql<SqlBool>`(${col} is null and ${uuid} < ${marker})`;
}

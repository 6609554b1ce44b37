import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import type { Clock } from '../../common/clock.ts';
import type { DialectAdapter } from '../dialect.ts';
import { migratedStore } from '../kysely-store.ts';
import type { KyselyStore } from '../kysely-store.ts';
import { classifyPostgresError } from './postgres-errors.ts';
import { createPostgresKysely } from './postgres-kysely.ts';

/** Connects to the PostgreSQL database at `url` and migrates it. */
export async function openPostgresStore(
  url: string,
  poolSize: number,
  clock: Clock,
): Promise<KyselyStore> {
  const dialect: DialectAdapter = {
    name: 'postgres',
    classify: classifyPostgresError,
    // One array parameter: pg sends a JS array as a PostgreSQL array.
    inList: (column, list) => sql<SqlBool>`${sql.ref(column)} = any(${list}::text[])`,
    list: (values) => [...values],
    traitsJson: () =>
      sql<string>`(select coalesce(json_agg(trait), '[]')::text from node_traits where node_uuid = nodes.uuid)`,
  };
  return migratedStore({ db: createPostgresKysely(url, poolSize), dialect, clock });
}

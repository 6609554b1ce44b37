import { sql } from 'kysely';
import type { SqlBool } from 'kysely';
import type { Clock } from '../../common/clock.ts';
import type { DialectAdapter } from '../dialect.ts';
import { migratedStore } from '../kysely-store.ts';
import type { KyselyStore } from '../kysely-store.ts';
import { classifySqliteError } from './sqlite-errors.ts';
import { createSqliteKysely } from './sqlite-kysely.ts';
import { WriteGroup } from './write-group.ts';

/** Opens (creating if needed) and migrates the SQLite database at `path` (`:memory:` for a private one). */
export async function openSqliteStore(path: string, clock: Clock): Promise<KyselyStore> {
  const dialect: DialectAdapter = {
    name: 'sqlite',
    classify: classifySqliteError,
    // One JSON text parameter, unpacked by SQLite itself.
    inList: (column, list) =>
      sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${list}))`,
    list: (values) => JSON.stringify(values),
    traitsJson: () =>
      sql<string>`(select json_group_array(trait) from node_traits where node_uuid = nodes.uuid)`,
  };
  const db = createSqliteKysely(path);
  return migratedStore({ db, dialect, clock, writes: new WriteGroup(db) });
}

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.ts';

/** A Kysely instance over a pg Pool of at most `poolSize` connections. */
export function createPostgresKysely(url: string, poolSize: number): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (server restart) is reported by
  // the pool as an event; unhandled, it would end the process. The next
  // query on that client fails and is reported where it is made.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

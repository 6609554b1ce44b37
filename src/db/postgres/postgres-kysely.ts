import { Kysely, PostgresDialect, PostgresDriver } from 'kysely';
import type { DatabaseConnection, Driver, PostgresDialectConfig } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema.ts';
import { assertOutsideOwnTransaction } from '../transaction-scope.ts';

/** Refuses a connection to a flow inside this store's own transaction (see transaction-scope.ts). */
class ScopedPostgresDriver extends PostgresDriver {
  readonly #owner: object;

  constructor(config: PostgresDialectConfig, owner: object) {
    super(config);
    this.#owner = owner;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    assertOutsideOwnTransaction(this.#owner);
    return super.acquireConnection();
  }
}

class ScopedPostgresDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  readonly #owner: object;

  constructor(config: PostgresDialectConfig, owner: object) {
    super(config);
    this.#config = config;
    this.#owner = owner;
  }

  override createDriver(): Driver {
    return new ScopedPostgresDriver(this.#config, this.#owner);
  }
}

/**
 * A Kysely instance over a pg Pool of at most `poolSize` connections.
 * `owner` identifies the store in transaction-scope.ts.
 */
export function createPostgresKysely(
  url: string,
  poolSize: number,
  owner: object,
): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection (server restart) is reported by
  // the pool as an event; unhandled, it would end the process. The next
  // query on that client fails and is reported where it is made.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }, owner) });
}

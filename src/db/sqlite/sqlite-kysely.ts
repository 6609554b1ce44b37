import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDatabase, SqliteDialectConfig } from 'kysely';
import type { Database } from '../schema.ts';

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;
/** Prepared statements kept per connection; the store issues a few dozen distinct ones. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Keeps better-sqlite3 statements prepared across calls. Kysely prepares
 * every query afresh; preparing is pure CPU on the event loop, and the
 * store's statements repeat (the hot ones are compiled once, see
 * statement.ts), so reusing them is most of SQLite's per-query cost.
 */
class StatementCache implements SqliteDatabase {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }

  prepare(sql: string): BetterSqlite3.Statement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) return cached;
    const statement = this.#db.prepare(sql);
    if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.#statements.keys().next().value;
      if (oldest !== undefined) this.#statements.delete(oldest);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }
}

/**
 * Starts transactions with BEGIN IMMEDIATE: the write lock is taken at the
 * start (waiting up to busy_timeout), instead of at the first write of a
 * transaction that has already read, where SQLite can only fail with
 * SQLITE_BUSY because the reader's snapshot may be stale.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * A Kysely instance on one SQLite file (or `:memory:`), set up for several
 */
export function createSqliteKysely(path: string): Kysely<Database> {
  const db = new BetterSqlite3(path);
  try {
    // Before anything that may wait for another process's lock.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Readers do not block the writer and the writer does not block readers.
    db.pragma('journal_mode = WAL');
    // Durable at checkpoints; in WAL mode this cannot corrupt the database.
    db.pragma('synchronous = NORMAL');
    // Off by default in SQLite; the cascades and NotEmpty rules rely on it.
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: new StatementCache(db) }),
  });
}

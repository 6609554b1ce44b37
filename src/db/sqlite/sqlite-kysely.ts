import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver } from 'kysely';
import type {
  DatabaseConnection,
  Driver,
  SqliteDatabase,
  SqliteDialectConfig,
  SqliteStatement,
} from 'kysely';
import type { Database } from '../schema.ts';

/** How long a writer waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;
/** Prepared statements kept per connection; the store issues a few dozen distinct ones. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * A prepared statement as Kysely uses it. Rows are read as arrays (raw
 * mode) and made into objects here: better-sqlite3 builds each row object
 * key by key through V8's C++ API, which for a node row of fifty columns
 * costs more than the query; assigned in JS in one fixed order, the rows
 * of a statement share one hidden class. The objects are the same: every
 * column in result order, a later column of the same name winning.
 */
class RowStatement implements SqliteStatement {
  readonly #statement: BetterSqlite3.Statement<unknown[], unknown[]>;
  readonly #names: readonly string[];
  readonly reader: boolean;

  constructor(statement: BetterSqlite3.Statement<unknown[], unknown[]>) {
    this.#statement = statement;
    this.reader = statement.reader;
    this.#names = statement.reader ? statement.columns().map((c) => c.name) : [];
    if (statement.reader) statement.raw(true);
  }

  all(parameters: readonly unknown[]): unknown[] {
    // Bound as Kysely binds them: the array as the one argument.
    const rows = this.#statement.all(parameters);
    const objects: unknown[] = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) objects[i] = this.#object(rows[i] as unknown[]);
    return objects;
  }

  run(parameters: readonly unknown[]): BetterSqlite3.RunResult {
    return this.#statement.run(parameters);
  }

  *iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    for (const row of this.#statement.iterate(parameters)) yield this.#object(row);
  }

  #object(values: readonly unknown[]): Record<string, unknown> {
    const names = this.#names;
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i] as string] = values[i];
    return row;
  }
}

/**
 * Keeps better-sqlite3 statements prepared across calls. Kysely prepares
 * every query afresh; preparing is pure CPU on the event loop, and the
 * store's statements repeat (the hot ones are compiled once, see
 * statement.ts), so reusing them is most of SQLite's per-query cost.
 */
class StatementCache implements SqliteDatabase {
  readonly #db: BetterSqlite3.Database;
  readonly #statements = new Map<string, RowStatement>();

  constructor(db: BetterSqlite3.Database) {
    this.#db = db;
  }

  prepare(sql: string): RowStatement {
    const cached = this.#statements.get(sql);
    if (cached !== undefined) return cached;
    const statement = new RowStatement(this.#db.prepare<unknown[], unknown[]>(sql));
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

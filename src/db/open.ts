import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock } from '../common/clock.ts';
import type { Clock } from '../common/clock.ts';
import { FerriteError } from '../common/errors.ts';
import { parseDatabaseUrl, redact } from './database-url.ts';
import type { DatabaseUrl, Store } from './store.ts';

export interface OpenStoreOptions {
  /** PostgreSQL: connections in the pool (default 10). SQLite has one connection. */
  readonly poolSize?: number;
  /**
   * Where created_at, updated_at, provision_updated_at and heartbeats come
   * from; a SimulatedClock keeps them in step with a test's simulated time.
   */
  readonly clock?: Clock;
}

const DEFAULT_POOL_SIZE = 10;

/** Errors that mean "cannot reach or log into the database" rather than "the schema is wrong". */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
  '3D000', // invalid_catalog_name: no such database
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_NOTADB',
  'EACCES',
  'ENOTDIR',
  'EEXIST', // the SQLite file's folder is a file
]);

/**
 * Opens the store at `url` and applies pending migrations:
 * `sqlite:///absolute/path.db`, `sqlite://relative/path.db` (from the
 * working directory; the folder is created), `sqlite::memory:`, or
 * `postgres://…` / `postgresql://…`. A malformed URL or a database that
 * cannot be reached is a ConfigInvalid.
 */
export async function openStore(url: DatabaseUrl, options: OpenStoreOptions = {}): Promise<Store> {
  const location = parseDatabaseUrl(url);
  const clock = options.clock ?? systemClock;
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new FerriteError('ConfigInvalid', {
      error_msg: `Database pool size must be a positive integer, not ${String(poolSize)}.`,
    });
  }
  try {
    if (location.dialect === 'sqlite') {
      if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
      // Each dialect is loaded only when used: a SQLite service never holds the PostgreSQL driver.
      const { openSqliteStore } = await import('./sqlite/sqlite-store.ts');
      return await openSqliteStore(location.path, clock);
    }
    const { openPostgresStore } = await import('./postgres/postgres-store.ts');
    return await openPostgresStore(location.url, poolSize, clock);
  } catch (error) {
    if (!isConnectionFailure(error)) throw error;
    throw new FerriteError(
      'ConfigInvalid',
      { error_msg: `Cannot open the database at ${redact(url)}: ${error.message}` },
      { cause: error },
    );
  }
}

function isConnectionFailure(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && CONNECTION_FAILURES.has(code)) return true;
  // pg reports a refused connection as an AggregateError (IPv4 and IPv6) without a code of its own.
  return error instanceof AggregateError && error.errors.some((e) => isConnectionFailure(e));
}

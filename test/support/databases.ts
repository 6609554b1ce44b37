import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/db/open.ts';
import type { OpenStoreOptions } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';

/**
 * The PostgreSQL server the tests use: trust auth for user postgres on
 * 127.0.0.1 (scripts/ensure-postgres.sh sets it up). Each test database is
 * created in it and dropped afterwards.
 */
export const POSTGRES_ADMIN_URL =
  process.env.FERRITE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Test stores stay small: many are open at once across test files. */
const TEST_POOL_SIZE = 4;

/** The databases one suite runs against, with cleanup handled for it. */
export interface TestDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * A store on an empty, migrated database of its own, closed after the
   * current test (or after the suite, when opened in a `before` hook).
   * SQLite: a new temp file. PostgreSQL: a database of the suite's, emptied
   * after each test and handed out again (creating one costs far more).
   */
  open(options?: OpenStoreOptions): Promise<Store>;
  /**
   * The URL of a fresh, empty database, removed like `open`'s: for tests
   * that open several stores, or several processes, on one database.
   */
  freshUrl(): Promise<string>;
  /** A store on `url` (from `freshUrl`), closed after the current test or suite. */
  openUrl(url: string, options?: OpenStoreOptions): Promise<Store>;
}

/**
 * Registers the suite `register` declares twice: against SQLite (a temp
 * file per database) and against PostgreSQL (a `ferrite_test_<random>`
 * database per database). Without a reachable PostgreSQL its suite is
 * skipped with the reason, unless CI is set: then it fails, so CI never
 * passes without having run it.
 */
export function forEachDatabase(register: (db: TestDatabase) => void): void {
  describe('sqlite', () => {
    register(testDatabases('sqlite'));
  });
  describe('postgres', async () => {
    const reachable = await probePostgres();
    if (reachable !== true) {
      const where = `PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (${reachable})`;
      if (inCi()) {
        it('PostgreSQL is reachable', () => {
          throw new Error(
            `${where}. CI is set, so the PostgreSQL suites must run: start the server with scripts/ensure-postgres.sh.`,
          );
        });
      } else {
        it('PostgreSQL suite', {
          skip: `${where}: start it with scripts/ensure-postgres.sh (with CI=true this fails instead).`,
        });
      }
      return;
    }
    register(testDatabases('postgres'));
  });
}

function inCi(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci === 'true' || ci === '1';
}

let probe: Promise<true | string> | undefined;

/** true, or why PostgreSQL cannot be used. Asked once per test file. */
export function probePostgres(): Promise<true | string> {
  probe ??= (async () => {
    const client = new pg.Client({
      connectionString: POSTGRES_ADMIN_URL,
      connectionTimeoutMillis: 3000,
    });
    try {
      await client.connect();
      await client.query('select 1');
      return true as const;
    } catch (error) {
      return describeError(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probe;
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  return error instanceof Error ? error.message || error.name : String(error);
}

/** A fresh PostgreSQL database and how to drop it. */
export interface PostgresTestDatabase {
  readonly url: string;
  /** Drops it, disconnecting whoever is still connected. */
  readonly drop: () => Promise<void>;
}

/**
 * Creates an empty database `ferrite_test_<random>` on the test server, for
 * tests or processes that need one outside forEachDatabase. The caller
 * drops it.
 */
export async function createPostgresDatabase(): Promise<PostgresTestDatabase> {
  const name = `ferrite_test_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

type Cleanup = () => Promise<void> | void;

/** Empties every table but the migrations' own, leaving a migrated database as new. */
async function emptyTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select tablename as name from pg_tables
        where schemaname = current_schema() and tablename not like 'kysely_migration%'`,
    );
    // DELETE is far faster than TRUNCATE on tables this small. Replica mode
    // switches off the foreign-key triggers, so no order among tables is needed.
    await client.query(
      [
        'begin',
        'set local session_replication_role = replica',
        ...rows.map((r) => `delete from "${r.name}"`),
        'commit',
      ].join(';\n'),
    );
  } finally {
    await client.end();
  }
}

/** Tracks what a suite creates so that each test's leftovers go when the test ends. */
function testDatabases(dialect: 'sqlite' | 'postgres'): TestDatabase {
  const suite: Cleanup[] = [];
  let test: Cleanup[] | undefined;
  let directory: string | undefined;
  let counter = 0;

  const track = (cleanup: Cleanup): void => {
    (test ?? suite).push(cleanup);
  };
  const runAll = async (cleanups: Cleanup[]): Promise<void> => {
    // Newest first: stores close before their databases go.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };

  beforeEach(() => {
    test = [];
  });
  afterEach(async () => {
    const done = test ?? [];
    test = undefined;
    await runAll(done);
  });
  after(async () => {
    await runAll(suite);
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  const sqliteUrl = (): string => {
    directory ??= mkdtempSync(join(tmpdir(), 'ferrite-db-test-'));
    const path = join(directory, `store-${++counter}.db`);
    track(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    });
    return `sqlite://${path}`;
  };

  const freshUrl = async (): Promise<string> => {
    if (dialect === 'sqlite') return sqliteUrl();
    const database = await createPostgresDatabase();
    track(database.drop);
    return database.url;
  };

  const openUrl = async (url: string, options: OpenStoreOptions = {}): Promise<Store> => {
    const store = await openStore(url, { poolSize: TEST_POOL_SIZE, ...options });
    track(() => store.close());
    return store;
  };

  // Creating and migrating a PostgreSQL database takes a few hundred
  // milliseconds; emptying one takes a few. So the suite keeps the
  // databases its tests used, empties them when a test ends, and hands
  // them out again: every `open` still gets a migrated database of its own.
  const recycled: string[] = [];
  const migratedPostgresUrl = async (): Promise<string> => {
    let url = recycled.pop();
    if (url === undefined) {
      const database = await createPostgresDatabase();
      suite.push(database.drop);
      url = database.url;
    }
    if (test !== undefined) {
      const used = url;
      test.push(async () => {
        await emptyTables(used);
        recycled.push(used);
      });
    }
    return url;
  };

  const open = async (options?: OpenStoreOptions): Promise<Store> => {
    const url = dialect === 'sqlite' ? sqliteUrl() : await migratedPostgresUrl();
    return openUrl(url, options);
  };

  return { dialect, open, openUrl, freshUrl };
}

import { DEFAULT_MIGRATION_TABLE, Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Database } from '../schema.ts';
import * as initialSchema from './0001-initial-schema.ts';
import * as allocationsTemplatesHistory from './0002-allocations-templates-history.ts';
import * as nodeRevision from './0003-node-revision.ts';

/**
 * Every migration, in order, listed in code rather than read from the
 * folder: the list is the same whether Ferrite runs from source, from a
 * bundle or from an installed package, and for both databases.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial-schema': initialSchema,
  '0002-allocations-templates-history': allocationsTemplatesHistory,
  '0003-node-revision': nodeRevision,
};

const provider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};

/** Applies pending migrations; throws the first failure with its migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  if (await upToDate(db)) return;
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  // Failing before any migration ran (cannot connect, cannot lock): the error as it is.
  if (failed === undefined) throw error instanceof Error ? error : new Error(describe(error));
  throw new Error(`Database migration ${failed} failed: ${describe(error)}`, { cause: error });
}

/**
 * Whether every migration is recorded as applied: one query, where the
 * Migrator introspects the schema and takes its lock. Any doubt (no table
 * yet, a connection error) leaves the decision, or the error, to the Migrator.
 */
async function upToDate(db: Kysely<Database>): Promise<boolean> {
  const query = sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`;
  let applied: Set<string>;
  try {
    applied = new Set((await query.execute(db)).rows.map((r) => r.name));
  } catch {
    return false;
  }
  return Object.keys(MIGRATIONS).every((name) => applied.has(name));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

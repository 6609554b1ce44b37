import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Clock } from '../common/clock.ts';
import { FerriteError } from '../common/errors.ts';
import type { DatabaseFailure, DialectAdapter } from './dialect.ts';
import type { Database, IsoTimestamp, TableName } from './schema.ts';

/** What every repository works with: the database (or the current transaction), its dialect and the clock. */
export interface StoreContext {
  /** The store's database, or the transaction the store is bound to. */
  readonly db: Kysely<Database>;
  /** Also identifies the store's database (for the transaction scope). */
  readonly dialect: DialectAdapter;
  readonly clock: Clock;
  /**
   * Where short writes outside a transaction share a commit (SQLite, see
   * sqlite/write-group.ts); absent where each commits alone.
   */
  readonly writes?: WriteGrouping;
}

/** Runs short atomic writes, several to a commit. */
export interface WriteGrouping {
  /** `single`: `work` is one statement (no savepoint needed around it). */
  run<T>(work: (db: Kysely<Database>) => Promise<T>, single?: boolean): Promise<T>;
  /** Resolves once every write queued so far is committed or has failed. */
  drain(): Promise<void>;
}

export function now(ctx: StoreContext): IsoTimestamp {
  return new Date(ctx.clock.now()).toISOString();
}

/** Runs `work` in a transaction, or in the current one when the context is already bound to one. */
export async function inTransaction<T>(
  ctx: StoreContext,
  work: (ctx: StoreContext) => Promise<T>,
): Promise<T> {
  if (ctx.db.isTransaction) return work(ctx);
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx }));
}

/**
 * Runs `work` (a few statements) atomically: in the current transaction
 * when there is one, grouped with other writes where the store groups
 * them, in a transaction of its own otherwise.
 */
export function atomicWrite<T>(
  ctx: StoreContext,
  work: (ctx: StoreContext) => Promise<T>,
  single = false,
): Promise<T> {
  if (ctx.db.isTransaction) return work(ctx);
  const writes = ctx.writes;
  if (writes !== undefined) {
    return writes.run((db) => work({ ...ctx, db, writes: undefined }), single);
  }
  return inTransaction(ctx, work);
}

/** Turns a database failure into the catalogue error it means, or undefined to use the fallback. */
export type Explain = (
  failure: DatabaseFailure,
) => FerriteError | undefined | Promise<FerriteError | undefined>;

/**
 * Runs `work`, translating driver errors: constraint violations through
 * `explain` (the repository knows which record and field they concern),
 * lock contention to TemporaryFailure. The contract promises callers never
 * see a raw driver error for these.
 */
export async function guard<T>(
  ctx: StoreContext,
  work: () => Promise<T>,
  explain?: Explain,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw await translate(ctx, error, explain);
  }
}

async function translate(ctx: StoreContext, error: unknown, explain?: Explain): Promise<unknown> {
  if (error instanceof FerriteError) return error;
  const failure = ctx.dialect.classify(error);
  if (failure === undefined) return error;
  const explained = await explain?.(failure);
  if (explained) return explained;
  if (failure.kind === 'busy') return new FerriteError('TemporaryFailure', {}, { cause: error });
  // A violation the repository did not foresee: still a conflict, with the driver's words as cause.
  return new FerriteError('Conflict', {}, { cause: error });
}

/** Whether a row with this key exists (used where SQLite does not say which reference failed). */
export async function exists(
  ctx: StoreContext,
  table: TableName,
  column: string,
  value: string,
): Promise<boolean> {
  const row = await ctx.db
    .selectFrom(table)
    .select(sql<number>`1`.as('found'))
    .where(ctx.db.dynamic.ref(column), '=', value)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** One reference a write depends on: its foreign key, the value written, and the error if it is missing. */
export interface Reference {
  readonly foreignKey: string;
  readonly table: TableName;
  readonly column: string;
  readonly value: string | null | undefined;
  readonly missing: () => FerriteError;
}

/**
 * The error for a write whose reference failed. PostgreSQL names the key;
 * SQLite does not, so each candidate is checked in turn (SQLite rolls back
 * only the failed statement, so the check can run in the same transaction).
 */
export async function missingReference(
  ctx: StoreContext,
  failure: DatabaseFailure,
  references: readonly Reference[],
): Promise<FerriteError | undefined> {
  if (failure.kind !== 'foreignKey' || failure.referenced === true) return undefined;
  if (failure.constraint !== undefined) {
    return references.find((r) => r.foreignKey === failure.constraint)?.missing();
  }
  for (const reference of references) {
    if (reference.value === null || reference.value === undefined) continue;
    if (!(await exists(ctx, reference.table, reference.column, reference.value))) {
      return reference.missing();
    }
  }
  return undefined;
}

/**
 * Locks the rows `query` reads until the transaction ends, on PostgreSQL.
 * SQLite has no row locks and needs none: its transactions begin
 * IMMEDIATE, holding the database's write lock from the start.
 */
export function forUpdate<Q extends { forUpdate(): Q }>(ctx: StoreContext, query: Q): Q {
  return ctx.dialect.name === 'postgres' ? query.forUpdate() : query;
}

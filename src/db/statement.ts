import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { DialectAdapter } from './dialect.ts';
import type { Database } from './schema.ts';

/** Stands in for a parameter while the query is compiled; replaced at each run. */
class Slot {
  constructor(readonly name: string) {}
}

interface Compiled {
  readonly query: CompiledQuery;
  /** Per SQL parameter: the name of the run-time value, or a constant baked in at build time. */
  readonly slots: readonly (string | { readonly constant: unknown })[];
}

/** Gives the builder a typed stand-in for the run-time value called `name`. */
export type Param<P> = <K extends keyof P & string>(name: K) => P[K];

/**
 * A query built and compiled once per database, then run with new values:
 * the hot paths (get by uuid, reserve, insert) skip Kysely's builder and
 * compiler on every call. Parameters are found by identity in the compiled
 * query, so their order in the SQL does not matter.
 */
type Build<P, R> = (
  db: Kysely<Database>,
  param: Param<P>,
  dialect: DialectAdapter,
) => Compilable<R>;

export class Statement<P extends object, R> {
  readonly #build: Build<P, R>;
  /** Keyed by the store's adapter: the SQL differs per dialect ($1 vs ?). */
  readonly #compiled = new WeakMap<DialectAdapter, Compiled>();

  constructor(build: Build<P, R>) {
    this.#build = build;
  }

  /** Runs on `db` (the store's database or a transaction) of the store whose adapter is `dialect`. */
  async run(dialect: DialectAdapter, db: Kysely<Database>, values: P): Promise<QueryResult<R>> {
    const compiled = this.#compiled.get(dialect) ?? this.#compile(dialect, db);
    const named = values as Readonly<Record<string, unknown>>;
    const { slots } = compiled;
    const parameters: unknown[] = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      parameters[i] = typeof slot === 'string' ? named[slot] : slot?.constant;
    }
    return db.executeQuery<R>({ ...compiled.query, parameters });
  }

  #compile(dialect: DialectAdapter, db: Kysely<Database>): Compiled {
    const param = ((name: string) => new Slot(name)) as unknown as Param<P>;
    const query = this.#build(db, param, dialect).compile();
    const slots = query.parameters.map((p) => (p instanceof Slot ? p.name : { constant: p }));
    const compiled: Compiled = { query, slots };
    this.#compiled.set(dialect, compiled);
    return compiled;
  }
}

import type { Expression, RawBuilder, SqlBool } from 'kysely';

/** What a driver error means for the contract, once a dialect has read it. */
export type DatabaseFailure =
  /** `constraint` is the schema's name for it (src/db/constraints.ts), when known. */
  | { readonly kind: 'unique'; readonly constraint: string | undefined }
  /**
   * `constraint` is undefined on SQLite, which does not say which key failed.
   * `referenced` is true when the row was still referenced (a delete), false
   * when the referenced row was missing (an insert or update), undefined
   * when the database does not say.
   */
  | {
      readonly kind: 'foreignKey';
      readonly constraint: string | undefined;
      readonly referenced: boolean | undefined;
    }
  /** Lock contention that a retry may resolve (SQLite busy, PostgreSQL deadlock). */
  | { readonly kind: 'busy' };

/**
 * The little that differs between SQLite and PostgreSQL once both speak
 * through Kysely. Everything else lives in the shared repositories.
 */
export interface DialectAdapter {
  readonly name: 'sqlite' | 'postgres';
  /** Reads a driver error; undefined when it is none of the failures the contract names. */
  classify(error: unknown): DatabaseFailure | undefined;
  /**
   * `column IN (…)` over a list bound as ONE parameter (made by `list`), so
   * the SQL text is the same for any number of values: one compiled
   * statement, and no limit on bound variables.
   */
  inList(column: string, list: unknown): Expression<SqlBool>;
  /** The parameter value `inList` expects for these values. */
  list(values: readonly string[]): unknown;
  /**
   * The traits of the node in the current row of `nodes`, as JSON array
   * text ('[]' for none): lets a single-node read fetch them in the same
   * query.
   */
  traitsJson(): RawBuilder<string>;
}

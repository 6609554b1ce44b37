import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

type Work = (db: Kysely<Database>) => Promise<unknown>;

interface Pending {
  readonly work: Work;
  /** One statement: SQLite undoes a failed statement by itself, no savepoint needed. */
  readonly single: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite. A commit is most of what a small write costs
 * there: every page the row and its indexes touch goes to the WAL again,
 * and the WAL is checkpointed (with fsync) every thousand pages. Writes
 * that arrive while the event loop is busy (a burst of enrolments, say)
 * are run together at the end of the turn, in one transaction, each in a
 * savepoint of its own, so that one failing leaves the others untouched
 * and is reported to its caller alone. Each caller is answered only once
 * the shared commit is done.
 */
export class WriteGroup {
  readonly #db: Kysely<Database>;
  #queue: Pending[] = [];
  #flushing: Promise<void> | undefined;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Runs `work` atomically, committed with whatever else is waiting.
   * `single`: `work` runs one statement, which SQLite undoes by itself
   * when it fails, so it needs no savepoint.
   */
  run<T>(work: (db: Kysely<Database>) => Promise<T>, single = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, single, resolve: resolve as (value: unknown) => void, reject });
      this.#flushing ??= new Promise<void>((done) => {
        setImmediate(() => {
          this.#flush().then(done, done);
        });
      });
    });
  }

  /** Resolves once everything queued so far is committed (or has failed). */
  async drain(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
  }

  async #flush(): Promise<void> {
    const items = this.#queue;
    this.#queue = [];
    this.#flushing = undefined;
    const only = items[0];
    if (items.length === 1 && only !== undefined) {
      // Alone: a single statement commits by itself; more need a transaction.
      const alone = only.single
        ? only.work(this.#db)
        : this.#db.transaction().execute((trx) => only.work(trx));
      await alone.then(only.resolve, only.reject);
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const item of items) {
          if (!item.single) await sql`savepoint grouped_write`.execute(trx);
          try {
            const value = await item.work(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            if (!item.single) await sql`rollback to grouped_write`.execute(trx);
            outcomes.push({ ok: false, value: error });
          }
          if (!item.single) await sql`release grouped_write`.execute(trx);
        }
      });
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    items.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok === true) item.resolve(outcome.value);
      else item.reject(outcome?.value);
    });
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { FerriteError } from '../common/errors.ts';

/**
 * Which store's transaction the current async flow is running in. Inside
 * `transaction(work)`, `work` must use the store it is given: on SQLite the
 * outer store would wait for the one connection the transaction holds, for
 * ever; on PostgreSQL it would run outside the transaction and could wait
 * on the transaction's own row locks. The drivers refuse such a call at
 * once, the same way on both databases.
 */
const scope = new AsyncLocalStorage<object>();

/** Runs `work` marked as inside a transaction of the store identified by `owner`. */
export function runInTransactionScope<T>(owner: object, work: () => Promise<T>): Promise<T> {
  return scope.run(owner, work);
}

/** Throws when the current flow is inside a transaction of `owner` and asks `owner` for another connection. */
export function assertOutsideOwnTransaction(owner: object): void {
  if (scope.getStore() === owner) {
    throw new FerriteError('InvalidState', {
      err: 'A store was used inside its own transaction: inside transaction(work), use the store passed to work.',
    });
  }
}

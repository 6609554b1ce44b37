import { FerriteError } from '../common/errors.ts';

/**
 * The conductor's background operations: at most `capacity` at once (past it,
 * NoFreeConductorWorker, which the API answers with 503), each tracked until
 * it settles so that shutdown can wait for them and tests can wait for quiet.
 */
export class WorkPool {
  readonly #capacity: number;
  readonly #running = new Set<Promise<void>>();
  #reserved = 0;
  #idleWaiters: (() => void)[] = [];

  readonly #onUnhandled: (error: unknown) => void;

  /** `onUnhandled` hears of errors the work did not handle itself (a bug, but not a crash). */
  constructor(capacity: number, onUnhandled: (error: unknown) => void) {
    this.#capacity = capacity;
    this.#onUnhandled = onUnhandled;
  }

  get size(): number {
    return this.#running.size + this.#reserved;
  }

  /**
   * Claims a slot now, so the caller learns about a full pool before it
   * changes any state; the returned function starts the work in that slot.
   */
  reserve(): (work: () => Promise<void>) => void {
    if (this.size >= this.#capacity) throw new FerriteError('NoFreeConductorWorker');
    this.#reserved += 1;
    let used = false;
    return (work) => {
      if (used) throw new Error('a work slot can be used once');
      used = true;
      this.#reserved -= 1;
      const running = (async (): Promise<void> => {
        // Run after `running` is registered, so the finally below always finds it.
        await Promise.resolve();
        try {
          await work();
        } catch (error) {
          this.#onUnhandled(error);
        }
      })().finally(() => {
        this.#running.delete(running);
        this.#notify();
      });
      this.#running.add(running);
    };
  }

  /** Gives back a slot that will not be used. */
  cancel(): void {
    this.#reserved = Math.max(0, this.#reserved - 1);
    this.#notify();
  }

  /** Resolves once nothing runs (work started meanwhile is waited for too). */
  async idle(): Promise<void> {
    while (this.size > 0) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  #notify(): void {
    if (this.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

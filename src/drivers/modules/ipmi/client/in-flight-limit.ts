/**
 * At most `limit` requests to one BMC at a time; the rest wait in order.
 * BMCs have small receive queues and drop what they cannot take, so
 * flooding one only turns into timeouts and retries.
 */
export class InFlightLimit {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /**
   * Resolves with a release function once a slot is free; rejects with
   * `onAbort()` when `signal` fires first.
   */
  acquire(signal: AbortSignal | undefined, onAbort: () => Error): Promise<() => void> {
    if (signal?.aborted === true) return Promise.reject(onAbort());
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', abort);
        this.active++;
        resolve(this.releaser());
      };
      const abort = (): void => {
        const at = this.queue.indexOf(grant);
        if (at >= 0) this.queue.splice(at, 1);
        reject(onAbort());
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.queue.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.queue.shift()?.();
    };
  }
}

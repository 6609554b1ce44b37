/**
 * Fault injection for one emulated system: what a misbehaving BMC does to
 * a client, so tests can show the client copes. Each request to one of the
 * system's resources (its System, Manager, Chassis, storage and tasks) takes
 * the next queued fault, if any, after the added latency.
 */

export type Fault =
  /** Answer with this status and a Redfish error body (500 InternalError, 503 …). */
  | { readonly kind: 'status'; readonly status: number }
  /** Never answer; the connection stays open until the client gives up or the server closes. */
  | { readonly kind: 'hang' }
  /** Answer 200 with a body that is not JSON (cut short). */
  | { readonly kind: 'malformed-json' }
  /** Destroy the connection without answering. */
  | { readonly kind: 'drop' };

export class SystemFaults {
  /** Milliseconds added before every answer (0: none). */
  latencyMs = 0;
  readonly #queue: Fault[] = [];

  /** The next `count` requests get `status` (e.g. 500 or 503). */
  failNext(count: number, status = 500): void {
    this.#push(count, { kind: 'status', status });
  }

  /** The next `count` requests are never answered. */
  hangNext(count = 1): void {
    this.#push(count, { kind: 'hang' });
  }

  /** The next `count` requests get a body that is not valid JSON. */
  malformedNext(count = 1): void {
    this.#push(count, { kind: 'malformed-json' });
  }

  /** The next `count` requests have their connection destroyed. */
  dropNext(count = 1): void {
    this.#push(count, { kind: 'drop' });
  }

  /** Forgets queued faults and the latency. */
  clear(): void {
    this.#queue.length = 0;
    this.latencyMs = 0;
  }

  /** How many faults are still queued. */
  get pending(): number {
    return this.#queue.length;
  }

  /** The fault the current request gets, consuming it. */
  take(): Fault | undefined {
    return this.#queue.shift();
  }

  #push(count: number, fault: Fault): void {
    for (let i = 0; i < count; i += 1) this.#queue.push(fault);
  }
}

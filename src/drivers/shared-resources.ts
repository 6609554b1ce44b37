/** Something an implementation holds open: sockets, sessions, pools. */
export interface Closeable {
  close(): Promise<void>;
}

/**
 * Resources the implementations of one driver factory share, made on first
 * use and closed together when the factory closes: the IPMI client (its
 * sockets and BMC sessions) that ipmi power, management and console use.
 */
export class SharedResources {
  readonly #items = new Map<string, Closeable>();
  #closed = false;

  /** The resource under `key`, made by `create` the first time. */
  get<T extends Closeable>(key: string, create: () => T): T {
    if (this.#closed) throw new Error(`shared resource ${key} asked for after close`);
    let item = this.#items.get(key);
    if (item === undefined) {
      item = create();
      this.#items.set(key, item);
    }
    return item as T;
  }

  /** Closes every resource made so far; failures do not stop the others. */
  async close(): Promise<void> {
    this.#closed = true;
    const items = [...this.#items.values()];
    this.#items.clear();
    await Promise.allSettled(items.map((item) => item.close()));
  }
}

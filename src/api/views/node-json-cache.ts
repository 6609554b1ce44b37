/**
 * Node views already written as JSON, by node and revision. A listing reads
 * only the uuids and revisions of its page, writes the views of the nodes
 * that changed since it last showed them, and splices the rest in as they
 * are: listing a thousand nodes costs a light query and a string join, not
 * reading, viewing and serialising every row again.
 *
 * A node's revision changes with every update of its row (a database
 * trigger), so an entry is never stale: a changed node misses and is made
 * anew. Entries are per variant of the view (microversion, fields, base
 * URL), a few per node. They are kept as UTF-8 bytes: a listing is then a
 * concatenation of buffers, sent as it is, not a string of megabytes that
 * would be flattened and encoded again on every answer.
 */
export class NodeJsonCache {
  readonly #entries = new Map<string, { revision: number; views: Map<string, Buffer> }>();
  readonly #maxNodes: number;

  /** `maxNodes` bounds the memory: past it the cache starts again empty. */
  constructor(maxNodes = 50_000) {
    this.#maxNodes = maxNodes;
  }

  get(uuid: string, revision: number, variant: string): Buffer | undefined {
    const entry = this.#entries.get(uuid);
    if (entry === undefined || entry.revision !== revision) return undefined;
    return entry.views.get(variant);
  }

  set(uuid: string, revision: number, variant: string, json: Buffer): void {
    let entry = this.#entries.get(uuid);
    if (entry === undefined || entry.revision !== revision) {
      if (entry === undefined && this.#entries.size >= this.#maxNodes) this.#entries.clear();
      entry = { revision, views: new Map() };
      this.#entries.set(uuid, entry);
    }
    // Clients use few variants; a client cycling through many only rewrites them.
    if (entry.views.size >= 8) entry.views.clear();
    entry.views.set(variant, json);
  }

  get size(): number {
    return this.#entries.size;
  }
}

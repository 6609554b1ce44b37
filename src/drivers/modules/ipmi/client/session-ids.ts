import { randomInt } from 'node:crypto';

/**
 * Console session IDs of one client. The transport routes session packets
 * by this ID, so no two sessions of a client may share one, whichever BMC
 * they talk to.
 */
export class SessionIdAllocator {
  private readonly used = new Set<number>();

  take(): number {
    let id = 0;
    while (id === 0 || this.used.has(id)) id = randomInt(1, 0xffffffff);
    this.used.add(id);
    return id;
  }

  release(id: number): void {
    this.used.delete(id);
  }

  get size(): number {
    return this.used.size;
  }
}

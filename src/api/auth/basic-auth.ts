import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Logger } from '../../common/logging.ts';
import { silentLogger } from '../../common/logging.ts';
import type { AuthOutcome, Authenticator } from './authenticator.ts';

/** The realm clients are challenged with, as Ironic names it. */
export const BASIC_REALM = 'Baremetal API';

/** At most this many verified credentials are remembered. */
const CACHE_SIZE = 1024;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function refused(status: 400 | 401, message: string): AuthOutcome {
  return { ok: false, status, message };
}

/**
 * HTTP basic authentication against the users of an htpasswd file (Ironic's
 * `http_basic` strategy). bcrypt is slow on purpose, so credentials that
 * verified are remembered by a SHA-256 of user and password, never the
 * password itself; concurrent requests with the same new credentials share
 * one bcrypt comparison. Nothing here logs a password or the header.
 */
export class BasicAuthenticator implements Authenticator {
  readonly challenge = `Basic realm="${BASIC_REALM}"`;
  readonly #users: ReadonlyMap<string, string>;
  readonly #logger: Logger;
  /** Digests of credentials that verified, least recently used first. */
  readonly #verified = new Set<string>();
  /** bcrypt comparisons under way, by credential digest. */
  readonly #inFlight = new Map<string, Promise<boolean>>();
  /** Compared against for unknown users, so that they take as long to refuse as wrong passwords. */
  readonly #decoy: string | undefined;

  constructor(users: ReadonlyMap<string, string>, logger: Logger = silentLogger) {
    this.#users = users;
    this.#logger = logger;
    const [first] = users.values();
    this.#decoy = first === undefined ? undefined : bcrypt.hashSync('', bcrypt.getRounds(first));
  }

  /** How many verified credentials are remembered. */
  get remembered(): number {
    return this.#verified.size;
  }

  async authenticate(authorization: string | undefined): Promise<AuthOutcome> {
    if (authorization === undefined) return refused(401, 'Authorization required');
    const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
    if (scheme === undefined || token === undefined || rest.length > 0) {
      return refused(400, 'Could not parse Authorization header');
    }
    if (scheme.toLowerCase() !== 'basic') {
      return refused(400, `Unsupported authorization type "${scheme}"`);
    }
    const decoded = BASE64.test(token) ? Buffer.from(token, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 0) return refused(400, 'Could not decode authorization token');
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);

    if (await this.#verify(user, password)) return { ok: true, user };
    this.#logger.info({ user }, 'HTTP basic authentication failed');
    return refused(401, 'Incorrect username or password');
  }

  async #verify(user: string, password: string): Promise<boolean> {
    // The user's length goes first so that no other user and password hash the same.
    const key = createHash('sha256').update(`${user.length}:${user}:${password}`).digest('base64');
    if (this.#verified.delete(key)) {
      this.#verified.add(key); // most recently used last
      return true;
    }
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#compare(user, password).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const ok = await pending;
    // Only successes are remembered: remembering failures would let anyone fill the cache.
    if (ok && !this.#verified.has(key)) {
      if (this.#verified.size >= CACHE_SIZE) {
        const [oldest] = this.#verified;
        if (oldest !== undefined) this.#verified.delete(oldest);
      }
      this.#verified.add(key);
    }
    return ok;
  }

  async #compare(user: string, password: string): Promise<boolean> {
    const hash = this.#users.get(user);
    if (hash !== undefined) return bcrypt.compare(password, hash);
    if (this.#decoy !== undefined) await bcrypt.compare(password, this.#decoy);
    return false;
  }
}

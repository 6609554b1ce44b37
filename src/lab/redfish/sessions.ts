/**
 * Authentication: Redfish sessions (POST SessionService/Sessions gives an
 * X-Auth-Token, DELETE of the session's URI logs out) and HTTP Basic on
 * every request, the two ways sushy's SessionOrBasicAuth tries in order.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Session {
  readonly id: string;
  readonly token: string;
  readonly username: string;
}

export const SESSIONS_PATH = '/redfish/v1/SessionService/Sessions';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class SessionStore {
  readonly #username: string;
  readonly #password: string;
  readonly #byId = new Map<string, Session>();
  #next = 1;

  constructor(username: string, password: string) {
    this.#username = username;
    this.#password = password;
  }

  checkCredentials(username: unknown, password: unknown): boolean {
    return (
      typeof username === 'string' &&
      typeof password === 'string' &&
      same(username, this.#username) &&
      same(password, this.#password)
    );
  }

  /** A new session for valid credentials, or undefined. */
  open(username: unknown, password: unknown): Session | undefined {
    if (!this.checkCredentials(username, password)) return undefined;
    const session: Session = {
      id: String(this.#next),
      token: randomBytes(16).toString('hex'),
      username: username as string,
    };
    this.#next += 1;
    this.#byId.set(session.id, session);
    return session;
  }

  get(id: string): Session | undefined {
    return this.#byId.get(id);
  }

  close(id: string): boolean {
    return this.#byId.delete(id);
  }

  list(): Session[] {
    return [...this.#byId.values()];
  }

  /** Whether the request carries a live session token or valid Basic credentials. */
  authenticates(headers: IncomingHttpHeaders): boolean {
    const token = headers['x-auth-token'];
    if (typeof token === 'string') {
      for (const session of this.#byId.values()) if (same(session.token, token)) return true;
    }
    const authorization = headers.authorization;
    if (typeof authorization === 'string' && authorization.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0)
        return this.checkCredentials(decoded.slice(0, colon), decoded.slice(colon + 1));
    }
    return false;
  }
}

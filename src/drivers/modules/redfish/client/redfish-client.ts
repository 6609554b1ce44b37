/**
 * Ferrite's Redfish client, on undici: one keep-alive connection pool per
 * BMC origin (and TLS setting), one RedfishSession per target and login.
 *
 * A session authenticates with a Redfish session (X-Auth-Token), HTTP basic
 * or either ('auto': a session, basic when the BMC cannot make one), logs in
 * again once on a 401, retries connection errors and 5xx of idempotent
 * requests with backoff, falls back from a weak to a strong ETag and then to
 * no If-Match on a 412, and follows 202 task monitors to their end.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { RedfishError, RedfishErrorKind, errorBodyMessages, messagesOf } from './errors.ts';
import type { JsonObject, JsonValue } from './json.ts';
import { isJsonObject, tagJson } from './json.ts';

export type RedfishAuthType = 'basic' | 'session' | 'auto';

/** Where a BMC's Redfish service is and how to log in (from a node's driver_info). */
export interface RedfishTarget {
  /** `https://host[:port]` or `http://host[:port]`; a path, if any, is ignored. */
  readonly address: string;
  readonly username: string;
  readonly password: string;
  /** Verify the BMC's certificate (true, the default), not (false), or against this CA bundle file (PEM). */
  readonly verify?: boolean | string;
  /** Default 'auto'. */
  readonly authType?: RedfishAuthType;
  /** Never send If-Match on PATCH (for BMCs that refuse their own ETags). */
  readonly noIfMatch?: boolean;
}

export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RedfishClientOptions {
  /** Time for each HTTP exchange, headers and body (default 60 000 ms). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt on connection errors and 5xx (default 3). */
  readonly retries?: number;
  /** First backoff between retries, doubled each time (default 500 ms). */
  readonly backoffMs?: number;
  /** Longest sleep between task monitor polls, whatever Retry-After says (default 30 000 ms). */
  readonly maxRetryAfterMs?: number;
  /** Sleep between polls when Retry-After is absent (default 1000 ms). */
  readonly defaultPollMs?: number;
  /** Total time (counted as the sum of poll sleeps) a task may take (default 1 h). */
  readonly taskTimeoutMs?: number;
  /** Connections per BMC origin (default 4). */
  readonly connectionsPerBmc?: number;
  /** How to wait (backoff, task polls); tests inject one that does not wait. */
  readonly sleep?: SleepFunction;
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** This call's timeout per HTTP exchange, instead of the client's. */
  readonly timeoutMs?: number;
  /** Follow a 202's task monitor to its end (default true). */
  readonly waitForTask?: boolean;
}

export interface PatchOptions extends RequestOptions {
  /** The ETag of the last GET, sent as If-Match (unless the target says never). */
  readonly etag?: string;
}

export interface PostOptions extends RequestOptions {
  /** The action is safe to repeat: retry it on connection errors and 5xx like a GET. */
  readonly retrySafe?: boolean;
}

export interface RedfishResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed body; undefined for an empty body (204, or 200/201/202 without one). */
  readonly body: JsonObject | undefined;
  readonly etag?: string;
  readonly location?: string;
}

export interface RedfishGetResponse extends RedfishResponse {
  readonly body: JsonObject;
}

export interface RedfishSession {
  /** `scheme://host:port` of the BMC. */
  readonly origin: string;
  get(path: string, options?: RequestOptions): Promise<RedfishGetResponse>;
  patch(path: string, body: JsonObject, options?: PatchOptions): Promise<RedfishResponse>;
  post(path: string, body: JsonObject, options?: PostOptions): Promise<RedfishResponse>;
  delete(path: string, options?: RequestOptions): Promise<RedfishResponse>;
  /** Logs out (DELETE of the session URI, best effort); the session logs in again if used. */
  close(): Promise<void>;
}

interface Settings {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxRetryAfterMs: number;
  readonly defaultPollMs: number;
  readonly taskTimeoutMs: number;
  readonly connections: number;
  readonly sleep: SleepFunction;
}

const DEFAULT_SESSIONS_PATH = '/redfish/v1/SessionService/Sessions';

/** A function, not a property test, so that checks after an await are not narrowed away. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function positive(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `RedfishClient: ${name} must be an integer from ${String(min)} to ${String(max)}`,
    );
  }
  return value;
}

const realSleep: SleepFunction = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

export class RedfishClient {
  private readonly settings: Settings;
  private readonly pools = new Map<string, Promise<Pool>>();
  private readonly sessions = new Map<string, Session>();
  private closing?: Promise<void>;
  /** Set once the sessions are logged out: no more connections after that. */
  private closed = false;

  constructor(options: RedfishClientOptions = {}) {
    this.settings = {
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? 60_000, 1),
      retries: positive('retries', options.retries ?? 3, 0, 100),
      backoffMs: positive('backoffMs', options.backoffMs ?? 500, 0),
      maxRetryAfterMs: positive('maxRetryAfterMs', options.maxRetryAfterMs ?? 30_000, 0),
      defaultPollMs: positive('defaultPollMs', options.defaultPollMs ?? 1_000, 0),
      taskTimeoutMs: positive('taskTimeoutMs', options.taskTimeoutMs ?? 3_600_000, 1),
      connections: positive('connectionsPerBmc', options.connectionsPerBmc ?? 4, 1, 64),
      sleep: options.sleep ?? realSleep,
    };
  }

  /** The session to `target`: the same object for the same BMC, login and settings. */
  session(target: RedfishTarget): RedfishSession {
    const origin = originOf(target.address);
    const verify = target.verify ?? true;
    const key = [
      origin,
      target.username,
      createHash('sha256').update(target.password).digest('base64'),
      String(verify),
      target.authType ?? 'auto',
      String(target.noIfMatch ?? false),
    ].join('\u0000');
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = new Session(target, origin, this.settings, () => this.pool(origin, verify));
      this.sessions.set(key, session);
    }
    return session;
  }

  private pool(origin: string, verify: boolean | string): Promise<Pool> {
    if (this.closed) {
      return Promise.reject(
        new RedfishError(
          RedfishErrorKind.CONNECTION,
          `Redfish BMC ${origin}: the Redfish client is closed`,
          { origin },
        ),
      );
    }
    const key = `${origin}\u0000${String(verify)}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = makePool(origin, verify, this.settings.connections);
      this.pools.set(key, pool);
      // A CA bundle that cannot be read is retried on the next call.
      pool.catch(() => this.pools.delete(key));
    }
    return pool;
  }

  /** Logs every session out (best effort), then closes the connections; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.sessions.values()].map((session) => session.close()));
      this.closed = true;
      const pools = await Promise.allSettled(this.pools.values());
      await Promise.all(
        pools.map(async (result) => {
          if (result.status === 'fulfilled') await result.value.close().catch(() => undefined);
        }),
      );
    })();
    return this.closing;
  }
}

function originOf(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new RedfishError(
      RedfishErrorKind.PROTOCOL,
      `Redfish address "${address}" is not a URL (expected https://host[:port])`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RedfishError(
      RedfishErrorKind.PROTOCOL,
      `Redfish address "${url.origin}" must be http:// or https://`,
    );
  }
  return url.origin;
}

async function makePool(origin: string, verify: boolean | string, connections: number) {
  const tls: { rejectUnauthorized: boolean; ca?: string } = {
    rejectUnauthorized: verify !== false,
  };
  if (typeof verify === 'string' && origin.startsWith('https:')) {
    try {
      tls.ca = await readFile(verify, 'utf8');
    } catch (error) {
      throw new RedfishError(
        RedfishErrorKind.CONNECTION,
        `Redfish BMC ${origin}: cannot read the CA bundle ${verify}: ${(error as Error).message}`,
        { origin },
      );
    }
  }
  return new Pool(origin, {
    connections,
    keepAliveTimeout: 30_000,
    // The session's own timer bounds each exchange; these only stop undici's defaults (300 s) from being shorter.
    headersTimeout: 0,
    bodyTimeout: 0,
    connect: origin.startsWith('https:') ? tls : {},
  });
}

interface Exchange {
  readonly method: 'GET' | 'PATCH' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: JsonObject;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  /** Retry connection errors and 5xx. */
  readonly retry: boolean;
  /** Send credentials (false for the service root read before login and the login itself). */
  readonly auth: boolean;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
}

type Auth =
  | { readonly mode: 'basic' }
  | { readonly mode: 'token'; readonly token: string; readonly uri: string | undefined };

class Session implements RedfishSession {
  readonly origin: string;
  private auth?: Promise<Auth>;
  private readonly basicHeader: string;

  constructor(
    private readonly target: RedfishTarget,
    origin: string,
    private readonly settings: Settings,
    private readonly pool: () => Promise<Pool>,
  ) {
    this.origin = origin;
    this.basicHeader = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
  }

  async get(path: string, options: RequestOptions = {}): Promise<RedfishGetResponse> {
    const response = await this.call({ method: 'GET', path, retry: true, auth: true, ...options });
    if (response.body === undefined) {
      throw this.error(RedfishErrorKind.PROTOCOL, 'GET', path, 'the answer has no body', {
        status: response.status,
      });
    }
    return { ...response, body: response.body };
  }

  async patch(
    path: string,
    body: JsonObject,
    options: PatchOptions = {},
  ): Promise<RedfishResponse> {
    const base = { method: 'PATCH', path, body, retry: false, auth: true, ...options } as const;
    const etag = options.etag;
    if (etag === undefined || etag === '' || this.target.noIfMatch === true) {
      return this.call(base);
    }
    // Real BMCs refuse their own ETags: weak → strong → none, as sushy does.
    const tries = [etag];
    const strong = etag.replace(/^W\//i, '');
    if (strong !== etag) tries.push(strong);
    for (const tag of tries) {
      try {
        return await this.call({ ...base, headers: { 'if-match': tag } });
      } catch (error) {
        if (!(error instanceof RedfishError) || error.status !== 412) throw error;
      }
    }
    return this.call(base);
  }

  post(path: string, body: JsonObject, options: PostOptions = {}): Promise<RedfishResponse> {
    return this.call({
      method: 'POST',
      path,
      body,
      auth: true,
      ...options,
      retry: options.retrySafe === true,
    });
  }

  delete(path: string, options: RequestOptions = {}): Promise<RedfishResponse> {
    return this.call({ method: 'DELETE', path, retry: true, auth: true, ...options });
  }

  async close(): Promise<void> {
    const pending = this.auth;
    this.auth = undefined;
    if (pending === undefined) return;
    let auth: Auth;
    try {
      auth = await pending;
    } catch {
      return;
    }
    if (auth.mode !== 'token' || auth.uri === undefined) return;
    try {
      await this.send(
        {
          method: 'DELETE',
          path: auth.uri,
          retry: false,
          auth: false,
          headers: { 'x-auth-token': auth.token },
          timeoutMs: Math.min(this.settings.timeoutMs, 10_000),
        },
        undefined,
      );
    } catch {
      // Best effort: the BMC expires the session anyway.
    }
  }

  /** One request with authentication, 401 re-login, error mapping and task monitors. */
  private async call(exchange: Exchange & { waitForTask?: boolean }): Promise<RedfishResponse> {
    const pending = this.authenticate(exchange.signal);
    let auth = await pending;
    let raw = await this.sendWithRetries(exchange, auth);
    if (raw.status === 401 && auth.mode === 'token') {
      // The session expired or the BMC forgot it: log in again, once (and
      // only once for all the requests that used the same token).
      if (this.auth === pending) this.auth = undefined;
      auth = await this.authenticate(exchange.signal, true);
      raw = await this.sendWithRetries(exchange, auth);
    }
    const response = this.interpret(exchange.method, exchange.path, raw);
    if (response.status === 202 && exchange.waitForTask !== false && response.location) {
      return this.followTask(exchange, response.location, response.headers['retry-after']);
    }
    return response;
  }

  private authenticate(signal: AbortSignal | undefined, relogin = false): Promise<Auth> {
    if (this.auth === undefined) {
      const pending = this.login(signal, relogin);
      this.auth = pending;
      // A failed login is retried on the next call.
      pending.catch(() => {
        if (this.auth === pending) this.auth = undefined;
      });
    }
    return this.auth;
  }

  private async login(signal: AbortSignal | undefined, relogin: boolean): Promise<Auth> {
    const type = this.target.authType ?? 'auto';
    if (type === 'basic') return { mode: 'basic' };
    try {
      return await this.createSession(signal);
    } catch (error) {
      if (
        type === 'session' ||
        relogin ||
        !(error instanceof RedfishError) ||
        error.kind === RedfishErrorKind.ABORTED ||
        error.kind === RedfishErrorKind.TIMEOUT ||
        error.kind === RedfishErrorKind.CONNECTION
      ) {
        throw error;
      }
      return { mode: 'basic' };
    }
  }

  private async createSession(signal: AbortSignal | undefined): Promise<Auth> {
    const sessionsPath = await this.sessionsPath(signal);
    const raw = await this.sendWithRetries(
      {
        method: 'POST',
        path: sessionsPath,
        body: { UserName: this.target.username, Password: this.target.password },
        retry: false,
        auth: false,
        ...(signal ? { signal } : {}),
      },
      undefined,
    );
    if (raw.status === 401 || raw.status === 403 || raw.status >= 300) {
      const messages = errorBodyMessages(safeParse(raw.text));
      throw this.error(
        raw.status === 401 || raw.status === 403
          ? RedfishErrorKind.AUTHENTICATION
          : RedfishErrorKind.HTTP,
        'POST',
        sessionsPath,
        `cannot create a session: HTTP ${String(raw.status)}${suffix(messages)}`,
        { status: raw.status, messages },
      );
    }
    const token = raw.headers['x-auth-token'];
    if (token === undefined || token === '') {
      throw this.error(
        RedfishErrorKind.AUTHENTICATION,
        'POST',
        sessionsPath,
        'the session was created without an X-Auth-Token header',
        { status: raw.status },
      );
    }
    let uri = raw.headers.location;
    if (uri === undefined) {
      const body = safeParse(raw.text);
      const id = isJsonObject(body) ? body['@odata.id'] : undefined;
      if (typeof id === 'string') uri = id;
    }
    return { mode: 'token', token, uri: uri === undefined ? undefined : this.pathOf(uri) };
  }

  /** Links.Sessions of the service root (read without credentials), or the standard path. */
  private async sessionsPath(signal: AbortSignal | undefined): Promise<string> {
    try {
      const raw = await this.sendWithRetries(
        {
          method: 'GET',
          path: '/redfish/v1/',
          retry: true,
          auth: false,
          ...(signal ? { signal } : {}),
        },
        undefined,
      );
      if (raw.status === 200) {
        const root = safeParse(raw.text);
        const links = isJsonObject(root) ? root.Links : undefined;
        const sessions = isJsonObject(links) ? links.Sessions : undefined;
        const id = isJsonObject(sessions) ? sessions['@odata.id'] : undefined;
        if (typeof id === 'string' && id.startsWith('/')) return id;
      }
    } catch (error) {
      if (
        error instanceof RedfishError &&
        (error.kind === RedfishErrorKind.ABORTED || error.kind === RedfishErrorKind.CONNECTION)
      ) {
        throw error;
      }
    }
    return DEFAULT_SESSIONS_PATH;
  }

  private async sendWithRetries(exchange: Exchange, auth: Auth | undefined): Promise<RawResponse> {
    const retries = this.settings.retries;
    const canRetry = exchange.retry;
    for (let attempt = 0; ; attempt++) {
      let raw: RawResponse;
      try {
        raw = await this.send(exchange, auth);
      } catch (error) {
        if (
          canRetry &&
          attempt < retries &&
          error instanceof RedfishError &&
          error.kind === RedfishErrorKind.CONNECTION
        ) {
          await this.backoff(attempt, exchange);
          continue;
        }
        throw error;
      }
      if (canRetry && attempt < retries && raw.status >= 500) {
        await this.backoff(attempt, exchange);
        continue;
      }
      return raw;
    }
  }

  private async backoff(attempt: number, exchange: Exchange): Promise<void> {
    const ms = Math.min(this.settings.backoffMs * 2 ** attempt, 30_000);
    try {
      await this.settings.sleep(ms, exchange.signal);
    } catch {
      throw this.aborted(exchange.method, exchange.path);
    }
    if (isAborted(exchange.signal)) throw this.aborted(exchange.method, exchange.path);
  }

  /** One HTTP exchange, bounded by the timeout and the caller's signal; any status is returned. */
  private async send(exchange: Exchange, auth: Auth | undefined): Promise<RawResponse> {
    const { method, path, signal } = exchange;
    if (signal?.aborted === true) throw this.aborted(method, path);
    const pool = await this.pool();
    const headers: Record<string, string> = {
      accept: 'application/json',
      'odata-version': '4.0',
      ...exchange.headers,
    };
    if (exchange.body !== undefined) headers['content-type'] = 'application/json';
    if (exchange.auth && auth !== undefined) {
      if (auth.mode === 'token') headers['x-auth-token'] = auth.token;
      else headers.authorization = this.basicHeader;
    }
    const controller = new AbortController();
    const state = { timedOut: false };
    const timeoutMs = exchange.timeoutMs ?? this.settings.timeoutMs;
    const timer = setTimeout(() => {
      state.timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => {
      controller.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const options: Dispatcher.RequestOptions = {
        origin: this.origin,
        path,
        method,
        headers,
        signal: controller.signal,
      };
      if (exchange.body !== undefined) options.body = JSON.stringify(exchange.body);
      const response = await pool.request(options);
      const text = await response.body.text();
      const flat: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { status: response.statusCode, headers: flat, text };
    } catch (error) {
      if (isAborted(signal)) throw this.aborted(method, path);
      if (state.timedOut) {
        throw this.error(
          RedfishErrorKind.TIMEOUT,
          method,
          path,
          `no answer within ${String(timeoutMs)} ms`,
        );
      }
      if (error instanceof RedfishError) throw error;
      throw this.error(RedfishErrorKind.CONNECTION, method, path, describeCause(error));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Maps an HTTP answer to a response or a RedfishError. */
  private interpret(method: string, path: string, raw: RawResponse): RedfishResponse {
    const { status, headers } = raw;
    if (status >= 400) {
      const messages = errorBodyMessages(safeParse(raw.text));
      const kind =
        status === 401 || status === 403 ? RedfishErrorKind.AUTHENTICATION : RedfishErrorKind.HTTP;
      throw this.error(kind, method, path, `HTTP ${String(status)}${suffix(messages)}`, {
        status,
        messages,
      });
    }
    if (status < 200 || status >= 300) {
      throw this.error(
        RedfishErrorKind.PROTOCOL,
        method,
        path,
        `unexpected HTTP ${String(status)}`,
        {
          status,
        },
      );
    }
    let body: JsonObject | undefined;
    if (status !== 204 && raw.text.trim() !== '') {
      const type = (headers['content-type'] ?? '').toLowerCase();
      if (!/^application\/(.+\+)?json\b/.test(type.trim())) {
        throw this.error(
          RedfishErrorKind.PROTOCOL,
          method,
          path,
          `the answer is ${type === '' ? 'of no content type' : `"${type}"`}, not JSON`,
          { status },
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.text);
      } catch (error) {
        throw this.error(
          RedfishErrorKind.PROTOCOL,
          method,
          path,
          `the answer is not valid JSON (${(error as Error).message})`,
          { status },
        );
      }
      if (!isJsonObject(parsed)) {
        throw this.error(
          RedfishErrorKind.PROTOCOL,
          method,
          path,
          'the answer is not a JSON object',
          {
            status,
          },
        );
      }
      body = parsed;
      tagJson(body, `${this.origin}${path}`);
    }
    const result: {
      status: number;
      headers: Record<string, string>;
      body: JsonObject | undefined;
      etag?: string;
      location?: string;
    } = { status, headers, body };
    const etag = headers.etag ?? (body ? stringOf(body['@odata.etag']) : undefined);
    if (etag !== undefined) result.etag = etag;
    if (headers.location !== undefined) result.location = this.pathOf(headers.location);
    return result;
  }

  /** Polls a task monitor until the operation ends; the final answer or a 'task' error. */
  private async followTask(
    exchange: Exchange,
    monitor: string,
    firstRetryAfter: string | undefined,
  ): Promise<RedfishResponse> {
    let waited = 0;
    let retryAfter = firstRetryAfter;
    for (;;) {
      const ms = this.pollDelay(retryAfter);
      waited += ms;
      if (waited > this.settings.taskTimeoutMs) {
        throw this.error(
          RedfishErrorKind.TIMEOUT,
          exchange.method,
          exchange.path,
          `the task ${monitor} did not end within ${String(this.settings.taskTimeoutMs)} ms`,
        );
      }
      try {
        await this.settings.sleep(ms, exchange.signal);
      } catch {
        throw this.aborted('GET', monitor);
      }
      const poll = { method: 'GET', path: monitor, retry: true, auth: true } as const;
      const response = await this.call({
        ...poll,
        waitForTask: false,
        ...(exchange.signal ? { signal: exchange.signal } : {}),
        ...(exchange.timeoutMs !== undefined ? { timeoutMs: exchange.timeoutMs } : {}),
      });
      const body = response.body;
      const state = body ? stringOf(body.TaskState) : undefined;
      if (state !== undefined && body !== undefined) {
        const messages = messagesOf(body.Messages);
        if (state === 'Exception' || state === 'Killed' || state === 'Cancelled') {
          throw this.error(
            RedfishErrorKind.TASK,
            exchange.method,
            exchange.path,
            `the task ${monitor} ended in ${state}${suffix(messages)}`,
            { status: response.status, messages },
          );
        }
        if (state === 'Completed') return response;
        // Running, New, Pending, …: some BMCs answer 200 with the task while it runs.
        if (response.status === 202 || response.status === 200) {
          retryAfter = response.headers['retry-after'];
          continue;
        }
      }
      if (response.status === 202) {
        retryAfter = response.headers['retry-after'];
        continue;
      }
      return response;
    }
  }

  private pollDelay(retryAfter: string | undefined): number {
    let ms = this.settings.defaultPollMs;
    if (retryAfter !== undefined) {
      const trimmed = retryAfter.trim();
      if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
      else {
        const date = Date.parse(trimmed);
        if (!Number.isNaN(date)) ms = Math.max(0, date - Date.now());
      }
    }
    return Math.min(ms, this.settings.maxRetryAfterMs);
  }

  /** A path for a Location header (absolute on this BMC, or relative). */
  private pathOf(uri: string): string {
    try {
      const url = new URL(uri, this.origin);
      return `${url.pathname}${url.search}`;
    } catch {
      return uri;
    }
  }

  private aborted(method: string, path: string): RedfishError {
    return this.error(RedfishErrorKind.ABORTED, method, path, 'aborted');
  }

  private error(
    kind: RedfishErrorKind,
    method: string,
    path: string,
    what: string,
    details: { status?: number; messages?: readonly string[] } = {},
  ): RedfishError {
    const message = this.redact(`Redfish BMC ${this.origin}: ${method} ${path}: ${what}`);
    return new RedfishError(kind, message, {
      ...details,
      ...(details.messages ? { messages: details.messages.map((m) => this.redact(m)) } : {}),
      origin: this.origin,
      path,
    });
  }

  /** Never leak the password (a BMC may echo it back) or the basic credentials. */
  private redact(text: string): string {
    let out = text;
    const secrets = [this.target.password, this.basicHeader.slice('Basic '.length)];
    for (const secret of secrets) {
      if (secret.length >= 3) out = out.split(secret).join('******');
    }
    return out;
  }
}

function suffix(messages: readonly string[]): string {
  return messages.length === 0 ? '' : `: ${messages.join('; ')}`;
}

function stringOf(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'connection failed';
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    const text = typeof code === 'string' ? `${current.message} (${code})` : current.message;
    if (text !== '' && !parts.includes(text)) parts.push(text);
    current = current.cause;
  }
  return parts.length === 0 ? 'connection failed' : parts.join(': ');
}

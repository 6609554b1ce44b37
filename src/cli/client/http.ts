import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { ApiError, ConnectionError, faultOfBody, UsageError } from './errors.ts';
import { negotiateVersion } from './microversion.ts';

/** Where the API is and how to talk to it. */
export interface ClientOptions {
  /** The service's root URL (a trailing `/v1` is dropped). */
  readonly url: string;
  /** A fixed microversion `X.Y`; absent or `latest`: negotiated with the server. */
  readonly apiVersion?: string;
  /** HTTP basic credentials, for a service with `auth_strategy = "http_basic"`. */
  readonly username?: string;
  readonly password?: string;
  /** A PEM file of the CAs to trust for HTTPS, instead of the system's. */
  readonly cacert?: string;
  /** Skip HTTPS certificate checks. */
  readonly insecure?: boolean;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A JSON object as the API sends it. */
export type Json = Record<string, unknown>;

const VERSION_HEADER = 'x-openstack-ironic-api-version';

/** Socket-level failures, said the way an operator fixes them. */
const CONNECTION_HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused; is the service running there? (--url or FERRITE_URL)',
  ENOTFOUND: 'host not found (--url or FERRITE_URL)',
  EAI_AGAIN: 'host name lookup failed (--url or FERRITE_URL)',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'host unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection closed unexpectedly',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is not trusted; give --cacert FILE or --insecure',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not trusted; give --cacert FILE or --insecure',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'its certificate is not trusted; give --cacert FILE or --insecure',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate names another host; give --insecure to skip',
  CERT_HAS_EXPIRED: 'its certificate has expired',
};

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error; typeof e === 'object' && e !== null;) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The root URL without a trailing slash or `/v1`. */
export function serviceRoot(url: string): string {
  let root = url.trim().replace(/\/+$/, '');
  if (root.endsWith('/v1')) root = root.slice(0, -3);
  if (!/^https?:\/\//.test(root)) {
    throw new UsageError(`--url wants an http:// or https:// URL, not "${url}"`);
  }
  return root;
}

function readCaFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --cacert ${file}: ${(error as Error).message}`);
  }
}

/**
 * A client of the /v1 API: JSON in and out, the microversion header on every
 * request (negotiated once, lazily), Ironic's error bodies turned into
 * ApiError and socket failures into ConnectionError.
 */
export class BaremetalClient {
  readonly root: string;
  readonly #options: ClientOptions;
  readonly #agent: Agent;
  #version: Promise<string> | undefined;

  constructor(options: ClientOptions) {
    this.root = serviceRoot(options.url);
    this.#options = options;
    const tls = {
      ...(options.cacert !== undefined ? { ca: readCaFile(options.cacert) } : {}),
      ...(options.insecure === true ? { rejectUnauthorized: false } : {}),
    };
    this.#agent = new Agent({ connect: tls });
    const fixed = options.apiVersion;
    if (fixed !== undefined && fixed !== 'latest') this.#version = Promise.resolve(fixed);
  }

  /** The microversion this client speaks: the one given, or negotiated with `GET /`. */
  version(): Promise<string> {
    this.#version ??= this.#negotiate();
    return this.#version;
  }

  /**
   * Ironic's `GET /` names its newest version; should something in front of
   * it refuse that, every `/v1` answer carries it in a header too.
   */
  async #negotiate(): Promise<string> {
    let answer;
    try {
      answer = await this.#send('GET', '/', undefined, undefined);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = await this.#send('GET', '/v1', undefined, undefined);
    }
    const document = answer.body as { default_version?: { version?: unknown } } | undefined;
    const advertised = document?.default_version?.version;
    const header = answer.headers['x-openstack-ironic-api-maximum-version'];
    const max =
      typeof advertised === 'string' ? advertised : typeof header === 'string' ? header : undefined;
    return negotiateVersion(max);
  }

  get<T = Json>(path: string, query?: Query): Promise<T> {
    return this.call('GET', path, undefined, query) as Promise<T>;
  }

  post<T = Json>(path: string, body: unknown): Promise<T> {
    return this.call('POST', path, body) as Promise<T>;
  }

  patch<T = Json>(path: string, body: unknown): Promise<T> {
    return this.call('PATCH', path, body) as Promise<T>;
  }

  async put(path: string, body: unknown): Promise<void> {
    await this.call('PUT', path, body);
  }

  async delete(path: string): Promise<void> {
    await this.call('DELETE', path);
  }

  /**
   * Every item of a collection (`key` in each page), following `next` links
   * until the last page, or one page of at most `limit` items.
   */
  async list(path: string, key: string, query: Query = {}, limit?: number): Promise<Json[]> {
    const items: Json[] = [];
    let params: Query = limit === undefined ? query : { ...query, limit };
    for (;;) {
      const page = await this.get(path, params);
      const got = page[key];
      if (Array.isArray(got)) items.push(...(got as Json[]));
      const next = page['next'];
      if (limit !== undefined || typeof next !== 'string' || !Array.isArray(got)) return items;
      if (got.length === 0) return items;
      // The server's link may name a host we do not reach it by: keep only its query.
      params = Object.fromEntries(new URL(next, this.root).searchParams);
    }
  }

  /** A request to `/v1/<path>` at the negotiated microversion; the parsed answer, if any. */
  async call(method: string, path: string, body?: unknown, query?: Query): Promise<unknown> {
    const version = await this.version();
    const answer = await this.#send(method, `/v1/${path}`, body, query, version);
    return answer.body;
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    query: Query | undefined,
    version?: string,
  ): Promise<{ body: unknown; headers: Record<string, string | string[] | undefined> }> {
    const url = new URL(this.root + path);
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (version !== undefined) headers[VERSION_HEADER] = version;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const { username, password } = this.#options;
    if (username !== undefined) {
      headers['authorization'] =
        `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`;
    }
    let answer;
    try {
      answer = await request(url, {
        method: method as 'GET',
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        dispatcher: this.#agent,
      });
    } catch (error) {
      const code = errorCode(error);
      const hint =
        (code !== undefined ? CONNECTION_HINTS[code] : undefined) ??
        (error instanceof Error ? error.message : String(error));
      throw new ConnectionError(
        `cannot reach the API at ${this.root}: ${hint}${code !== undefined ? ` [${code}]` : ''}`,
      );
    }
    const text = await answer.body.text();
    if (answer.statusCode >= 400) {
      throw new ApiError(faultOfBody(text, answer.statusCode), answer.statusCode);
    }
    let parsed: unknown;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiError(`the API answered ${method} ${path} with something not JSON`, 502);
      }
    }
    return { body: parsed, headers: answer.headers };
  }

  /** Closes this client's connections. */
  close(): Promise<void> {
    return this.#agent.close();
  }
}

/**
 * The agent's side of Ironic's ramdisk API: lookup (which node am I, and
 * my token) and heartbeat (here I am, at this URL). Works against Ferrite
 * and against an Ironic: the API version is the lower of what the server
 * offers and what the agent knows.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { JsonObject } from '../common/json.ts';
import { isJsonObject } from '../common/json.ts';

/** How soon a lookup or heartbeat refused for a locked node is tried again. */
export const LOCKED_RETRY_MS = 200;

/** The newest microversion whose lookup and heartbeat fields the agent knows (agent_status). */
const AGENT_API_MINOR = 72;

export interface LookupAnswer {
  readonly node: JsonObject & { readonly uuid: string };
  readonly config: JsonObject;
}

export interface HeartbeatBody {
  readonly callback_url: string;
  readonly agent_version: string;
  readonly agent_token?: string;
  readonly agent_status?: 'start' | 'end' | 'error';
  readonly agent_status_message?: string;
}

/** An answer of the API that was not what the agent asked for. */
export class ApiAnswerError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function faultOf(body: unknown): string {
  if (isJsonObject(body) && typeof body['error_message'] === 'string') {
    try {
      const inner = JSON.parse(body['error_message']) as unknown;
      if (isJsonObject(inner) && typeof inner['faultstring'] === 'string')
        return inner['faultstring'];
    } catch {
      return body['error_message'];
    }
  }
  return JSON.stringify(body);
}

export class IronicApiClient {
  readonly #base: string;
  readonly #timeoutMs: number;
  #version: string | undefined;

  constructor(apiUrl: string, timeoutMs = 30_000) {
    this.#base = apiUrl.replace(/\/+$/, '');
    this.#timeoutMs = timeoutMs;
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#version !== undefined) headers['x-openstack-ironic-api-version'] = this.#version;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await request(`${this.#base}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]),
    });
    const text = await answer.body.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        parsed = text;
      }
    }
    return { status: answer.statusCode, body: parsed };
  }

  /** Agrees the microversion with the server (once). */
  async #negotiate(signal: AbortSignal): Promise<void> {
    if (this.#version !== undefined) return;
    const { status, body } = await this.#call('GET', '/v1', signal);
    const max =
      isJsonObject(body) && isJsonObject(body['version']) ? body['version']['version'] : undefined;
    if (status !== 200 || typeof max !== 'string' || !/^1\.\d+$/.test(max)) {
      throw new ApiAnswerError(
        `GET /v1 did not say which API versions it serves (HTTP ${String(status)})`,
        status,
      );
    }
    this.#version = `1.${String(Math.min(Number(max.split('.')[1]), AGENT_API_MINOR))}`;
  }

  /** One lookup: the node, or why not (`missing`: not known or not waiting yet; `locked`: busy). */
  async lookup(
    addresses: readonly string[],
    nodeUuid: string | undefined,
    signal: AbortSignal,
  ): Promise<LookupAnswer | 'missing' | 'locked'> {
    await this.#negotiate(signal);
    const query = new URLSearchParams();
    if (addresses.length > 0) query.set('addresses', addresses.join(','));
    if (nodeUuid !== undefined) query.set('node_uuid', nodeUuid);
    const { status, body } = await this.#call('GET', `/v1/lookup?${query.toString()}`, signal);
    if (status === 404) return 'missing';
    if (status === 409) return 'locked';
    if (
      status !== 200 ||
      !isJsonObject(body) ||
      !isJsonObject(body['node']) ||
      typeof body['node']['uuid'] !== 'string'
    ) {
      throw new ApiAnswerError(`lookup failed (HTTP ${String(status)}): ${faultOf(body)}`, status);
    }
    return {
      node: body['node'] as LookupAnswer['node'],
      config: isJsonObject(body['config']) ? body['config'] : {},
    };
  }

  /** Looks up until the API knows the node, waiting between tries. */
  async lookupUntilFound(
    addresses: readonly string[],
    nodeUuid: string | undefined,
    signal: AbortSignal,
    onMiss: (error: unknown) => void,
  ): Promise<LookupAnswer> {
    // A node not waiting yet is asked again less and less often; a locked one
    // (its conductor is still powering it on) soon, as it frees in a moment.
    for (let delayMs = 250; ;) {
      let wait = delayMs;
      try {
        const found = await this.lookup(addresses, nodeUuid, signal);
        if (typeof found === 'object') return found;
        if (found === 'locked') wait = LOCKED_RETRY_MS;
        onMiss(undefined);
      } catch (error) {
        if (signal.aborted) throw error;
        onMiss(error);
      }
      await sleep(wait, undefined, { signal });
      if (wait === delayMs) delayMs = Math.min(delayMs * 2, 5000);
    }
  }

  async heartbeat(nodeUuid: string, beat: HeartbeatBody, signal: AbortSignal): Promise<void> {
    await this.#negotiate(signal);
    const minor = Number(this.#version?.split('.')[1] ?? '0');
    // Fields the server's version does not know would be refused with 406.
    const sent: Record<string, unknown> = { callback_url: beat.callback_url };
    if (minor >= 36) sent['agent_version'] = beat.agent_version;
    if (minor >= 62 && beat.agent_token !== undefined) sent['agent_token'] = beat.agent_token;
    if (minor >= 72 && beat.agent_status !== undefined) {
      sent['agent_status'] = beat.agent_status;
      if (beat.agent_status_message !== undefined)
        sent['agent_status_message'] = beat.agent_status_message;
    }
    const { status, body } = await this.#call(
      'POST',
      `/v1/heartbeat/${encodeURIComponent(nodeUuid)}`,
      signal,
      sent,
    );
    if (status !== 202 && status !== 200 && status !== 204) {
      throw new ApiAnswerError(
        `heartbeat refused (HTTP ${String(status)}): ${faultOf(body)}`,
        status,
      );
    }
  }
}

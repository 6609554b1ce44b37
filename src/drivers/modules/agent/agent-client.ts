/**
 * The conductor's client of the ramdisk agent's command API (ironic-python-
 * agent's): run a command, read the results back. The agent's URL and token
 * live in the node's driver_internal_info, put there by its heartbeat and
 * lookup; the token goes in the query string, as Ironic sends it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../../common/json.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { Closeable } from '../../shared-resources.ts';
import type { Task } from '../../task.ts';

/** A command's record as the agent keeps it. */
export interface AgentCommandRecord {
  readonly id?: string;
  readonly command_name: string;
  /** RUNNING, SUCCEEDED or FAILED (or whatever a newer agent says). */
  readonly command_status: string;
  readonly command_error: JsonValue;
  readonly command_result: JsonValue;
}

export const AGENT_URL_KEY = 'agent_url';
export const AGENT_TOKEN_KEY = 'agent_secret_token';

/** The readable part of a command's error (IPA sends an object with details and message). */
export function commandError(record: AgentCommandRecord): string {
  const error = record.command_error;
  if (isJsonObject(error)) {
    const text = error['details'] ?? error['message'];
    return typeof text === 'string' ? text : JSON.stringify(error);
  }
  return typeof error === 'string' ? error : 'the agent gave no reason';
}

function isRecord(value: unknown): value is AgentCommandRecord {
  return (
    isJsonObject(value) &&
    typeof value['command_name'] === 'string' &&
    typeof value['command_status'] === 'string'
  );
}

export interface AgentClientOptions {
  readonly timeoutMs: number;
  readonly retries: number;
}

export class AgentClient implements Closeable {
  readonly #options: AgentClientOptions;
  readonly #dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 4 });

  constructor(options: AgentClientOptions) {
    this.#options = options;
  }

  #baseUrl(task: Task): string {
    const url = task.node.driverInternalInfo[AGENT_URL_KEY];
    if (typeof url !== 'string' || url === '') {
      throw new FerriteError('AgentConnectionFailed', {
        reason: `node ${task.node.uuid} has no agent URL yet: the agent has not heartbeated`,
      });
    }
    return url.replace(/\/+$/, '');
  }

  async #exchange(
    task: Task,
    method: 'GET' | 'POST',
    url: string,
    body?: JsonObject,
  ): Promise<{ status: number; body: unknown }> {
    let lastError: unknown;
    // Retried on connection failures only: a command that reached the agent is never sent twice.
    for (let attempt = 0; attempt <= this.#options.retries; attempt++) {
      if (attempt > 0)
        await sleep(Math.min(250 * 2 ** attempt, 2000), undefined, { signal: task.signal });
      try {
        const answer = await request(url, {
          method,
          dispatcher: this.#dispatcher,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: body === undefined ? null : JSON.stringify(body),
          signal: AbortSignal.any([task.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
        });
        const text = await answer.body.text();
        let parsed: unknown;
        try {
          parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch {
          throw new FerriteError('AgentAPIError', {
            node: task.node.uuid,
            status: answer.statusCode,
            error: `the answer is not JSON: ${text.slice(0, 200)}`,
          });
        }
        return { status: answer.statusCode, body: parsed };
      } catch (error) {
        if (error instanceof FerriteError || task.signal.aborted) throw error;
        lastError = error;
        // A command may have reached the agent unless the connection was refused outright.
        if (method === 'POST' && (error as { code?: string }).code !== 'ECONNREFUSED') break;
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new FerriteError('AgentConnectionFailed', {
      reason: `the agent of node ${task.node.uuid} at ${this.#baseUrl(task)} did not answer: ${reason}`,
    });
  }

  /**
   * Runs `name` (`extension.method`) on the node's agent. Synchronous
   * commands come back finished; asynchronous ones RUNNING (read them back
   * with lastResult). A refusal by the agent is AgentAPIError.
   */
  async command(
    task: Task,
    name: string,
    params: JsonObject,
    wait = false,
  ): Promise<AgentCommandRecord> {
    const query = new URLSearchParams({ wait: String(wait) });
    const token = task.node.driverInternalInfo[AGENT_TOKEN_KEY];
    if (typeof token === 'string') query.set('agent_token', token);
    const { status, body } = await this.#exchange(
      task,
      'POST',
      `${this.#baseUrl(task)}/v1/commands/?${query.toString()}`,
      {
        name,
        params,
      },
    );
    if (status >= 400 || !isRecord(body)) {
      const fault =
        isJsonObject(body) && typeof body['faultstring'] === 'string'
          ? body['faultstring']
          : JSON.stringify(body);
      throw new FerriteError('AgentAPIError', { node: task.node.uuid, status, error: fault });
    }
    return body;
  }

  /** Every command result the agent keeps, oldest first. */
  async results(task: Task): Promise<AgentCommandRecord[]> {
    const { status, body } = await this.#exchange(
      task,
      'GET',
      `${this.#baseUrl(task)}/v1/commands/`,
    );
    const list = isJsonObject(body) ? body['commands'] : undefined;
    if (status >= 400 || !Array.isArray(list)) {
      throw new FerriteError('AgentAPIError', {
        node: task.node.uuid,
        status,
        error: JSON.stringify(body),
      });
    }
    return list.filter((item): item is AgentCommandRecord & JsonValue => isRecord(item));
  }

  /** The latest result of `method` (the name after the dot), if the agent ran it. */
  async lastResult(task: Task, method: string): Promise<AgentCommandRecord | undefined> {
    const results = await this.results(task);
    return results.reverse().find((r) => r.command_name === method);
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

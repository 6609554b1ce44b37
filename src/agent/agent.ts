/**
 * The agent's life: serve the command API, find the node (lookup), then
 * heartbeat until stopped — at the interval the API asked for, and at once
 * after lookup and whenever an asynchronous command ends, so the conductor
 * moves on without waiting for the next beat.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '../common/json.ts';
import type { Logger } from '../common/logging.ts';
import { CommandRunner } from './command-runner.ts';
import type { CommandTable } from './command-runner.ts';
import { buildCommandServer } from './command-server.ts';
import { cleanCommands } from './commands/clean.ts';
import { deployCommands } from './commands/deploy.ts';
import { logCommands } from './commands/log.ts';
import { pollCommands } from './commands/poll.ts';
import { standbyCommands } from './commands/standby.ts';
import { AgentHost } from './host.ts';
import type { AgentHostOptions } from './host.ts';
import { ApiAnswerError, IronicApiClient, LOCKED_RETRY_MS } from './ironic-client.ts';

const MASKED = '******';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
/** How soon a refused or failed heartbeat is tried again. */
const RETRY_BEAT_MS = 1000;

export interface AgentOptions extends AgentHostOptions {
  /** Ferrite's (or Ironic's) API; absent for a standalone agent, driven by hand. */
  readonly apiUrl?: string;
  readonly listenHost: string;
  /** 0 picks a free port. */
  readonly listenPort: number;
  /** The host the conductor calls the agent back on (default: the listen host). */
  readonly advertiseHost?: string;
  /** Look the node up by this UUID as well as by MAC addresses. */
  readonly nodeUuid?: string;
  /** A token handed over out of band (virtual media), instead of at lookup. */
  readonly agentToken?: string;
  /** Seconds between heartbeats; default 0.3 to 0.6 of the API's heartbeat_timeout. */
  readonly heartbeatIntervalS?: number;
  readonly version: string;
  readonly logger: Logger;
}

/** A running agent. */
export class Agent {
  readonly host: AgentHost;
  readonly runner: CommandRunner;
  readonly #options: AgentOptions;
  readonly #controller = new AbortController();
  readonly #journal: string[] = [];
  #token: string | undefined;
  #server: ReturnType<typeof buildCommandServer> | undefined;
  #url = '';
  #wake: (() => void) | undefined;
  /** An asynchronous command ended since the last heartbeat was sent. */
  #beatDue = false;
  #loop: Promise<void> | undefined;
  /** The node's UUID once looked up. */
  nodeUuid: string | undefined;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#token = options.agentToken;
    this.host = new AgentHost(options);
    const table: CommandTable = {
      ...standbyCommands(this.host),
      ...cleanCommands(this.host),
      ...deployCommands(this.host),
      ...pollCommands(this.host),
      ...logCommands(this.host, () => this.#journal),
    };
    this.runner = new CommandRunner(table, this.#controller.signal);
    this.runner.onAsyncDone = (result) => {
      this.#note(
        `command ${result.command_name} ${result.command_status}`,
        result.command_error ? { error: result.command_error.message } : {},
      );
      this.#beatDue = true;
      this.#wake?.();
    };
  }

  /** The URL the agent's API answers on. */
  get url(): string {
    return this.#url;
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  #note(message: string, fields: object = {}): void {
    this.#options.logger.info(fields, message);
    const line = `${new Date().toISOString()} ${message}${Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : ''}`;
    this.#journal.push(line);
    if (this.#journal.length > 1000) this.#journal.shift();
  }

  /** Listens, then (unless standalone) looks the node up and heartbeats in the background. */
  async start(): Promise<void> {
    const server = buildCommandServer({
      runner: this.runner,
      token: () => this.#token,
      version: this.#options.version,
      startedAt: new Date(),
    });
    this.#server = server;
    await server.listen({ host: this.#options.listenHost, port: this.#options.listenPort });
    const { port } = server.server.address() as AddressInfo;
    const host = this.#options.advertiseHost ?? this.#options.listenHost;
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${String(port)}`;
    this.#note('agent API listening', { url: this.#url });
    if (this.#options.apiUrl !== undefined) {
      this.#loop = this.#lifecycle(new IronicApiClient(this.#options.apiUrl)).catch(
        (error: unknown) => {
          if (!this.signal.aborted)
            this.#options.logger.error({ error: describe(error) }, 'agent stopped');
        },
      );
    }
  }

  async #lifecycle(api: IronicApiClient): Promise<void> {
    const signal = this.signal;
    const macs = this.host.macAddresses();
    this.#note('looking the node up', { addresses: macs, node: this.#options.nodeUuid });
    const found = await api.lookupUntilFound(macs, this.#options.nodeUuid, signal, (error) => {
      if (error)
        this.#options.logger.warn({ error: describe(error) }, 'lookup failed; trying again');
    });
    this.nodeUuid = found.node.uuid;
    this.host.node = found.node;
    const handed = found.config['agent_token'];
    if (typeof handed === 'string' && handed !== MASKED) this.#token = handed;
    const timeout = found.config['heartbeat_timeout'];
    const timeoutS = typeof timeout === 'number' && timeout > 0 ? timeout : 300;
    // Between 0.3 and 0.6 of the timeout, as ironic-python-agent: agents that lost the API together do not come back together.
    const nextIntervalMs = (): number =>
      (this.#options.heartbeatIntervalS ?? timeoutS * (0.3 + 0.3 * Math.random())) * 1000;
    this.#note('found the node', { node: found.node.uuid, token: this.#token !== undefined });
    for (;;) {
      const intervalMs = nextIntervalMs();
      let waitMs = intervalMs;
      try {
        await api.heartbeat(found.node.uuid, this.#beat(), signal);
      } catch (error) {
        if (signal.aborted) return;
        // A locked node (409) or a conductor restarting: soon again, not a full interval later.
        const status = error instanceof ApiAnswerError ? error.status : undefined;
        waitMs = Math.min(intervalMs, status === 409 ? LOCKED_RETRY_MS : RETRY_BEAT_MS);
        const fields = { error: describe(error) };
        if (status === 409) this.#options.logger.debug(fields, 'heartbeat failed');
        else this.#options.logger.warn(fields, 'heartbeat failed');
      }
      await this.#pause(waitMs, signal);
      if (signal.aborted) return;
    }
  }

  #beat() {
    return {
      callback_url: this.#url,
      agent_version: this.#options.version,
      ...(this.#token !== undefined ? { agent_token: this.#token } : {}),
    };
  }

  /** Waits `ms`, or less when an asynchronous command ends. */
  async #pause(ms: number, signal: AbortSignal): Promise<void> {
    if (this.#beatDue) {
      this.#beatDue = false;
      return;
    }
    const woken = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    try {
      await Promise.race([sleep(ms, undefined, { signal }), woken]);
    } catch {
      // Aborted: the caller checks the signal.
    } finally {
      this.#wake = undefined;
      this.#beatDue = false;
    }
  }

  /** The node as the agent last saw it. */
  get node(): JsonObject | undefined {
    return this.host.node;
  }

  /** Stops heartbeating and commands, and closes the API. */
  async stop(): Promise<void> {
    this.#controller.abort(new Error('the agent is stopping'));
    await this.#loop;
    await this.runner.settle();
    await this.#server?.close();
  }
}

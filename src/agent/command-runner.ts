/**
 * The agent's commands as ironic-python-agent runs them: each call gets a
 * result record (`id`, `command_name`, `command_status`, `command_error`,
 * `command_result`) kept for the conductor to read back. Synchronous
 * commands finish before the answer; asynchronous ones answer RUNNING and
 * finish in the background, one at a time.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject, JsonValue } from '../common/json.ts';

export type CommandStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** An error as the agent reports it, shaped like ironic-python-agent's. */
export interface CommandErrorBody {
  readonly type: string;
  readonly code: number;
  readonly message: string;
  readonly details: string;
}

/** A command's record, serialised as the agent API answers it. */
export interface CommandResult {
  readonly id: string;
  readonly command_name: string;
  readonly command_params: JsonObject;
  command_status: CommandStatus;
  command_error: CommandErrorBody | null;
  command_result: JsonValue;
}

/** A failure with the HTTP status and type name the agent API reports. */
export class AgentCommandError extends Error {
  constructor(
    message: string,
    readonly type: string = 'CommandExecutionError',
    readonly code: number = 500,
    readonly details: string = message,
  ) {
    super(message);
    this.name = type;
  }
}

/** What a command's implementation receives. */
export interface CommandContext {
  /** Aborted when the agent stops. */
  readonly signal: AbortSignal;
}

export interface CommandDefinition {
  /** Asynchronous commands answer at once and run in the background, one at a time. */
  readonly async: boolean;
  run(params: JsonObject, ctx: CommandContext): Promise<JsonValue>;
}

/** Commands by their full name, `extension.method`. */
export type CommandTable = Readonly<Record<string, CommandDefinition>>;

function errorBody(error: unknown): CommandErrorBody {
  if (error instanceof AgentCommandError) {
    return { type: error.type, code: error.code, message: error.message, details: error.details };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'CommandExecutionError', code: 500, message, details: message };
}

/** Keeps at most this many results: the conductor reads the last of each name. */
const KEPT_RESULTS = 100;

export class CommandRunner {
  readonly #table: CommandTable;
  readonly #signal: AbortSignal;
  readonly #results: CommandResult[] = [];
  #busy: CommandResult | undefined;
  readonly #running = new Map<string, Promise<void>>();
  /** Called when an asynchronous command ends, so the agent heartbeats at once. */
  onAsyncDone: (result: CommandResult) => void = () => {};

  constructor(table: CommandTable, signal: AbortSignal) {
    this.#table = table;
    this.#signal = signal;
  }

  /** Every known command name. */
  names(): string[] {
    return Object.keys(this.#table);
  }

  list(): readonly CommandResult[] {
    return this.#results;
  }

  get(id: string): CommandResult | undefined {
    return this.#results.find((r) => r.id === id);
  }

  /** Resolves when the command with this id is no longer running. */
  async join(id: string): Promise<void> {
    await this.#running.get(id);
  }

  /**
   * Starts a command. Unknown names and a second asynchronous command while
   * one runs are refused (400 and 409, as ironic-python-agent does).
   */
  async execute(name: string, params: JsonObject): Promise<CommandResult> {
    const definition = Object.hasOwn(this.#table, name) ? this.#table[name] : undefined;
    if (!definition) {
      throw new AgentCommandError(`Unknown command: ${name}`, 'InvalidCommandError', 400);
    }
    if (definition.async && this.#busy?.command_status === 'RUNNING') {
      throw new AgentCommandError(
        `Agent is busy running the command ${this.#busy.command_name}`,
        'AgentIsBusy',
        409,
      );
    }
    const result: CommandResult = {
      id: randomUUID(),
      // The conductor looks results up by the method name alone (prepare_image).
      command_name: name.slice(name.indexOf('.') + 1),
      command_params: params,
      command_status: 'RUNNING',
      command_error: null,
      command_result: null,
    };
    this.#results.push(result);
    if (this.#results.length > KEPT_RESULTS) this.#results.shift();
    const done = this.#run(definition, params, result);
    if (!definition.async) {
      await done;
      return result;
    }
    this.#busy = result;
    const tracked = done.then(() => {
      this.#running.delete(result.id);
      this.onAsyncDone(result);
    });
    this.#running.set(result.id, tracked);
    return result;
  }

  async #run(
    definition: CommandDefinition,
    params: JsonObject,
    result: CommandResult,
  ): Promise<void> {
    try {
      result.command_result = await definition.run(params, { signal: this.#signal });
      result.command_status = 'SUCCEEDED';
    } catch (error) {
      result.command_error = errorBody(error);
      result.command_status = 'FAILED';
    }
  }

  /** Waits for every running command (on shutdown, after the signal aborted them). */
  async settle(): Promise<void> {
    await Promise.all(this.#running.values());
  }
}

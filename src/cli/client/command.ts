import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { CommandIo } from '../output.ts';
import { ApiError, UsageError } from './errors.ts';
import { BaremetalClient } from './http.ts';
import { clientOptions, GLOBAL_FLAGS, GLOBAL_HELP, GLOBAL_VALUE_FLAGS } from './settings.ts';

export type Flags = NonNullable<ParseArgsConfig['options']>;
type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/** One command of the client: its flags, positional arguments and what it does. */
export interface ActionSpec {
  /** One line: what it does (listed in the group's help). */
  readonly summary: string;
  /** The options part of `Usage:` and any further help text. */
  readonly usage: string;
  readonly flags?: Flags;
  /**
   * Labels of the positional arguments, in order: `NODE` required, `NODE?`
   * optional, `NODE...` one or more. Counted before run() is called.
   */
  readonly args?: readonly string[];
  /** Exit code (0 when it returns nothing). */
  run(ctx: CommandContext): Promise<number | undefined>;
}

export type OutputFormat = 'table' | 'json';

/** What an action works with: its arguments, output, and a client made on first use. */
export class CommandContext {
  readonly name: string;
  readonly io: CommandIo;
  readonly positionals: readonly string[];
  readonly format: OutputFormat;
  readonly env: NodeJS.ProcessEnv;
  readonly #values: Values;
  #client: BaremetalClient | undefined;

  constructor(
    name: string,
    io: CommandIo,
    values: Values,
    positionals: readonly string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.name = name;
    this.io = io;
    this.#values = values;
    this.positionals = positionals;
    this.env = env;
    const format = values['format'] ?? 'table';
    if (format !== 'table' && format !== 'json') {
      throw new UsageError(`--format must be table or json, not "${String(format)}"`);
    }
    this.format = format;
  }

  string(flag: string): string | undefined {
    const value = this.#values[flag];
    return typeof value === 'string' ? value : undefined;
  }

  strings(flag: string): string[] {
    const value = this.#values[flag];
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  }

  flag(flag: string): boolean {
    return this.#values[flag] === true;
  }

  /** `--fields a,b --fields c` as one list; undefined when none were given. */
  fields(): string[] | undefined {
    const fields = this.strings('fields')
      .flatMap((f) => f.split(','))
      .map((f) => f.trim())
      .filter((f) => f !== '');
    return fields.length > 0 ? fields : undefined;
  }

  /** `--limit N` as a positive whole number; undefined when not given. */
  limit(): number | undefined {
    const text = this.string('limit');
    if (text === undefined) return undefined;
    const limit = Number(text);
    if (!(Number.isInteger(limit) && limit > 0)) {
      throw new UsageError(`--limit wants a positive whole number, not "${text}"`);
    }
    return limit;
  }

  /** The positional argument at `index` (counted by the runner, so present when required). */
  arg(index: number): string {
    return this.positionals[index] ?? '';
  }

  client(): BaremetalClient {
    this.#client ??= new BaremetalClient(clientOptions(this.#values, this.env));
    return this.#client;
  }

  print(text: string): void {
    this.io.out.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  async close(): Promise<void> {
    await this.#client?.close();
  }
}

/**
 * `--wait` takes an optional number of seconds, which parseArgs cannot say:
 * `--wait 30` and `--wait=30` become `--wait --wait-timeout 30`.
 */
function splitWait(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const inline = /^--wait=(.*)$/.exec(token);
    if (inline) {
      out.push('--wait', '--wait-timeout', inline[1] ?? '');
    } else if (token === '--wait' && /^\d+(\.\d+)?$/.test(argv[i + 1] ?? '')) {
      out.push('--wait', '--wait-timeout', argv[i + 1] as string);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

function countArgs(labels: readonly string[], positionals: readonly string[]): void {
  const required = labels.filter((l) => !l.endsWith('?')).length;
  const variadic = labels.some((l) => l.endsWith('...'));
  if (positionals.length < required) {
    const missing = labels[positionals.length] ?? '';
    throw new UsageError(`missing ${missing.replace(/\.\.\.$/, '')}`);
  }
  if (!variadic && positionals.length > labels.length) {
    throw new UsageError(`unexpected argument "${positionals[labels.length] ?? ''}"`);
  }
}

/** Runs one action: parses its flags with the global ones, maps errors to messages and exit codes. */
export async function runAction(
  name: string,
  spec: ActionSpec,
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const hint = `see ${name} --help`;
  let ctx: CommandContext | undefined;
  try {
    const flags = spec.flags ?? {};
    const { values, positionals } = parseArgs({
      args: 'wait' in flags ? splitWait(argv) : [...argv],
      options: { ...GLOBAL_FLAGS, ...flags },
      allowPositionals: true,
      strict: true,
    });
    if (values.help === true) {
      io.out.write(`Usage: ${name} ${spec.usage.trimEnd()}\n${GLOBAL_HELP}`);
      return 0;
    }
    countArgs(spec.args ?? [], positionals);
    ctx = new CommandContext(name, io, values, positionals, env);
    return (await spec.run(ctx)) ?? 0;
  } catch (error) {
    if (error instanceof ApiError) {
      io.err.write(`${name}: ${error.message} (HTTP ${error.status})\n`);
      return 1;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err.write(`${name}: ${(error as Error).message}; ${hint}\n`);
      return 2;
    }
    // Connection failures, failed waits, unreadable files: said once, exit 1.
    io.err.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await ctx?.close();
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** The index of the first token that is not an option or a global option's value. */
function actionIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith('-')) return i;
    if (GLOBAL_VALUE_FLAGS.has(token)) i++;
  }
  return -1;
}

/**
 * A group of actions (`ferrite node list|show|…`): the first word that is not
 * a global option names the action; global options may come before it.
 */
export async function runGroup(
  group: string,
  actions: Readonly<Record<string, ActionSpec>>,
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const index = actionIndex(argv);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const width = Math.max(...Object.keys(actions).map((a) => a.length));
  const help = (): string =>
    `Usage: ${group} <action> [options]\n\nActions:\n${Object.entries(actions)
      .map(([a, spec]) => `  ${a.padEnd(width)}  ${spec.summary}`)
      .join('\n')}\n\nRun \`${group} <action> --help\` for an action's options.\n`;
  if (index < 0) {
    if (wantsHelp) {
      io.out.write(help());
      return 0;
    }
    io.err.write(`${group}: which action?\n\n${help()}`);
    return 2;
  }
  const actionName = argv[index] as string;
  const action = actions[actionName];
  if (!action) {
    if (actionName === 'help') {
      io.out.write(help());
      return 0;
    }
    io.err.write(`${group}: unknown action "${actionName}"\n\n${help()}`);
    return 2;
  }
  const rest = [...argv.slice(0, index), ...argv.slice(index + 1)];
  return runAction(`${group} ${actionName}`, action, rest, io, env);
}

import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { CommandIo } from './output.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; strict: true }>
>['values'];

/**
 * A command's flags, or the exit code to return at once: 2 after a usage
 * error (the reason and a hint on stderr), 0 after `--help` (the help on
 * stdout). The options must declare `help`.
 */
export function commandFlags<const O extends Options>(
  command: string,
  argv: readonly string[],
  options: O,
  help: string,
  io: CommandIo,
): Values<O> | number {
  let values: Values<O>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true }));
  } catch (error) {
    io.err.write(
      `ferrite ${command}: ${(error as Error).message}; see ferrite ${command} --help\n`,
    );
    return 2;
  }
  if ((values as Record<string, unknown>)['help'] === true) {
    io.out.write(help);
    return 0;
  }
  return values;
}

/** Resolves on SIGINT, SIGTERM or `signal`: a long-running command's Ctrl-C, its listeners removed after. */
export function untilStopped(signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}

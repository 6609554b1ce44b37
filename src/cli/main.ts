import { agentCommand } from './commands/agent.ts';
import { driversCommand } from './commands/drivers.ts';
import { serveCommand } from './commands/serve.ts';
import type { CommandIo } from './output.ts';
import { ferriteVersion } from './version.ts';

type Command = (argv: readonly string[], io: CommandIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, { run: Command; summary: string }>> = {
  agent: { run: agentCommand, summary: 'Run the in-band agent of a deploy ramdisk' },
  drivers: {
    run: driversCommand,
    summary: 'List hardware types, their interfaces and implementations',
  },
  serve: { run: serveCommand, summary: 'Run the /v1 API and the conductor' },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return `Usage: ferrite <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`ferrite <command> --help\` for a command's options.\n`;
}

/** The `ferrite` command: dispatches to a sub-command and returns the exit code. */
export async function main(
  argv: readonly string[],
  io: CommandIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.out.write(`ferrite ${ferriteVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err.write(`ferrite: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err.write(`ferrite ${name}: ${message}\n`);
    return 1;
  }
}

import type { CommandIo } from './output.ts';
import { ferriteVersion } from './version.ts';

type Command = (argv: readonly string[], io: CommandIo) => Promise<number>;

/**
 * Each command is loaded when it runs: `ferrite agent` in a ramdisk (or a
 * lab of fifty) starts without loading the API, the conductor and the
 * drivers it never uses.
 */
const COMMANDS: Readonly<Record<string, { load: () => Promise<Command>; summary: string }>> = {
  agent: {
    load: async () => (await import('./commands/agent.ts')).agentCommand,
    summary: 'Run the in-band agent of a deploy ramdisk',
  },
  create: {
    load: async () => (await import('./commands/create.ts')).createCommand,
    summary: 'Enrol nodes and ports from JSON files (API client)',
  },
  demo: {
    load: async () => (await import('./commands/demo.ts')).demoCommand,
    summary: 'Ferrite and a lab of emulated servers, deployed end to end',
  },
  driver: {
    load: async () => (await import('./commands/driver.ts')).driverCommand,
    summary: "List or show a service's drivers (API client)",
  },
  drivers: {
    load: async () => (await import('./commands/drivers.ts')).driversCommand,
    summary: 'List hardware types, their interfaces and implementations',
  },
  lab: {
    load: async () => (await import('./commands/lab.ts')).labCommand,
    summary: 'A fleet of emulated servers (Redfish and IPMI BMCs)',
  },
  node: {
    load: async () => (await import('./commands/node.ts')).nodeCommand,
    summary: 'Enrol, change and provision nodes (API client)',
  },
  port: {
    load: async () => (await import('./commands/port.ts')).portCommand,
    summary: "Manage nodes' ports (API client)",
  },
  serve: {
    load: async () => (await import('./commands/serve.ts')).serveCommand,
    summary: 'Run the /v1 API and the conductor',
  },
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
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err.write(`ferrite ${name}: ${message}\n`);
    return 1;
  }
}

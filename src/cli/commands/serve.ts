import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApi } from '../../api/app.ts';
import { createLogger } from '../../common/logging.ts';
import type { LogLevel } from '../../common/logging.ts';
import { Conductor } from '../../conductor/conductor.ts';
import { openStore } from '../../db/open.ts';
import type { CommandIo } from '../output.ts';

export const SERVE_HELP = `Usage: ferrite serve [--host ADDR] [--port N] [--database URL] [--log-level LEVEL]

Runs the /v1 API and the conductor in one process.

  --host       address to listen on (FERRITE_HOST, default 127.0.0.1)
  --port       port to listen on, 0 for any free one (FERRITE_PORT, default 6385)
  --database   sqlite:///path.db, sqlite::memory: or postgres://… (FERRITE_DATABASE_URL,
               default sqlite://.ferrite/ferrite.db under the current directory)
  --log-level  debug, info, warn, error or silent (FERRITE_LOG_LEVEL, default info)
`;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * `ferrite serve`: opens the store, starts the conductor, listens, and
 * stops all of it cleanly on SIGINT or SIGTERM (or when `signal` aborts).
 */
export async function serveCommand(
  argv: readonly string[],
  io: CommandIo,
  signal?: AbortSignal,
): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      database: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    io.out.write(SERVE_HELP);
    return 0;
  }
  const env = process.env;
  const host = values.host ?? env['FERRITE_HOST'] ?? '127.0.0.1';
  const port = Number(values.port ?? env['FERRITE_PORT'] ?? '6385');
  const database =
    values.database ??
    env['FERRITE_DATABASE_URL'] ??
    `sqlite://${join(process.cwd(), '.ferrite', 'ferrite.db')}`;
  const level = (values['log-level'] ?? env['FERRITE_LOG_LEVEL'] ?? 'info') as LogLevel;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err.write(
      `ferrite serve: --port must be a port number, not "${String(values.port ?? env['FERRITE_PORT'])}"\n`,
    );
    return 2;
  }
  if (!LEVELS.includes(level)) {
    io.err.write(`ferrite serve: --log-level must be one of ${LEVELS.join(', ')}\n`);
    return 2;
  }
  const logger = createLogger(level);
  const store = await openStore(database);
  const conductor = new Conductor({ store, logger });
  await conductor.start();
  const api = await buildApi({ conductor, store });
  const address = await api.listen({ host, port });
  io.out.write(`Ferrite is listening on ${address} (database ${store.dialect})\n`);

  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  io.out.write('Ferrite is stopping\n');
  await api.close();
  await conductor.stop();
  await store.close();
  return 0;
}

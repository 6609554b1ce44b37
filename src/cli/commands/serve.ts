import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { buildApi } from '../../api/app.ts';
import { BasicAuthenticator } from '../../api/auth/basic-auth.ts';
import { HtpasswdError, loadHtpasswd } from '../../api/auth/htpasswd.ts';
import { createLogger } from '../../common/logging.ts';
import { Conductor } from '../../conductor/conductor.ts';
import { createDriverFactory } from '../../drivers/builtin.ts';
import { ConfigError } from '../../config/config-error.ts';
import { serveHelp } from '../../config/help.ts';
import { fillOwnUrls, loadServeConfig } from '../../config/serve-config.ts';
import type { MutableDriverOptions, ServeConfig } from '../../config/serve-config.ts';
import { allSettings } from '../../config/settings.ts';
import { readTlsFiles } from '../../config/tls-files.ts';
import { openStore } from '../../db/open.ts';
import { useLeanHeap } from '../lean-heap.ts';
import { untilStopped } from '../command-args.ts';
import type { CommandIo } from '../output.ts';

/** The flags: --config, --help, and one per setting that has one. */
const FLAGS = {
  config: { type: 'string' },
  help: { type: 'boolean' },
  ...Object.fromEntries(
    allSettings().flatMap(({ setting }) =>
      setting.flag === undefined ? [] : [[setting.flag, { type: 'string' } as const]],
    ),
  ),
} as const;

/** What has to be read before anything starts: settings, TLS files, users. */
interface Prepared {
  readonly config: ServeConfig;
  readonly https: { readonly cert: Buffer; readonly key: Buffer } | undefined;
  readonly users: ReadonlyMap<string, string> | undefined;
}

function prepare(argv: readonly string[]): Prepared | 'help' {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true }));
  } catch (error) {
    // An unknown flag or one without its value: a usage error, like a bad setting.
    throw new ConfigError(`${(error as Error).message}; see ferrite serve --help`);
  }
  if (values.help === true) return 'help';
  const config = loadServeConfig({ flags: values, env: process.env, cwd: process.cwd() });
  const { tls, auth } = config.api;
  return {
    config,
    https: tls === undefined ? undefined : readTlsFiles(tls),
    users: auth.strategy === 'http_basic' ? loadHtpasswd(auth.userFile) : undefined,
  };
}

/**
 * `ferrite serve`: reads its settings (flags, environment, config file,
 * defaults), opens the store, starts the conductor, listens, and stops all
 * of it cleanly on SIGINT or SIGTERM (or when `signal` aborts). Settings
 * that cannot be used stop it before anything starts, with exit code 2.
 */
export async function serveCommand(
  argv: readonly string[],
  io: CommandIo,
  signal?: AbortSignal,
): Promise<number> {
  let prepared: Prepared | 'help';
  try {
    prepared = prepare(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof HtpasswdError) {
      io.err.write(`ferrite serve: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (prepared === 'help') {
    io.out.write(serveHelp());
    return 0;
  }
  const { config, https, users } = prepared;
  useLeanHeap();
  const logger = createLogger(config.logLevel);
  const store = await openStore(config.databaseUrl);
  // Callback URLs not configured are this API's own address; with port 0 the port is known only once listening.
  const driverOptions = structuredClone(config.driverOptions) as MutableDriverOptions;
  const own = { host: config.api.host, port: config.api.port, https: https !== undefined };
  fillOwnUrls(driverOptions, config.driverOptions, own);
  const factory = createDriverFactory({ options: driverOptions });
  const conductor = new Conductor({ store, logger, settings: config.conductor, factory });
  await conductor.start();
  const api = await buildApi({
    conductor,
    store,
    bodyLimit: config.api.bodyLimit,
    ...(https ? { https } : {}),
    ...(users ? { auth: new BasicAuthenticator(users, logger) } : {}),
    httpRoot: config.httpRoot,
  });
  const address = await api.listen({ host: config.api.host, port: config.api.port });
  if (config.api.port === 0) {
    const { port } = api.server.address() as AddressInfo;
    fillOwnUrls(driverOptions, config.driverOptions, { ...own, port });
  }
  io.out.write(
    `Ferrite is listening on ${address} (database ${store.dialect}, auth ${config.api.auth.strategy})\n`,
  );

  await untilStopped(signal);
  io.out.write('Ferrite is stopping\n');
  await api.close();
  await conductor.stop();
  await factory.close();
  await store.close();
  return 0;
}

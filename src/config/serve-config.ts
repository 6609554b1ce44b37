import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import type { LogLevel } from '../common/logging.ts';
import type { JsonObject, JsonValue } from '../common/json.ts';
import type { ConductorSettings } from '../conductor/config.ts';
import { ConfigError, quote } from './config-error.ts';
import { readConfigFile } from './config-file.ts';
import type { SettingValue } from './kinds.ts';
import { allSettings } from './settings.ts';
import type { GivenSettings } from './settings.ts';

/** How the API decides who may call it. */
export type AuthConfig =
  { readonly strategy: 'noauth' } | { readonly strategy: 'http_basic'; readonly userFile: string };

/** Everything `ferrite serve` needs, resolved from flags, environment, file and defaults. */
export interface ServeConfig {
  /** The config file read, if any. */
  readonly file: string | undefined;
  readonly api: {
    readonly host: string;
    readonly port: number;
    /** Certificate and key files: present means HTTPS. */
    readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
    readonly auth: AuthConfig;
    readonly bodyLimit: number;
  };
  readonly databaseUrl: string;
  readonly logLevel: LogLevel;
  /** Only what was given; the conductor fills in its own defaults. */
  readonly conductor: ConductorSettings;
  /**
   * Options of the drivers by family (`ipmi`), only what was given; `pxe`
   * always holds `httpRoot`, the directory the API serves at /boot.
   */
  readonly driverOptions: Readonly<Record<string, JsonObject>>;
  /** The conductor's HTTP boot root (`[pxe] http_root`), served by the API at /boot. */
  readonly httpRoot: string;
}

/** Where settings come from besides the file. */
export interface ConfigSources {
  /** Flag values by flag name without the dashes, as `parseArgs` gives them. */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths given by flags or the environment are relative to it. */
  readonly cwd: string;
}

export const CONFIG_ENV = 'FERRITE_CONFIG';

/**
 * Resolves `ferrite serve`'s settings. Command-line flags win over
 * environment variables, which win over the config file (`--config` or
 * FERRITE_CONFIG), which wins over the defaults. An empty environment
 * variable counts as unset.
 */
export function loadServeConfig(sources: ConfigSources): ServeConfig {
  const given: GivenSettings = {
    api: {},
    database: {},
    log: {},
    conductor: {},
    ipmi: {},
    redfish: {},
    pxe: {},
    agent: {},
  };
  const put = (section: keyof GivenSettings, key: string, value: SettingValue): void => {
    (given[section] as Record<string, SettingValue>)[key] = value;
  };

  const fileFlag = sources.flags['config'];
  const fileName = typeof fileFlag === 'string' ? fileFlag : nonEmpty(sources.env[CONFIG_ENV]);
  const file = fileName === undefined ? undefined : resolve(sources.cwd, fileName);
  if (file !== undefined) {
    for (const { section, key, value } of readConfigFile(file)) put(section, key, value);
  }

  for (const { section, key, setting } of allSettings()) {
    const fromEnv = nonEmpty(sources.env[setting.env]);
    const fromFlag = setting.flag === undefined ? undefined : sources.flags[setting.flag];
    const [text, where] =
      typeof fromFlag === 'string'
        ? [fromFlag, `--${setting.flag ?? ''}`]
        : fromEnv !== undefined
          ? [fromEnv, setting.env]
          : [undefined, ''];
    if (text === undefined) continue;
    const value = setting.kind.fromText(text);
    if (value === undefined) {
      throw new ConfigError(
        `${where} must be ${setting.kind.expected}, not ${quote(text, setting.secret)}`,
      );
    }
    put(section, key, setting.path === true ? resolve(sources.cwd, String(value)) : value);
  }
  return toServeConfig(given, file, sources.cwd);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function toServeConfig(given: GivenSettings, file: string | undefined, cwd: string): ServeConfig {
  const { api, database, log, conductor } = given;
  const inFile = file === undefined ? '' : ` (config file ${file})`;

  if ((api.tls_cert_file === undefined) !== (api.tls_key_file === undefined)) {
    const [set, missing] =
      api.tls_cert_file === undefined
        ? ['tls_key_file', 'tls_cert_file']
        : ['tls_cert_file', 'tls_key_file'];
    throw new ConfigError(
      `[api] ${set} is set but ${missing} is not: HTTPS needs both the certificate and its key${inFile}`,
    );
  }
  const strategy = api.auth_strategy ?? 'noauth';
  if (strategy === 'http_basic' && api.http_basic_auth_user_file === undefined) {
    throw new ConfigError(
      `[api] auth_strategy is http_basic but http_basic_auth_user_file is not set${inFile}`,
    );
  }

  const httpRoot = given.pxe.http_root ?? join(cwd, '.ferrite', 'httpboot');
  return {
    file,
    api: {
      host: api.host ?? '127.0.0.1',
      port: api.port ?? 6385,
      tls:
        api.tls_cert_file !== undefined && api.tls_key_file !== undefined
          ? { certFile: api.tls_cert_file, keyFile: api.tls_key_file }
          : undefined,
      auth:
        strategy === 'http_basic' && api.http_basic_auth_user_file !== undefined
          ? { strategy, userFile: api.http_basic_auth_user_file }
          : { strategy: 'noauth' },
      bodyLimit: api.body_limit ?? 1024 * 1024,
    },
    databaseUrl: database.url ?? `sqlite://${join(cwd, '.ferrite', 'ferrite.db')}`,
    logLevel: log.level ?? 'info',
    conductor: conductorSettings(conductor),
    driverOptions: {
      ipmi: ipmiOptionsOf(given.ipmi),
      redfish: redfishOptionsOf(given.redfish),
      pxe: pxeOptionsOf(given.pxe, httpRoot),
      agent: agentOptionsOf(given.agent),
    },
    httpRoot,
  };
}

/** `[pxe]` as the boot interfaces read their options (checked again there). */
function pxeOptionsOf(c: GivenSettings['pxe'], httpRoot: string): JsonObject {
  return given({
    httpRoot,
    httpUrl: c.http_url,
    deployKernel: c.deploy_kernel,
    deployRamdisk: c.deploy_ramdisk,
    kernelAppendParams: c.kernel_append_params,
    isolinuxBin: c.isolinux_bin,
    espImage: c.esp_image,
  });
}

/** `[agent]` as the agent interfaces read their options (checked again there). */
function agentOptionsOf(c: GivenSettings['agent']): JsonObject {
  return given({
    apiUrl: c.api_url,
    commandTimeoutMs: ms(c.command_timeout),
    commandRetries: c.command_retries,
    eraseDevicesPriority: c.erase_devices_priority,
    eraseDevicesMetadataPriority: c.erase_devices_metadata_priority,
    shredRandomOverwriteIterations: c.shred_random_overwrite_iterations,
    shredFinalOverwriteWithZeros: c.shred_final_overwrite_with_zeros,
    allowMd5Checksum: c.allow_md5_checksum,
    fileUrlAllowedPaths:
      c.file_url_allowed_paths === undefined ? undefined : c.file_url_allowed_paths.split(','),
  });
}

/**
 * The host nodes reach an API listening on `host` at: the host itself,
 * or for a wildcard bind (0.0.0.0, ::) the machine's first external IPv4
 * address (127.0.0.1 when it has none), since 0.0.0.0 is no address a
 * ramdisk could call. IPv6 literals are bracketed for URLs.
 */
export function reachableHost(
  host: string,
  interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces(),
): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') {
    const external = Object.values(interfaces)
      .flat()
      .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal);
    return external?.address ?? '127.0.0.1';
  }
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** Driver options that `ferrite serve` may still fill in: a copy of ServeConfig's. */
export type MutableDriverOptions = Record<string, Record<string, JsonValue>>;

/** Where the API listens, for the URLs nodes call it back at. */
export interface OwnAddress {
  readonly host: string;
  readonly port: number;
  readonly https: boolean;
}

/**
 * Sets `agent.apiUrl` and `pxe.httpUrl` in `options` from the API's own
 * address where the settings (`configured`) did not give them. Called
 * before the factory is built, and again once the API listens when it was
 * asked for port 0: the interfaces read their options at each use, so
 * filling in the object the factory holds takes effect.
 */
export function fillOwnUrls(
  options: MutableDriverOptions,
  configured: Readonly<Record<string, JsonObject>>,
  own: OwnAddress,
): void {
  const base = `${own.https ? 'https' : 'http'}://${reachableHost(own.host)}:${String(own.port)}`;
  if (configured['agent']?.['apiUrl'] === undefined) (options['agent'] ??= {})['apiUrl'] = base;
  if (configured['pxe']?.['httpUrl'] === undefined)
    (options['pxe'] ??= {})['httpUrl'] = `${base}/boot`;
}

/** `[redfish]` as the redfish interfaces read their options. */
function redfishOptionsOf(c: GivenSettings['redfish']): JsonObject {
  return given({
    requestTimeoutMs: ms(c.request_timeout),
    retries: c.retries,
    powerStateChangeTimeout: c.power_state_change_timeout,
  });
}

/** `[ipmi]` as the ipmi interfaces read their options (checked again there). */
function ipmiOptionsOf(c: GivenSettings['ipmi']): JsonObject {
  return given({
    requestTimeoutMs: ms(c.request_timeout),
    retries: c.retries,
    maxInFlightPerBmc: c.max_in_flight_per_bmc,
    powerStateChangeTimeout: c.power_state_change_timeout,
    softPowerOffTimeout: c.soft_power_off_timeout,
    consoleHost: c.console_address,
    consolePortRange: c.console_port_range,
  });
}

const ms = (seconds: number | undefined): number | undefined =>
  seconds === undefined ? undefined : Math.round(seconds * 1000);

/** Drops the settings that were not given, so the conductor's defaults stay in force. */
function given<T extends object>(values: T): Partial<T> {
  const isEmpty = (value: unknown): boolean =>
    value === undefined ||
    (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => !isEmpty(value)),
  ) as Partial<T>;
}

function conductorSettings(c: GivenSettings['conductor']): ConductorSettings {
  return given({
    host: c.host,
    conductorGroup: c.conductor_group,
    automatedClean: c.automated_clean,
    workers: c.workers_pool_size,
    maxConcurrentDeploy: c.max_concurrent_deploy,
    maxConcurrentClean: c.max_concurrent_clean,
    allowDeletingAvailableNodes: c.allow_deleting_available_nodes,
    heartbeatIntervalMs: ms(c.heartbeat_interval),
    heartbeatTimeoutMs: ms(c.heartbeat_timeout),
    gracefulShutdownMs: ms(c.graceful_shutdown_timeout),
    lockRetry: given({
      attempts: c.node_locked_retry_attempts,
      intervalMs: ms(c.node_locked_retry_interval),
    }),
    powerSync: given({
      intervalMs: ms(c.sync_power_state_interval),
      workers: c.sync_power_state_workers,
      maxRetries: c.power_state_sync_max_retries,
      force: c.force_power_state_during_sync,
      recoveryIntervalMs: ms(c.power_failure_recovery_interval),
    }),
    timeouts: given({
      checkIntervalMs: ms(c.check_provision_state_interval),
      deployCallbackMs: ms(c.deploy_callback_timeout),
      cleanCallbackMs: ms(c.clean_callback_timeout),
      inspectWaitMs: ms(c.inspect_wait_timeout),
      rescueCallbackMs: ms(c.rescue_callback_timeout),
      serviceWaitMs: ms(c.service_callback_timeout),
    }),
  });
}

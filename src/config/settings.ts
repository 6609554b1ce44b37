import { DEFAULT_CONDUCTOR_CONFIG } from '../conductor/config.ts';
import { DEFAULT_AGENT_OPTIONS } from '../drivers/modules/agent/options.ts';
import { DEFAULT_IPMI_OPTIONS } from '../drivers/modules/ipmi/options.ts';
import { DEFAULT_REDFISH_OPTIONS } from '../drivers/modules/redfish/options.ts';
import { boolean, integer, nonEmptyText, oneOf, portRange, seconds, text } from './kinds.ts';
import type { Kind, SettingValue } from './kinds.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export const AUTH_STRATEGIES = ['noauth', 'http_basic'] as const;

/** One setting of `ferrite serve`: its rule, where else it may come from, and its help. */
export interface Setting<T extends SettingValue> {
  readonly kind: Kind<T>;
  /** The environment variable that sets it. */
  readonly env: string;
  /** The command-line flag that sets it, without the dashes. */
  readonly flag?: string;
  /** What the flag's value is called in --help. */
  readonly metavar?: string;
  readonly help: string;
  /** The default as --help shows it. */
  readonly shown?: string;
  /** A file path: relative paths in the config file are relative to that file. */
  readonly path?: boolean;
  /** May hold a password: never echoed in error messages. */
  readonly secret?: boolean;
}

function setting<T extends SettingValue>(
  kind: Kind<T>,
  rest: Omit<Setting<T>, 'kind'>,
): Setting<T> {
  return { kind, ...rest };
}

const port: Kind<number> = { ...integer(0, 65535), expected: 'a port number (0 to 65535)' };
const s = (ms: number): string => String(ms / 1000);
const d = DEFAULT_CONDUCTOR_CONFIG;

/** Conductor options take Ironic's `[conductor]` names, durations in seconds. */
function conductor<T extends SettingValue>(
  key: string,
  kind: Kind<T>,
  help: string,
  shown: string,
): Setting<T> {
  const name = key.replace(/^conductor_/, '').toUpperCase();
  return setting(kind, { env: `FERRITE_CONDUCTOR_${name}`, help, shown });
}

const i = DEFAULT_IPMI_OPTIONS;
const r = DEFAULT_REDFISH_OPTIONS;

/** Settings of the redfish interfaces (the driver factory's `options.redfish`). */
function redfish<T extends SettingValue>(
  key: string,
  kind: Kind<T>,
  help: string,
  shown: string,
): Setting<T> {
  return setting(kind, { env: `FERRITE_REDFISH_${key.toUpperCase()}`, help, shown });
}

/** Settings of the ipmi interfaces (the driver factory's `options.ipmi`). */
function ipmi<T extends SettingValue>(
  key: string,
  kind: Kind<T>,
  help: string,
  shown: string,
): Setting<T> {
  return setting(kind, { env: `FERRITE_IPMI_${key.toUpperCase()}`, help, shown });
}

const a = DEFAULT_AGENT_OPTIONS;

/** Settings of the boot interfaces serving files over HTTP (the driver factory's `options.pxe`). */
function pxe<T extends SettingValue>(
  key: string,
  kind: Kind<T>,
  help: string,
  rest: Omit<Setting<T>, 'kind' | 'env' | 'help'> = {},
): Setting<T> {
  return setting(kind, { env: `FERRITE_PXE_${key.toUpperCase()}`, help, ...rest });
}

/** Settings of the agent-based interfaces (the driver factory's `options.agent`). */
function agent<T extends SettingValue>(
  key: string,
  kind: Kind<T>,
  help: string,
  shown: string,
): Setting<T> {
  return setting(kind, { env: `FERRITE_AGENT_${key.toUpperCase()}`, help, shown });
}

/** An http(s) URL. */
const httpUrl: Kind<string> = {
  expected: 'an http(s) URL',
  fromToml: (value) => (typeof value === 'string' ? httpUrl.fromText(value) : undefined),
  fromText: (value) => (/^https?:\/\/\S+$/.test(value) ? value.replace(/\/+$/, '') : undefined),
};

/** Where an image comes from: an http(s) URL, a file:// URL or an absolute path. */
const imageSource: Kind<string> = {
  expected: 'an http(s) URL, a file:// URL or an absolute path',
  fromToml: (value) => (typeof value === 'string' ? imageSource.fromText(value) : undefined),
  fromText: (value) =>
    /^(https?:\/\/|file:\/\/\/)\S+$/.test(value) || /^\/\S*$/.test(value) ? value : undefined,
};

/**
 * A list of absolute paths: a TOML array, or comma-separated text (as
 * Ironic's list options, and what an environment variable can hold). Kept
 * as comma-separated text; serve-config splits it.
 */
const absolutePaths: Kind<string> = {
  expected: 'a list of absolute paths (comma-separated in the environment)',
  fromToml: (value) =>
    Array.isArray(value) && value.every((p) => typeof p === 'string' && !p.includes(','))
      ? absolutePaths.fromText(value.join(','))
      : undefined,
  fromText: (value) => {
    const paths = value
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    return paths.every((p) => p.startsWith('/')) ? paths.join(',') : undefined;
  },
};

/**
 * Every setting `ferrite serve` reads, by config file section and key.
 * The environment variables and flags are derived from this table, and so
 * is the --help text.
 */
export const SETTINGS = {
  api: {
    host: setting(nonEmptyText, {
      env: 'FERRITE_HOST',
      flag: 'host',
      metavar: 'ADDR',
      help: 'address to listen on',
      shown: '127.0.0.1',
    }),
    port: setting(port, {
      env: 'FERRITE_PORT',
      flag: 'port',
      metavar: 'N',
      help: 'port to listen on, 0 for any free one',
      shown: '6385',
    }),
    tls_cert_file: setting(nonEmptyText, {
      env: 'FERRITE_TLS_CERT_FILE',
      flag: 'tls-cert-file',
      metavar: 'FILE',
      help: 'PEM certificate (chain): serve HTTPS; needs tls_key_file',
      path: true,
    }),
    tls_key_file: setting(nonEmptyText, {
      env: 'FERRITE_TLS_KEY_FILE',
      flag: 'tls-key-file',
      metavar: 'FILE',
      help: 'PEM private key of the certificate',
      path: true,
    }),
    auth_strategy: setting(oneOf(AUTH_STRATEGIES), {
      env: 'FERRITE_AUTH_STRATEGY',
      flag: 'auth-strategy',
      metavar: 'STRATEGY',
      help: 'noauth, or http_basic (needs http_basic_auth_user_file)',
      shown: 'noauth',
    }),
    http_basic_auth_user_file: setting(nonEmptyText, {
      env: 'FERRITE_HTTP_BASIC_AUTH_USER_FILE',
      flag: 'http-basic-auth-user-file',
      metavar: 'FILE',
      help: 'htpasswd file of users and bcrypt password hashes',
      path: true,
    }),
    body_limit: setting(integer(1), {
      env: 'FERRITE_BODY_LIMIT',
      flag: 'body-limit',
      metavar: 'BYTES',
      help: 'largest request body accepted, in bytes',
      shown: String(1024 * 1024),
    }),
  },
  database: {
    url: setting(nonEmptyText, {
      env: 'FERRITE_DATABASE_URL',
      flag: 'database',
      metavar: 'URL',
      help: 'sqlite:///path.db, sqlite::memory: or postgres://…',
      shown: 'sqlite://.ferrite/ferrite.db under the current directory',
      secret: true,
    }),
  },
  log: {
    level: setting(oneOf(LOG_LEVELS), {
      env: 'FERRITE_LOG_LEVEL',
      flag: 'log-level',
      metavar: 'LEVEL',
      help: LOG_LEVELS.join(', '),
      shown: 'info',
    }),
  },
  conductor: {
    host: conductor(
      'host',
      nonEmptyText,
      'name this conductor registers and locks nodes under',
      'the host name',
    ),
    conductor_group: conductor(
      'conductor_group',
      text,
      'the group of nodes this conductor manages',
      '""',
    ),
    automated_clean: conductor(
      'automated_clean',
      boolean,
      'clean nodes before they become available',
      String(d.automatedClean),
    ),
    workers_pool_size: conductor(
      'workers_pool_size',
      integer(1),
      'operations running in the background at once',
      String(d.workers),
    ),
    max_concurrent_deploy: conductor(
      'max_concurrent_deploy',
      integer(1),
      'nodes deploying at once',
      String(d.maxConcurrentDeploy),
    ),
    max_concurrent_clean: conductor(
      'max_concurrent_clean',
      integer(1),
      'nodes cleaning at once',
      String(d.maxConcurrentClean),
    ),
    allow_deleting_available_nodes: conductor(
      'allow_deleting_available_nodes',
      boolean,
      'whether available nodes may be deleted',
      String(d.allowDeletingAvailableNodes),
    ),
    node_locked_retry_attempts: conductor(
      'node_locked_retry_attempts',
      integer(1),
      'tries to lock a locked node',
      String(d.lockRetry.attempts),
    ),
    node_locked_retry_interval: conductor(
      'node_locked_retry_interval',
      seconds(0),
      'seconds between those tries',
      s(d.lockRetry.intervalMs),
    ),
    sync_power_state_interval: conductor(
      'sync_power_state_interval',
      seconds(0),
      'seconds between power state syncs, 0 disables',
      s(d.powerSync.intervalMs),
    ),
    sync_power_state_workers: conductor(
      'sync_power_state_workers',
      integer(1),
      'nodes read at once during a power sync',
      String(d.powerSync.workers),
    ),
    power_state_sync_max_retries: conductor(
      'power_state_sync_max_retries',
      integer(0),
      're-reads before a power mismatch is acted on',
      String(d.powerSync.maxRetries),
    ),
    force_power_state_during_sync: conductor(
      'force_power_state_during_sync',
      boolean,
      'force the recorded power state onto the hardware',
      String(d.powerSync.force),
    ),
    power_failure_recovery_interval: conductor(
      'power_failure_recovery_interval',
      seconds(0),
      'seconds between retries of nodes with a power failure, 0 disables',
      s(d.powerSync.recoveryIntervalMs),
    ),
    check_provision_state_interval: conductor(
      'check_provision_state_interval',
      seconds(0),
      'seconds between timeout checks, 0 disables',
      s(d.timeouts.checkIntervalMs),
    ),
    deploy_callback_timeout: conductor(
      'deploy_callback_timeout',
      seconds(1),
      'seconds a deploy ramdisk may stay silent',
      s(d.timeouts.deployCallbackMs),
    ),
    clean_callback_timeout: conductor(
      'clean_callback_timeout',
      seconds(1),
      'seconds a cleaning ramdisk may stay silent',
      s(d.timeouts.cleanCallbackMs),
    ),
    inspect_wait_timeout: conductor(
      'inspect_wait_timeout',
      seconds(1),
      'seconds an inspection may take',
      s(d.timeouts.inspectWaitMs),
    ),
    rescue_callback_timeout: conductor(
      'rescue_callback_timeout',
      seconds(1),
      'seconds a rescue ramdisk may stay silent',
      s(d.timeouts.rescueCallbackMs),
    ),
    service_callback_timeout: conductor(
      'service_callback_timeout',
      seconds(1),
      'seconds a servicing ramdisk may stay silent',
      s(d.timeouts.serviceWaitMs),
    ),
    heartbeat_interval: conductor(
      'heartbeat_interval',
      seconds(0),
      'seconds between conductor heartbeats, 0 disables',
      s(d.heartbeatIntervalMs),
    ),
    heartbeat_timeout: conductor(
      'heartbeat_timeout',
      seconds(1),
      'seconds of silence after which a conductor is dead',
      s(d.heartbeatTimeoutMs),
    ),
    graceful_shutdown_timeout: conductor(
      'graceful_shutdown_timeout',
      seconds(0),
      'seconds stopping waits for running operations',
      s(d.gracefulShutdownMs),
    ),
  },
  ipmi: {
    request_timeout: ipmi(
      'request_timeout',
      seconds(0.001),
      'seconds to wait for each answer of a BMC',
      s(i.requestTimeoutMs),
    ),
    retries: ipmi(
      'retries',
      integer(0),
      'times a request is sent again over lossy UDP',
      String(i.retries),
    ),
    max_in_flight_per_bmc: ipmi(
      'max_in_flight_per_bmc',
      integer(1, 32),
      'requests in flight per BMC',
      String(i.maxInFlightPerBmc),
    ),
    power_state_change_timeout: ipmi(
      'power_state_change_timeout',
      integer(1),
      'seconds a power change may take',
      String(i.powerStateChangeTimeout),
    ),
    soft_power_off_timeout: ipmi(
      'soft_power_off_timeout',
      integer(1),
      'seconds a soft power off may take',
      String(i.softPowerOffTimeout),
    ),
    console_address: ipmi(
      'console_address',
      nonEmptyText,
      'address the serial consoles listen on',
      i.consoleHost,
    ),
    console_port_range: ipmi(
      'console_port_range',
      portRange,
      'ports the serial consoles take, MIN-MAX',
      'any free port',
    ),
  },
  redfish: {
    request_timeout: redfish(
      'request_timeout',
      seconds(0.001),
      'seconds for each exchange with a BMC',
      s(r.requestTimeoutMs),
    ),
    retries: redfish(
      'retries',
      integer(0),
      'retries on connection errors and 5xx answers',
      String(r.retries),
    ),
    power_state_change_timeout: redfish(
      'power_state_change_timeout',
      integer(1),
      'seconds a power change may take',
      String(r.powerStateChangeTimeout),
    ),
  },
  pxe: {
    http_root: pxe(
      'http_root',
      nonEmptyText,
      'directory served at http_url: boot configs, kernels, ramdisks, ISOs',
      {
        shown: '.ferrite/httpboot under the current directory',
        path: true,
      },
    ),
    http_url: pxe('http_url', httpUrl, 'URL at which nodes and BMCs reach http_root', {
      shown: 'the API’s own address + /boot',
    }),
    deploy_kernel: pxe(
      'deploy_kernel',
      imageSource,
      'deploy ramdisk kernel of nodes whose driver_info gives none (URL or path)',
    ),
    deploy_ramdisk: pxe(
      'deploy_ramdisk',
      imageSource,
      'deploy ramdisk initramfs of nodes whose driver_info gives none (URL or path)',
    ),
    kernel_append_params: pxe(
      'kernel_append_params',
      text,
      'kernel command line parameters added to every ramdisk boot',
      { shown: '""' },
    ),
    isolinux_bin: pxe(
      'isolinux_bin',
      nonEmptyText,
      'ISOLINUX isolinux.bin making built ramdisk ISOs boot BIOS machines',
      { shown: 'none: no BIOS boot', path: true },
    ),
    esp_image: pxe(
      'esp_image',
      nonEmptyText,
      'EFI System Partition image (with GRUB) making built ramdisk ISOs boot UEFI machines',
      { shown: 'none: no UEFI boot', path: true },
    ),
  },
  agent: {
    api_url: agent(
      'api_url',
      httpUrl,
      'URL of this API as the ramdisk reaches it (ipa-api-url)',
      'the API’s own address',
    ),
    command_timeout: agent(
      'command_timeout',
      seconds(0.001),
      'seconds for each exchange with an agent',
      s(a.commandTimeoutMs),
    ),
    command_retries: agent(
      'command_retries',
      integer(0),
      'retries of an agent command on connection errors',
      String(a.commandRetries),
    ),
    erase_devices_priority: agent(
      'erase_devices_priority',
      integer(0),
      'priority of the erase_devices clean step, 0 disables it',
      String(a.eraseDevicesPriority),
    ),
    erase_devices_metadata_priority: agent(
      'erase_devices_metadata_priority',
      integer(0),
      'priority of the erase_devices_metadata clean step',
      String(a.eraseDevicesMetadataPriority),
    ),
    shred_random_overwrite_iterations: agent(
      'shred_random_overwrite_iterations',
      integer(0),
      'random passes erase_devices makes over each disk',
      String(a.shredRandomOverwriteIterations),
    ),
    shred_final_overwrite_with_zeros: agent(
      'shred_final_overwrite_with_zeros',
      boolean,
      'whether erase_devices ends with a pass of zeros',
      String(a.shredFinalOverwriteWithZeros),
    ),
    allow_md5_checksum: agent(
      'allow_md5_checksum',
      boolean,
      'whether images may be checked with MD5',
      String(a.allowMd5Checksum),
    ),
    file_url_allowed_paths: agent(
      'file_url_allowed_paths',
      absolutePaths,
      'directories under which file:// image sources are allowed',
      'none',
    ),
  },
} as const;

export type Sections = typeof SETTINGS;
export type SectionName = keyof Sections;

type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** The settings that were given, section by section (absent ones take their defaults). */
export type GivenSettings = {
  -readonly [S in SectionName]: { -readonly [K in keyof Sections[S]]?: ValueOf<Sections[S][K]> };
};

/** Every setting with its section and key, in table order. */
export function allSettings(): {
  readonly section: SectionName;
  readonly key: string;
  readonly setting: Setting<SettingValue>;
}[] {
  return (Object.keys(SETTINGS) as SectionName[]).flatMap((section) =>
    Object.entries(SETTINGS[section]).map(([key, setting]) => ({
      section,
      key,
      setting: setting,
    })),
  );
}

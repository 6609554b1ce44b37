import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { conductorConfig, DEFAULT_CONDUCTOR_CONFIG } from '../conductor/config.ts';
import { ConfigError } from './config-error.ts';
import { serveHelp } from './help.ts';
import { fillOwnUrls, loadServeConfig, reachableHost } from './serve-config.ts';
import type { ConfigSources, MutableDriverOptions } from './serve-config.ts';
import { allSettings } from './settings.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferrite-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function tomlFile(text: string): string {
  files += 1;
  const path = join(dir, `ferrite-${files}.toml`);
  writeFileSync(path, text);
  return path;
}

function load(sources: Partial<ConfigSources>): ReturnType<typeof loadServeConfig> {
  return loadServeConfig({ flags: {}, env: {}, cwd: '/srv/ferrite', ...sources });
}

function refusal(sources: Partial<ConfigSources>): string {
  try {
    load(sources);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('the settings were accepted');
}

describe('ferrite serve settings', () => {
  it('has defaults for everything', () => {
    const config = load({});
    assert.deepEqual(config, {
      file: undefined,
      api: {
        host: '127.0.0.1',
        port: 6385,
        tls: undefined,
        auth: { strategy: 'noauth' },
        bodyLimit: 1024 * 1024,
      },
      databaseUrl: 'sqlite:///srv/ferrite/.ferrite/ferrite.db',
      logLevel: 'info',
      conductor: {},
      // The ipmi interfaces keep their own defaults; the HTTP root is always given.
      driverOptions: {
        ipmi: {},
        redfish: {},
        pxe: { httpRoot: '/srv/ferrite/.ferrite/httpboot' },
        agent: {},
      },
      httpRoot: '/srv/ferrite/.ferrite/httpboot',
    });
    assert.deepEqual(conductorConfig(config.conductor), DEFAULT_CONDUCTOR_CONFIG);
  });

  it('reads every section of a TOML file, durations in seconds', () => {
    const file = tomlFile(`
[api]
host = "0.0.0.0"
port = 6443
tls_cert_file = "tls/cert.pem"
tls_key_file = "/etc/ferrite/key.pem"
auth_strategy = "http_basic"
http_basic_auth_user_file = "htpasswd"
body_limit = 2048

[database]
url = "postgres://ferrite@db/ferrite"

[log]
level = "warn"

[conductor]
host = "conductor-1"
conductor_group = "rack-a"
automated_clean = false
workers_pool_size = 20
max_concurrent_deploy = 10
max_concurrent_clean = 5
sync_power_state_interval = 0
deploy_callback_timeout = 600
node_locked_retry_interval = 0.5
force_power_state_during_sync = true
`);
    const config = load({ flags: { config: file } });
    assert.equal(config.file, file);
    assert.deepEqual(config.api, {
      host: '0.0.0.0',
      port: 6443,
      // Relative paths in the file are relative to the file.
      tls: { certFile: join(dir, 'tls/cert.pem'), keyFile: '/etc/ferrite/key.pem' },
      auth: { strategy: 'http_basic', userFile: join(dir, 'htpasswd') },
      bodyLimit: 2048,
    });
    assert.equal(config.databaseUrl, 'postgres://ferrite@db/ferrite');
    assert.equal(config.logLevel, 'warn');
    const conductor = conductorConfig(config.conductor);
    assert.equal(conductor.host, 'conductor-1');
    assert.equal(conductor.conductorGroup, 'rack-a');
    assert.equal(conductor.automatedClean, false);
    assert.equal(conductor.workers, 20);
    assert.equal(conductor.maxConcurrentDeploy, 10);
    assert.equal(conductor.maxConcurrentClean, 5);
    assert.equal(conductor.powerSync.intervalMs, 0);
    assert.equal(conductor.powerSync.force, true);
    assert.equal(conductor.timeouts.deployCallbackMs, 600_000);
    assert.deepEqual(conductor.lockRetry, { attempts: 3, intervalMs: 500 });
    // What the file does not mention keeps the conductor's defaults.
    assert.equal(
      conductor.timeouts.cleanCallbackMs,
      DEFAULT_CONDUCTOR_CONFIG.timeouts.cleanCallbackMs,
    );
    assert.equal(conductor.powerSync.workers, DEFAULT_CONDUCTOR_CONFIG.powerSync.workers);
  });

  it('reads [ipmi] and [redfish] as the drivers take their options, from the file and the environment', () => {
    const file = tomlFile(`
[ipmi]
request_timeout = 0.25
retries = 1
console_address = "0.0.0.0"
console_port_range = "10000-10100"
`);
    assert.deepEqual(load({ flags: { config: file } }).driverOptions, {
      ipmi: {
        requestTimeoutMs: 250,
        retries: 1,
        consoleHost: '0.0.0.0',
        consolePortRange: '10000-10100',
      },
      redfish: {},
      pxe: { httpRoot: '/srv/ferrite/.ferrite/httpboot' },
      agent: {},
    });
    const fromEnv = load({
      env: {
        FERRITE_IPMI_POWER_STATE_CHANGE_TIMEOUT: '30',
        FERRITE_REDFISH_REQUEST_TIMEOUT: '5',
      },
    });
    assert.deepEqual(fromEnv.driverOptions, {
      ipmi: { powerStateChangeTimeout: 30 },
      redfish: { requestTimeoutMs: 5000 },
      pxe: { httpRoot: '/srv/ferrite/.ferrite/httpboot' },
      agent: {},
    });
  });

  it('reads [pxe] and [agent] as the drivers take their options, from the file and the environment', () => {
    const file = tomlFile(`
[pxe]
http_root = "boot"
http_url = "http://10.0.0.2:8080/boot/"
deploy_kernel = "http://images.example.org/ipa.kernel"
deploy_ramdisk = "file:///srv/images/ipa.initramfs"
kernel_append_params = "console=ttyS0,115200n8"
isolinux_bin = "/usr/lib/ISOLINUX/isolinux.bin"
esp_image = "esp.img"

[agent]
api_url = "https://ferrite.example.org:6385"
command_timeout = 30
command_retries = 5
erase_devices_priority = 10
erase_devices_metadata_priority = 0
shred_random_overwrite_iterations = 2
shred_final_overwrite_with_zeros = false
allow_md5_checksum = true
file_url_allowed_paths = ["/srv/images", "/var/lib/images"]
`);
    const config = load({ flags: { config: file } });
    // A relative http_root in the file is relative to the file; a URL loses its trailing slash.
    assert.equal(config.httpRoot, join(dir, 'boot'));
    assert.deepEqual(config.driverOptions['pxe'], {
      httpRoot: join(dir, 'boot'),
      httpUrl: 'http://10.0.0.2:8080/boot',
      deployKernel: 'http://images.example.org/ipa.kernel',
      deployRamdisk: 'file:///srv/images/ipa.initramfs',
      kernelAppendParams: 'console=ttyS0,115200n8',
      isolinuxBin: '/usr/lib/ISOLINUX/isolinux.bin',
      espImage: join(dir, 'esp.img'),
    });
    assert.deepEqual(config.driverOptions['agent'], {
      apiUrl: 'https://ferrite.example.org:6385',
      commandTimeoutMs: 30_000,
      commandRetries: 5,
      eraseDevicesPriority: 10,
      eraseDevicesMetadataPriority: 0,
      shredRandomOverwriteIterations: 2,
      shredFinalOverwriteWithZeros: false,
      allowMd5Checksum: true,
      fileUrlAllowedPaths: ['/srv/images', '/var/lib/images'],
    });

    const fromEnv = load({
      env: {
        FERRITE_PXE_HTTP_ROOT: 'var/boot',
        FERRITE_PXE_DEPLOY_KERNEL: '/srv/images/ipa.kernel',
        FERRITE_AGENT_COMMAND_TIMEOUT: '2.5',
        FERRITE_AGENT_ALLOW_MD5_CHECKSUM: 'yes',
        FERRITE_AGENT_FILE_URL_ALLOWED_PATHS: '/srv/a, /srv/b',
      },
    });
    assert.equal(fromEnv.httpRoot, '/srv/ferrite/var/boot');
    assert.deepEqual(fromEnv.driverOptions['pxe'], {
      httpRoot: '/srv/ferrite/var/boot',
      deployKernel: '/srv/images/ipa.kernel',
    });
    assert.deepEqual(fromEnv.driverOptions['agent'], {
      commandTimeoutMs: 2500,
      allowMd5Checksum: true,
      fileUrlAllowedPaths: ['/srv/a', '/srv/b'],
    });
  });

  it('refuses [pxe] and [agent] values that are no URL, path or list of absolute paths', () => {
    assert.match(
      refusal({ env: { FERRITE_PXE_HTTP_URL: 'ftp://x/boot' } }),
      /FERRITE_PXE_HTTP_URL must be an http\(s\) URL/,
    );
    assert.match(
      refusal({ env: { FERRITE_PXE_DEPLOY_RAMDISK: 'ipa.initramfs' } }),
      /FERRITE_PXE_DEPLOY_RAMDISK must be an http\(s\) URL, a file:\/\/ URL or an absolute path/,
    );
    assert.match(
      refusal({ env: { FERRITE_AGENT_FILE_URL_ALLOWED_PATHS: '/srv/a,relative' } }),
      /FERRITE_AGENT_FILE_URL_ALLOWED_PATHS must be a list of absolute paths/,
    );
    // In the file, a list is a TOML array.
    const file = tomlFile(`
[agent]
file_url_allowed_paths = "/srv/images"
`);
    assert.match(
      refusal({ flags: { config: file } }),
      /\[agent\] file_url_allowed_paths must be a list of absolute paths/,
    );
  });

  it('fills in the callback URLs from the API’s own address unless they are given', () => {
    const options: MutableDriverOptions = { pxe: { httpRoot: '/r' }, agent: {} };
    fillOwnUrls(
      options,
      { pxe: { httpRoot: '/r' }, agent: {} },
      { host: '127.0.0.1', port: 6385, https: false },
    );
    assert.deepEqual(options, {
      pxe: { httpRoot: '/r', httpUrl: 'http://127.0.0.1:6385/boot' },
      agent: { apiUrl: 'http://127.0.0.1:6385' },
    });
    // Given ones stay; a port learnt later replaces the filled-in ones.
    const configured = { pxe: { httpUrl: 'http://boot.example.org' }, agent: {} };
    const later: MutableDriverOptions = structuredClone(configured);
    fillOwnUrls(later, configured, { host: '::1', port: 0, https: true });
    fillOwnUrls(later, configured, { host: '::1', port: 41000, https: true });
    assert.deepEqual(later, {
      pxe: { httpUrl: 'http://boot.example.org' },
      agent: { apiUrl: 'https://[::1]:41000' },
    });
  });

  it('names an address nodes can reach for a wildcard bind, keeping others as they are', () => {
    const nics = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [
        { address: 'fe80::1', family: 'IPv6', internal: false },
        { address: '192.0.2.7', family: 'IPv4', internal: false },
      ],
    } as unknown as Parameters<typeof reachableHost>[1];
    assert.equal(reachableHost('0.0.0.0', nics), '192.0.2.7');
    assert.equal(reachableHost('::', nics), '192.0.2.7');
    assert.equal(reachableHost('0.0.0.0', { lo: nics?.['lo'] ?? [] }), '127.0.0.1');
    assert.equal(reachableHost('127.0.0.1', nics), '127.0.0.1');
    assert.equal(reachableHost('ferrite.example.org', nics), 'ferrite.example.org');
    assert.equal(reachableHost('2001:db8::5', nics), '[2001:db8::5]');
  });

  it('takes flags over the environment over the file over the defaults', () => {
    const file = tomlFile(
      '[api]\nhost = "10.0.0.1"\nport = 7000\nbody_limit = 100\n[log]\nlevel = "debug"\n',
    );
    const config = load({
      flags: { port: '7002' },
      env: {
        FERRITE_CONFIG: file,
        FERRITE_PORT: '7001',
        FERRITE_HOST: '10.0.0.2',
        // Empty counts as unset.
        FERRITE_BODY_LIMIT: '',
        FERRITE_CONDUCTOR_GROUP: 'rack-b',
        FERRITE_CONDUCTOR_AUTOMATED_CLEAN: 'no',
      },
    });
    assert.equal(config.file, file);
    assert.equal(config.api.port, 7002);
    assert.equal(config.api.host, '10.0.0.2');
    assert.equal(config.api.bodyLimit, 100);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.conductor.conductorGroup, 'rack-b');
    assert.equal(config.conductor.automatedClean, false);
  });

  it('prefers --config to FERRITE_CONFIG, and resolves flag and environment paths from the working directory', () => {
    const chosen = tomlFile('[log]\nlevel = "error"\n');
    const config = load({
      flags: { config: chosen, 'tls-cert-file': 'cert.pem' },
      env: { FERRITE_CONFIG: join(dir, 'missing.toml'), FERRITE_TLS_KEY_FILE: 'key.pem' },
    });
    assert.equal(config.logLevel, 'error');
    assert.deepEqual(config.api.tls, {
      certFile: '/srv/ferrite/cert.pem',
      keyFile: '/srv/ferrite/key.pem',
    });
  });

  it('refuses unknown sections and keys, naming them and the file', () => {
    const typo = tomlFile('[api]\nhots = "0.0.0.0"\n');
    assert.match(
      refusal({ flags: { config: typo } }),
      new RegExp(
        `^${typo}: unknown setting "hots" in \\[api\\]; the settings there are host, port,`,
      ),
    );
    const section = tomlFile('[server]\nport = 1\n');
    assert.match(
      refusal({ flags: { config: section } }),
      new RegExp(`^${section}: unknown section \\[server\\]`),
    );
    const loose = tomlFile('port = 1\n');
    assert.match(
      refusal({ flags: { config: loose } }),
      new RegExp(`^${loose}: "port" is outside any section`),
    );
  });

  it('refuses values of the wrong type or range, naming the key and the file', () => {
    const cases: [string, RegExp][] = [
      ['[api]\nport = "6385"\n', /\[api\] port must be a port number \(0 to 65535\), not "6385"/],
      ['[api]\nport = 70000\n', /\[api\] port must be a port number \(0 to 65535\), not 70000/],
      [
        '[api]\nauth_strategy = "keystone"\n',
        /\[api\] auth_strategy must be one of noauth, http_basic, not "keystone"/,
      ],
      [
        '[conductor]\nautomated_clean = "yes"\n',
        /\[conductor\] automated_clean must be true or false, not "yes"/,
      ],
      [
        '[conductor]\nworkers_pool_size = 1.5\n',
        /\[conductor\] workers_pool_size must be an integer of at least 1, not 1.5/,
      ],
      [
        '[conductor]\ndeploy_callback_timeout = 0\n',
        /\[conductor\] deploy_callback_timeout must be a number of seconds of at least 1, not 0/,
      ],
      [
        '[log]\nlevel = ["info"]\n',
        /\[log\] level must be one of debug, info, warn, error, silent, not \["info"\]/,
      ],
      ['[api]\nhost = ""\n', /\[api\] host must be a non-empty string, not ""/],
      [
        '[ipmi]\nconsole_port_range = "10100-10000"\n',
        /\[ipmi\] console_port_range must be a port range MIN-MAX/,
      ],
      ['[ipmi]\nretries = -1\n', /\[ipmi\] retries must be an integer of at least 0/],
      ['[api]\nhost = "x"\nhost = "y"\n', /is not valid TOML \(line 3, column \d+\)/],
    ];
    for (const [text, expected] of cases) {
      const file = tomlFile(text);
      const message = refusal({ flags: { config: file } });
      assert.match(message, expected);
      assert.ok(message.includes(file), message);
    }
  });

  it('never echoes a refused database URL, which may hold a password', () => {
    const file = tomlFile('[database]\nurl = 5\n');
    assert.match(
      refusal({ flags: { config: file } }),
      /\[database\] url must be a non-empty string, not \(value not shown\)/,
    );
  });

  it('refuses bad environment variables and flags by their names', () => {
    assert.equal(
      refusal({ env: { FERRITE_PORT: 'http' } }),
      'FERRITE_PORT must be a port number (0 to 65535), not "http"',
    );
    assert.equal(
      refusal({ flags: { port: '-1' } }),
      '--port must be a port number (0 to 65535), not "-1"',
    );
    assert.equal(
      refusal({ env: { FERRITE_CONDUCTOR_SYNC_POWER_STATE_INTERVAL: 'soon' } }),
      'FERRITE_CONDUCTOR_SYNC_POWER_STATE_INTERVAL must be a number of seconds of at least 0, not "soon"',
    );
    assert.equal(
      refusal({ flags: { 'log-level': 'loud' } }),
      '--log-level must be one of debug, info, warn, error, silent, not "loud"',
    );
  });

  it('refuses a missing or unreadable file', () => {
    const missing = join(dir, 'nowhere.toml');
    assert.match(
      refusal({ env: { FERRITE_CONFIG: missing } }),
      new RegExp(`^cannot read the config file ${missing}: ENOENT`),
    );
  });

  it('refuses half a TLS configuration and http_basic without users', () => {
    assert.match(
      refusal({ env: { FERRITE_TLS_CERT_FILE: '/c.pem' } }),
      /tls_cert_file is set but tls_key_file is not/,
    );
    assert.match(
      refusal({ flags: { 'tls-key-file': '/k.pem' } }),
      /tls_key_file is set but tls_cert_file is not/,
    );
    const file = tomlFile('[api]\nauth_strategy = "http_basic"\n');
    assert.equal(
      refusal({ flags: { config: file } }),
      `[api] auth_strategy is http_basic but http_basic_auth_user_file is not set (config file ${file})`,
    );
  });

  it('lists every setting, its environment variable and flag in --help', () => {
    const help = serveHelp();
    for (const { section, key, setting } of allSettings()) {
      assert.ok(help.includes(`[${section}]`), section);
      assert.match(help, new RegExp(`^ {4}${key} {2}${setting.env}$`, 'm'));
      if (setting.flag !== undefined) assert.ok(help.includes(`--${setting.flag} `), setting.flag);
    }
    assert.ok(help.includes('--config FILE'));
  });
});

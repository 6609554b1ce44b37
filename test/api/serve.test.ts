import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';

const BIN = fileURLToPath(new URL('../../bin/ferrite.mjs', import.meta.url));

it('serves the API on a free loopback port and stops cleanly on SIGTERM', async () => {
  const server = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--database', 'sqlite::memory:', '--log-level', 'silent'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const address = await new Promise<string>((resolve, reject) => {
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    server.on('exit', (code) =>
      reject(new Error(`ferrite serve exited with ${String(code)}: ${err}`)),
    );
  });
  try {
    const res = await fetch(`${address}/v1`, {
      headers: { 'X-OpenStack-Ironic-API-Version': 'latest' },
    });
    assert.equal(res.status, 200);
    assert.ok('nodes' in ((await res.json()) as Record<string, unknown>));
    const drivers = (await (await fetch(`${address}/v1/drivers`)).json()) as {
      drivers: { name: string; hosts: string[] }[];
    };
    assert.ok(drivers.drivers.some((d) => d.name === 'fake-hardware' && d.hosts.length === 1));
  } finally {
    server.kill('SIGTERM');
  }
  const [code] = (await once(server, 'exit')) as [number | null];
  assert.equal(code, 0, err);
  assert.match(out, /Ferrite is stopping/);
});

it('refuses a bad port before starting anything', async () => {
  const run = spawn(process.execPath, [BIN, 'serve', '--port', 'seventy'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  run.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const [code] = (await once(run, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(err, /--port must be a port number/);
});

const dir = mkdtempSync(join(tmpdir(), 'ferrite-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The environment without any FERRITE_ settings of whoever runs the tests. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('FERRITE_')),
  );
  return { ...env, ...extra };
}

/** Runs `ferrite serve` to its end; for settings that must stop it before it starts. */
async function refusal(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; err: string }> {
  const run = spawn(process.execPath, [BIN, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv(env),
  });
  let err = '';
  run.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const [code] = (await once(run, 'exit')) as [number | null];
  return { code, err };
}

function httpsGet(
  url: string,
  ca: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

it('serves HTTPS with the certificate from its config file, and asks for credentials', async () => {
  // A throwaway self-signed certificate for 127.0.0.1.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const ca = readFileSync(join(dir, 'cert.pem'));
  writeFileSync(join(dir, 'htpasswd'), `admin:${bcrypt.hashSync('s3cret', 4)}\n`);
  const config = join(dir, 'ferrite.toml');
  writeFileSync(
    config,
    [
      '[api]',
      'host = "127.0.0.1"',
      'tls_cert_file = "cert.pem"',
      'tls_key_file = "key.pem"',
      'auth_strategy = "http_basic"',
      'http_basic_auth_user_file = "htpasswd"',
      '[database]',
      'url = "sqlite::memory:"',
      '[log]',
      'level = "silent"',
      '[conductor]',
      'sync_power_state_interval = 0',
    ].join('\n'),
  );
  // The port comes from the environment, over the file's default.
  const server = spawn(process.execPath, [BIN, 'serve'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv({ FERRITE_CONFIG: config, FERRITE_PORT: '0' }),
  });
  let out = '';
  let err = '';
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const address = await new Promise<string>((resolve, reject) => {
    server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (https:\/\/127\.0\.0\.1:\d+) .*auth http_basic/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    server.on('exit', (code) =>
      reject(new Error(`ferrite serve exited with ${String(code)}: ${err}${out}`)),
    );
  });
  try {
    const root = await httpsGet(`${address}/v1`, ca);
    assert.equal(root.status, 200);
    const links = (JSON.parse(root.body) as { links: { href: string }[] }).links;
    assert.equal(links[0]?.href, `${address}/v1/`);
    assert.equal((await httpsGet(`${address}/v1/nodes`, ca)).status, 401);
    const authorization = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
    const nodes = await httpsGet(`${address}/v1/nodes`, ca, { authorization });
    assert.equal(nodes.status, 200);
  } finally {
    server.kill('SIGTERM');
  }
  const [code] = (await once(server, 'exit')) as [number | null];
  assert.equal(code, 0, err);
  assert.ok(!err.includes('s3cret'), err);
});

it('refuses unusable settings before starting, saying which and where', async () => {
  const typo = join(dir, 'typo.toml');
  writeFileSync(typo, '[api]\nport = 0\n[conductor]\nautomated_cleaning = false\n');
  const md5 = join(dir, 'md5.htpasswd');
  writeFileSync(md5, '# users\nadmin:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\n');
  const [file, tls, users, flag] = await Promise.all([
    refusal(['--config', typo]),
    refusal(['--port', '0', '--tls-cert-file', join(dir, 'none.pem')], {
      FERRITE_TLS_KEY_FILE: join(dir, 'none.key'),
    }),
    refusal(['--port', '0', '--auth-strategy', 'http_basic'], {
      FERRITE_HTTP_BASIC_AUTH_USER_FILE: md5,
    }),
    refusal(['--tls-cert'], {}),
  ]);
  assert.equal(file.code, 2);
  assert.ok(
    file.err.startsWith(
      `ferrite serve: ${typo}: unknown setting "automated_cleaning" in [conductor]`,
    ),
    file.err,
  );
  assert.equal(tls.code, 2);
  assert.match(tls.err, /cannot read the TLS certificate file .*none\.pem: ENOENT/);
  assert.equal(users.code, 2);
  assert.match(users.err, /md5\.htpasswd line 2: the password of "admin" is not a bcrypt hash/);
  assert.equal(flag.code, 2);
  assert.match(flag.err, /Unknown option '--tls-cert'; see ferrite serve --help/);
});

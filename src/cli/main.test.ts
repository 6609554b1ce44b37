import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createDriverFactory } from '../drivers/builtin.ts';
import { ALL_INTERFACES } from '../drivers/interface-types.ts';
import { driversCommand } from './commands/drivers.ts';
import { main } from './main.ts';

function capture(): {
  io: Parameters<typeof main>[1] & object;
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: { out: { write: (t: string) => (out += t) }, err: { write: (t: string) => (err += t) } },
    out: () => out,
    err: () => err,
  };
}

describe('ferrite drivers', () => {
  it('prints each hardware type with every interface, its default and supported implementations', async () => {
    const c = capture();
    assert.equal(await main(['drivers'], c.io), 0);
    const text = c.out();
    assert.match(text, /^fake-hardware: /m);
    assert.match(text, /^manual-management: /m);
    assert.match(text, /^ipmi: /m);
    assert.match(text, /^redfish: /m);
    assert.match(text, /^interface\s+default\s+supported$/m);
    assert.match(text, /^network\s+flat\s+flat, noop$/m);
    assert.match(text, /^management\s+noop\s+noop, fake$/m);
    for (const type of ALL_INTERFACES) {
      assert.equal(text.match(new RegExp(`^${type}\\s`, 'gm'))?.length, 4, type);
    }
  });

  it('marks supported implementations that this deployment has not enabled', async () => {
    const c = capture();
    const factory = createDriverFactory({
      enabledHardwareTypes: ['fake-hardware'],
      enabledInterfaces: { console: ['no-console'], network: ['noop'] },
    });
    assert.equal(await driversCommand([], c.io, factory), 0);
    assert.doesNotMatch(c.out(), /manual-management/);
    assert.match(c.out(), /^console\s+no-console\s+fake \(disabled\), no-console$/m);
    assert.match(c.out(), /^network\s+noop\s+flat \(disabled\), noop$/m);
  });

  it('prints JSON for scripts', async () => {
    const c = capture();
    assert.equal(await main(['drivers', '--format', 'json'], c.io), 0);
    const types = JSON.parse(c.out()) as {
      name: string;
      interfaces: Record<string, { default: string; supported: string[] }>;
    }[];
    const fake = types.find((t) => t.name === 'fake-hardware');
    assert.deepEqual(fake?.interfaces['raid'], {
      default: 'fake',
      supported: ['fake', 'no-raid'],
      enabled: ['fake', 'no-raid'],
    });
  });

  it('refuses unknown options and formats with a usage error', async () => {
    const bad = capture();
    assert.equal(await main(['drivers', '--format', 'yaml'], bad.io), 2);
    assert.match(bad.err(), /--format must be table or json/);
    const unknown = capture();
    assert.equal(await main(['drivers', '--colour'], unknown.io), 1);
    assert.match(unknown.err(), /ferrite drivers: .*--colour/);
  });
});

describe('ferrite', () => {
  it('lists commands, prints its version and refuses unknown commands', async () => {
    const help = capture();
    assert.equal(await main(['--help'], help.io), 0);
    assert.match(help.out(), /drivers\s+List hardware types/);
    const version = capture();
    assert.equal(await main(['--version'], version.io), 0);
    assert.match(version.out(), /^ferrite \d+\.\d+\.\d+\n$/);
    const unknown = capture();
    assert.equal(await main(['deploy-everything'], unknown.io), 2);
    assert.match(unknown.err(), /unknown command "deploy-everything"/);
  });

  it('runs as the package’s bin', async () => {
    const bin = new URL('../../bin/ferrite.mjs', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [
      bin,
      'drivers',
      '--format',
      'json',
    ]);
    const names = (JSON.parse(stdout) as { name: string }[]).map((t) => t.name);
    assert.deepEqual(names, ['fake-hardware', 'ipmi', 'manual-management', 'redfish']);
  });
});

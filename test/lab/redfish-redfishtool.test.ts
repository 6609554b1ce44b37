/**
 * Ferrite's Redfish emulator as DMTF's redfishtool sees it: a second real
 * client, stricter than sushy about the service root and collections.
 * Skips (with a reason) when redfishtool is missing, except under CI=true.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startRedfishEmulator } from '../../src/lab/redfish/server.ts';
import type { RedfishEmulator } from '../../src/lab/redfish/server.ts';

const PASSWORD = 'lab-redfish-secret';

function redfishtoolOptions(): { skip?: string } {
  if (spawnSync('sh', ['-c', 'command -v redfishtool']).status === 0) return {};
  if (process.env['CI'] === 'true') return {};
  return {
    skip: 'redfishtool is not installed (scripts/ensure-redfish-peers.sh installs it); with CI=true this fails instead',
  };
}

/** redfishtool's output and exit status; asynchronous, as the emulator answers from this process. */
function redfishtool(
  emulator: RedfishEmulator,
  auth: 'Session' | 'Basic',
  args: readonly string[],
): Promise<{ status: number | null; out: string }> {
  const host = emulator.url.replace(/^http:\/\//, '');
  const argv = [
    '-r',
    host,
    '-u',
    emulator.username,
    '-p',
    PASSWORD,
    '-S',
    'Never',
    '-A',
    auth,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('redfishtool', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', (error) => {
      clearTimeout(killer);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(killer);
      resolve({ status, out });
    });
  });
}

describe('Redfish emulator against redfishtool', redfishtoolOptions(), () => {
  let emulator: RedfishEmulator;
  before(async () => {
    emulator = await startRedfishEmulator({ systems: 2, username: 'operator', password: PASSWORD });
  });
  after(() => emulator.close());

  it('reads a system over a session', async () => {
    const result = await redfishtool(emulator, 'Session', ['Systems', '-I', 'system-1']);
    assert.equal(result.status, 0, result.out);
    const system = JSON.parse(result.out) as { Id: string; PowerState: string };
    assert.equal(system.Id, 'system-1');
    assert.equal(system.PowerState, 'Off');
  });

  it('resets a system and sets its boot override over Basic', async () => {
    const reset = await redfishtool(emulator, 'Basic', [
      'Systems',
      '-I',
      'system-0',
      'reset',
      'ForceRestart',
    ]);
    assert.equal(reset.status, 0, reset.out);
    const system = emulator.systems[0];
    assert.ok(system !== undefined);
    assert.equal(system.powerState, 'On');
    const boot = await redfishtool(emulator, 'Basic', [
      'Systems',
      '-I',
      'system-0',
      'setBootOverride',
      'Continuous',
      'Pxe',
    ]);
    assert.equal(boot.status, 0, boot.out);
    assert.equal(system.boot.target, 'Pxe');
    assert.equal(system.boot.enabled, 'Continuous');
  });

  it('reads a chassis’ Thermal', async () => {
    const result = await redfishtool(emulator, 'Basic', ['Chassis', '-I', 'system-0', 'Thermal']);
    assert.equal(result.status, 0, result.out);
    const thermal = JSON.parse(result.out) as { Temperatures: unknown[]; Fans: unknown[] };
    assert.equal(thermal.Temperatures.length, 2);
    assert.equal(thermal.Fans.length, 2);
  });
});

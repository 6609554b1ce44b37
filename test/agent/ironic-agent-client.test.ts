/**
 * Ferrite's agent serving an Ironic: Ironic's own AgentClient (Debian's
 * python3-ironic) drives a `ferrite agent` process through cleaning and a
 * deploy step by step, as an Ironic conductor does — clean steps, the
 * metadata erased, deploy steps, write_image, partition UUIDs, sync, logs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAgentProcess } from '../support/agent-process.ts';
import type { AgentProcess } from '../support/agent-process.ts';
import { startImageServer } from '../support/image-server.ts';
import type { ImageServer } from '../support/image-server.ts';
import { peerSuiteOptions } from '../support/peer-suite.ts';
import { runProcess } from '../support/run-process.ts';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, '..', 'support', 'peers', 'ironic-agent-client.py');
const MIB = 1024 * 1024;

function missingPeer(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import ironic.drivers.modules.agent_client'], {
    stdio: 'ignore',
  });
  return probe.status === 0 ? undefined : "Ironic's agent client (python3-ironic) is not installed";
}

describe('ferrite agent driven by Ironic’s AgentClient', peerSuiteOptions(missingPeer()), () => {
  let dir: string;
  let images: ImageServer;
  let agent: AgentProcess;
  let disk: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferrite-ironic-peer-'));
    disk = join(dir, 'disk');
    const handle = await open(disk, 'w');
    await handle.truncate(5 * 1024 * MIB);
    await handle.write(Buffer.alloc(MIB, 0xaa), 0, MIB, 0);
    await handle.close();
    images = await startImageServer();
    agent = await startAgentProcess([
      '--standalone',
      '--agent-token',
      'peer-token',
      '--disk',
      disk,
    ]);
  });
  after(async () => {
    await agent.kill();
    await images.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cleans and writes the image as an Ironic conductor asks', async () => {
    const image = randomBytes(3 * MIB + 5);
    images.serve('/peer.raw', { body: image });
    const sha256 = createHash('sha256').update(image).digest('hex');
    const run = await runProcess(
      PYTHON,
      [SCRIPT, agent.url, 'peer-token', disk, `${images.url}/peer.raw`, sha256],
      { killAfterMs: 60_000 },
    );
    assert.equal(run.status, 0, `${run.stderr}\n${agent.log()}`);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    const stepsOf = (key: string, kind: string) =>
      (out[key] as Record<string, Record<string, { step: string }[]>>)[kind]?.[
        'GenericHardwareManager'
      ]?.map((s) => s.step);

    assert.deepEqual(out['initial_commands'], []);
    assert.deepEqual(stepsOf('clean_steps', 'clean_steps'), [
      'erase_devices',
      'erase_devices_metadata',
    ]);
    assert.equal(out['clean_started'], 'RUNNING', 'a clean step runs asynchronously');
    assert.equal((out['clean_finished'] as { command_status: string }).command_status, 'SUCCEEDED');
    assert.deepEqual(stepsOf('deploy_steps', 'deploy_steps'), ['write_image']);
    const written = out['write_finished'] as { command_status: string; command_error: unknown };
    assert.equal(written.command_status, 'SUCCEEDED', JSON.stringify(written.command_error));
    assert.equal(out['sync'], 'SUCCEEDED');
    assert.deepEqual(
      (out['partition_uuids'] as Record<string, unknown>)['root uuid'],
      null,
      'random bytes hold no partition table',
    );
    assert.deepEqual(out['log_files'], [
      'agent.log',
      'cmdline',
      'inventory.json',
      'meminfo',
      'mounts',
    ]);

    const handle = await open(disk, 'r');
    const back = Buffer.alloc(image.length);
    await handle.read(back, 0, image.length, 0);
    await handle.close();
    assert.deepEqual(back, image, 'the disk holds the image');
  });
});

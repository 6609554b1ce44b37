import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../common/logging.ts';
import { makeDemoImage } from '../image/demo-image.ts';
import { LabMachine } from './machine.ts';
import { startImageServer } from '../../../test/support/image-server.ts';
import type { ImageServer } from '../../../test/support/image-server.ts';

describe('a lab machine', () => {
  let dir: string;
  let boot: ImageServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferrite-lab-machine-'));
    boot = await startImageServer();
  });
  after(async () => {
    await boot.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function machine(
    name: string,
    withImage: boolean,
  ): Promise<{ m: LabMachine; offs: string[] }> {
    const disk = join(dir, `${name}.disk`);
    if (withImage) {
      await makeDemoImage(disk, 4, `${name}-os`);
    } else {
      const handle = await open(disk, 'w');
      await handle.truncate(4 * 1024 * 1024);
      await handle.close();
    }
    const offs: string[] = [];
    const m = new LabMachine({
      name,
      macs: ['52:54:00:00:00:01'],
      disk,
      bootUrl: boot.url,
      logger: silentLogger,
      onSelfPowerOff: () => offs.push(name),
    });
    return { m, offs };
  }

  it('boots the image on its disk, by the override or by default, and reports it', async () => {
    const { m } = await machine('disk-boot', true);
    m.powerOn({ device: 'disk' });
    await m.settled();
    assert.equal(m.state, 'os');
    assert.ok(m.os?.bootable);
    assert.equal(m.os.label.name, 'disk-boot-os');
    assert.equal(m.os.intact, true);
    m.powerOn({ device: 'network' });
    await m.settled();
    assert.equal(m.state, 'os', 'powering on a machine that is on changes nothing');

    m.nmi();
    assert.equal(m.nmiCount, 1);
    m.powerOff(true);
    await m.settled();
    assert.equal(m.state, 'off');
    m.reset({ device: 'default' });
    await m.settled();
    assert.equal(m.state, 'os', 'a reset with no override boots the disk, which holds an OS');
    assert.deepEqual(m.history, [
      'power on (disk)',
      'booted disk-boot-os from disk',
      'nmi',
      'soft power off',
      'reset (default)',
      'booted disk-boot-os from disk',
    ]);
    await m.close();
  });

  it('finds no boot device on a blank disk with no network config and no media', async () => {
    const { m } = await machine('blank', false);
    m.powerOn({ device: 'default' });
    await m.settled();
    assert.equal(m.state, 'no-boot-device');
    assert.ok(m.history.includes('network: nothing to boot'), m.history.join(' → '));
    m.reset({ device: 'cd' });
    await m.settled();
    assert.equal(m.state, 'no-boot-device', 'no virtual media inserted');
    m.powerOff();
    await m.settled();
    assert.equal(m.state, 'off');
    await m.close();
  });

  it('reads the kernel command line of a PXELINUX or iPXE entry for its MAC', async () => {
    boot.serve('/pxelinux.cfg/52-54-00-00-00-01', {
      body: Buffer.from(
        '#!ipxe\nkernel http://b/k initrd=deploy_ramdisk ipa-api-url=http://127.0.0.1:1 ipa-node-uuid=abc BOOTIF=${mac}\ninitrd http://b/r\nboot\n',
      ),
    });
    const { m, offs } = await machine('net-boot', false);
    m.powerOn({ device: 'network' });
    await m.settled();
    // The agent starts (and keeps looking its node up at an API that is not there).
    assert.equal(m.state, 'ramdisk', m.history.join(' → '));
    const params = m.ramdiskParams;
    assert.ok(params);
    assert.equal(params.get('ipa-api-url'), 'http://127.0.0.1:1');
    assert.equal(params.get('ipa-node-uuid'), 'abc');
    assert.match(m.agentUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    m.powerOff();
    await m.settled();
    assert.equal(m.state, 'off');
    assert.equal(m.agentUrl, undefined, 'the agent is gone with the power');
    assert.deepEqual(offs, [], 'the BMC cut the power: not the host powering itself off');
    await m.close();
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { SimulatedClock } from '../../../common/clock.ts';
import { isFerriteError } from '../../../common/errors.ts';
import type { Port } from '../../../common/records.ts';
import { createDriverFactory } from '../../builtin.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import type { Driver } from '../../driver.ts';
import { SharedResources } from '../../shared-resources.ts';
import { makePort } from '../../../../test/support/node.ts';
import { TestTask } from '../../../../test/support/task.ts';
import { FAKE_MANAGEMENT_KEYS } from '../fake/management.ts';
import { BOOT_FILE_IMPLEMENTATIONS } from './entries.ts';
import { PxeBoot } from './pxe-boot.ts';

const KERNEL = 'kernel bytes\n';
const RAMDISK = 'initramfs bytes\n'.repeat(1000);
const HTTP_URL = 'http://192.0.2.1:6385/boot';
const PARAMS = {
  'ipa-api-url': 'http://192.0.2.1:6385',
  'ipa-node-uuid': '',
  'ipa-global-request-id': 'req 1',
};

let dir: string;
let server: Server;
let kernelUrl: string;
let fetches = 0;

before(async () => {
  server = createServer((request, response) => {
    if (request.url === '/ipa.kernel') {
      fetches += 1;
      response.end(KERNEL);
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kernelUrl = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/ipa.kernel`;
});
after(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function environment(root: string, pxe: Record<string, string> = {}): DriverEnvironment {
  return {
    clock: new SimulatedClock(),
    options: {
      pxe: { httpRoot: root, httpUrl: HTTP_URL, kernelAppendParams: 'console=ttyS0', ...pxe },
    },
    resources: new SharedResources(),
  };
}

/** A fake-hardware node with its boot interface replaced by `boot`. */
function nodeTask(
  boot: PxeBoot,
  ports: (uuid: string) => Port[],
  driverInfo: Record<string, string>,
) {
  const fake = createDriverFactory().compose({ driver: 'fake-hardware' });
  const driver: Driver = { ...fake, boot };
  const task = new TestTask(driver, { node: { driverInfo } });
  task.ports.push(...ports(task.node.uuid));
  PARAMS['ipa-node-uuid'] = task.node.uuid;
  return task;
}

describe('pxe and ipxe boot from the HTTP root', () => {
  let root: string;
  let ramdiskFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferrite-pxe-'));
    root = join(dir, 'httpboot');
    ramdiskFile = join(dir, 'ipa.initramfs');
    writeFileSync(ramdiskFile, RAMDISK);
    fetches = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stages the images, writes the PXELINUX config, links every MAC to it and boots from the network once', async () => {
    const boot = new PxeBoot(environment(root), 'pxe');
    const task = nodeTask(
      boot,
      (uuid) => [
        makePort(uuid, { address: '52:54:00:aa:bb:01', pxeEnabled: true }),
        makePort(uuid, { address: '52:54:00:AA:BB:02', pxeEnabled: false }),
      ],
      { deploy_kernel: kernelUrl, deploy_ramdisk: `file://${ramdiskFile}` },
    );
    const uuid = task.node.uuid;
    await boot.validate(task);
    await boot.prepareRamdisk(task, PARAMS);

    const nodeDir = join(root, uuid);
    assert.equal(readFileSync(join(nodeDir, 'deploy_kernel'), 'utf8'), KERNEL);
    assert.equal(readFileSync(join(nodeDir, 'deploy_ramdisk'), 'utf8'), RAMDISK);
    // The fetched kernel is the cached copy, hard-linked; the local ramdisk is its file, hard-linked.
    const cached = join(root, '_cache', createHash('sha256').update(kernelUrl).digest('hex'));
    assert.equal(statSync(cached).ino, statSync(join(nodeDir, 'deploy_kernel')).ino);
    assert.equal(statSync(ramdiskFile).ino, statSync(join(nodeDir, 'deploy_ramdisk')).ino);
    assert.equal(
      readFileSync(join(nodeDir, 'config'), 'utf8'),
      [
        'default deploy',
        '',
        'label deploy',
        `kernel ${HTTP_URL}/${uuid}/deploy_kernel`,
        `append initrd=${HTTP_URL}/${uuid}/deploy_ramdisk ipa-api-url=http://192.0.2.1:6385 ipa-node-uuid=${uuid} ipa-global-request-id="req 1" console=ttyS0`,
        'ipappend 3',
        '',
      ].join('\n'),
    );
    for (const mac of ['01-52-54-00-aa-bb-01', '01-52-54-00-aa-bb-02']) {
      assert.equal(readlinkSync(join(root, 'pxelinux.cfg', mac)), `../${uuid}/config`);
    }
    const info = task.node.driverInternalInfo;
    assert.equal(info[FAKE_MANAGEMENT_KEYS.bootDevice], 'pxe');
    assert.equal(info[FAKE_MANAGEMENT_KEYS.persistent], false);

    // Prepared again (a retried step): the cached kernel is not fetched again.
    await boot.prepareRamdisk(task, PARAMS);
    assert.equal(fetches, 1);

    await boot.cleanUpRamdisk(task);
    await boot.cleanUpRamdisk(task);
    assert.equal(existsSync(join(nodeDir, 'config')), false);
    assert.equal(existsSync(join(root, 'pxelinux.cfg', '01-52-54-00-aa-bb-01')), false);
    assert.equal(existsSync(join(root, 'pxelinux.cfg', '01-52-54-00-aa-bb-02')), false);

    await boot.prepareRamdisk(task, PARAMS);
    await boot.prepareInstance(task);
    assert.equal(existsSync(join(nodeDir, 'config')), false);
    assert.equal(existsSync(join(root, 'pxelinux.cfg', '01-52-54-00-aa-bb-01')), false);
    assert.equal(info[FAKE_MANAGEMENT_KEYS.bootDevice], 'disk');
    assert.equal(info[FAKE_MANAGEMENT_KEYS.persistent], true);

    await boot.cleanUpInstance(task);
    await boot.cleanUpInstance(task);
    assert.equal(existsSync(nodeDir), false);
    // The cache outlives the node; the ramdisk's own file is untouched.
    assert.equal(readFileSync(cached, 'utf8'), KERNEL);
    assert.equal(readFileSync(ramdiskFile, 'utf8'), RAMDISK);
  });

  it('writes an iPXE script and Ironic’s iPXE layout, with the conductor’s default images', async () => {
    const boot = new PxeBoot(
      environment(root, {
        deployKernel: kernelUrl,
        deployRamdisk: ramdiskFile,
        kernelAppendParams: '',
      }),
      'ipxe',
    );
    const task = nodeTask(boot, (uuid) => [makePort(uuid, { address: '52:54:00:aa:bb:03' })], {});
    const uuid = task.node.uuid;
    await boot.validate(task);
    await boot.prepareRamdisk(task, { 'ipa-api-url': 'http://192.0.2.1:6385' });
    assert.equal(
      readFileSync(join(root, uuid, 'config'), 'utf8'),
      [
        '#!ipxe',
        '',
        `kernel ${HTTP_URL}/${uuid}/deploy_kernel initrd=deploy_ramdisk ipa-api-url=http://192.0.2.1:6385 BOOTIF=\${mac}`,
        `initrd ${HTTP_URL}/${uuid}/deploy_ramdisk`,
        'boot',
        '',
      ].join('\n'),
    );
    assert.equal(
      readlinkSync(join(root, 'pxelinux.cfg', '52-54-00-aa-bb-03')),
      `../${uuid}/config`,
    );
    const script = readFileSync(join(root, 'boot.ipxe'), 'utf8');
    assert.match(script, /^#!ipxe\n/);
    assert.match(script, /chain pxelinux\.cfg\/\$\{net\$\{netid\}\/mac:hexhyp\}/);

    // A port removed since is unlinked too: entries are found by what they point at.
    task.ports.length = 0;
    await boot.cleanUpRamdisk(task);
    assert.equal(existsSync(join(root, 'pxelinux.cfg', '52-54-00-aa-bb-03')), false);
  });

  it('refuses nodes without deploy images, with bad ones, or without a PXE-enabled port', async () => {
    const boot = new PxeBoot(environment(root), 'pxe');
    const port = (uuid: string): Port[] => [makePort(uuid, { pxeEnabled: true })];
    const cases: [string, Record<string, string>, (uuid: string) => Port[], string, RegExp][] = [
      ['no images', {}, port, 'MissingParameterValue', /deploy_kernel, deploy_ramdisk/],
      [
        'no ramdisk',
        { deploy_kernel: kernelUrl },
        port,
        'MissingParameterValue',
        /: deploy_ramdisk /,
      ],
      [
        'a relative path',
        { deploy_kernel: 'ipa.kernel', deploy_ramdisk: ramdiskFile },
        port,
        'InvalidParameterValue',
        /deploy_kernel must be an http\(s\) URL/,
      ],
      [
        'no PXE port',
        { deploy_kernel: kernelUrl, deploy_ramdisk: ramdiskFile },
        (uuid) => [makePort(uuid, { pxeEnabled: false })],
        'MissingParameterValue',
        /no PXE-enabled port/,
      ],
    ];
    for (const [what, info, ports, code, message] of cases) {
      const task = nodeTask(boot, ports, info);
      await assert.rejects(boot.validate(task), (error) => {
        assert.ok(isFerriteError(error), what);
        assert.equal(error.code, code, what);
        assert.match(error.message, message, what);
        return true;
      });
    }
  });

  it('fails a fetch with ImageDownloadFailed and leaves nothing half-written', async () => {
    const boot = new PxeBoot(environment(root), 'pxe');
    const task = nodeTask(boot, (uuid) => [makePort(uuid)], {
      deploy_kernel: kernelUrl.replace('ipa.kernel', 'missing'),
      deploy_ramdisk: ramdiskFile,
    });
    await assert.rejects(boot.prepareRamdisk(task, PARAMS), (error) => {
      assert.ok(isFerriteError(error, 'ImageDownloadFailed'));
      assert.match(error.message, /HTTP 404/);
      return true;
    });
    assert.deepEqual(existsSync(join(root, '_cache')) ? readdirSync(join(root, '_cache')) : [], []);
  });

  it('needs the HTTP URL to prepare, but not to clean up', async () => {
    const boot = new PxeBoot(environment(root, { httpUrl: '' }), 'pxe');
    const task = nodeTask(boot, (uuid) => [makePort(uuid)], {
      deploy_kernel: kernelUrl,
      deploy_ramdisk: ramdiskFile,
    });
    await assert.rejects(boot.prepareRamdisk(task, PARAMS), (error) => {
      assert.ok(isFerriteError(error, 'ConfigInvalid'));
      assert.match(error.message, /pxe\.httpUrl/);
      return true;
    });
    await boot.cleanUpRamdisk(task);
    await boot.cleanUpInstance(task);
  });

  it('is offered as the pxe and ipxe boot implementations', () => {
    assert.deepEqual(
      BOOT_FILE_IMPLEMENTATIONS.map((e) => [e.interfaceType, e.name]),
      [
        ['boot', 'pxe'],
        ['boot', 'ipxe'],
      ],
    );
    for (const entry of BOOT_FILE_IMPLEMENTATIONS) {
      assert.ok(entry.create(environment(root)) instanceof PxeBoot);
    }
  });
});

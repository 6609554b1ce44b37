/**
 * redfish-virtual-media building the deploy ISO itself, against Ferrite's
 * Redfish emulator: what it inserts is the node's ISO under the HTTP root,
 * and the ISO served at that URL (by the API's /boot route) holds the
 * kernel, the ramdisk and the parameters. A prebuilt redfish_deploy_iso
 * is covered by test/contracts/redfish.contract.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SimulatedClock } from '../../../common/clock.ts';
import { isFerriteError } from '../../../common/errors.ts';
import { startRedfishEmulator } from '../../../lab/redfish/server.ts';
import { drive } from '../../../../test/support/drive.ts';
import { startApi } from '../../../../test/support/api.ts';
import { peerSuiteOptions } from '../../../../test/support/peer-suite.ts';
import { TestTask } from '../../../../test/support/task.ts';
import { createDriverFactory } from '../../builtin.ts';
import { isoReadersMissing, listIso, readIsoFile } from '../iso/iso-readers.ts';
import { readRamdiskIsoParams } from '../pxe/ramdisk-iso.ts';

const HTTP_URL = 'http://192.0.2.1:6385/boot';
const KERNEL = Buffer.from('a kernel\n'.repeat(500));
const RAMDISK = Buffer.from('an initramfs\n'.repeat(5000));
const PARAMS = {
  'ipa-api-url': 'http://192.0.2.1:6385',
  'ipa-agent-token': 'token-123',
};

describe(
  'redfish-virtual-media builds the deploy ISO',
  peerSuiteOptions(await isoReadersMissing()),
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrite-vmedia-'));
    const root = join(dir, 'httpboot');
    const kernel = join(dir, 'ipa.kernel');
    const ramdisk = join(dir, 'ipa.initramfs');

    before(() => {
      writeFileSync(kernel, KERNEL);
      writeFileSync(ramdisk, RAMDISK);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    async function setUp(driverInfo: Record<string, string>, pxe: Record<string, string> = {}) {
      const emulator = await startRedfishEmulator({ systems: 1 });
      const system = emulator.systems[0];
      assert.ok(system);
      const clock = new SimulatedClock();
      const factory = createDriverFactory({
        clock,
        options: {
          redfish: { powerPollIntervalMs: 100, requestTimeoutMs: 2000, retries: 1 },
          pxe: { httpRoot: root, httpUrl: HTTP_URL, ...pxe },
        },
      });
      const task = new TestTask(factory.compose({ driver: 'redfish' }), {
        clock,
        node: {
          driver: 'redfish',
          driverInfo: {
            redfish_address: emulator.url,
            redfish_username: emulator.username,
            redfish_password: emulator.password,
            ...driverInfo,
          },
        },
      });
      const boot = factory.instance('boot', 'redfish-virtual-media');
      return {
        system,
        task,
        boot,
        run: <R>(operation: Promise<R>) => drive(clock, operation),
        close: async () => {
          await factory.close();
          await emulator.close();
        },
      };
    }

    it('inserts the node’s ISO, served at /boot, holding the kernel, the ramdisk and the parameters; ejects and removes it', async () => {
      const t = await setUp({ deploy_kernel: kernel, deploy_ramdisk: `file://${ramdisk}` });
      const api = await startApi({ httpRoot: root });
      try {
        const uuid = t.task.node.uuid;
        await t.run(t.boot.validate(t.task));
        await t.run(t.boot.prepareRamdisk(t.task, PARAMS));
        const url = `${HTTP_URL}/${uuid}/boot.iso`;
        assert.deepEqual(
          { image: t.system.virtualMedia.image, inserted: t.system.virtualMedia.inserted },
          { image: url, inserted: true },
        );
        assert.deepEqual({ ...t.system.boot }, { target: 'Cd', enabled: 'Once', mode: 'UEFI' });

        // Fetched as a BMC would: the URL's path below the HTTP URL is the API's /boot route.
        const served = await api.api.inject({ method: 'GET', url: new URL(url).pathname });
        assert.equal(served.statusCode, 200);
        const fetched = join(dir, 'fetched.iso');
        writeFileSync(fetched, served.rawPayload);
        const listing = await listIso(fetched);
        assert.equal(listing.get('/deploy_kernel'), KERNEL.length);
        assert.equal(listing.get('/deploy_ramdisk'), RAMDISK.length);
        assert.deepEqual(await readIsoFile(fetched, '/deploy_kernel'), KERNEL);
        assert.deepEqual(await readIsoFile(fetched, '/deploy_ramdisk'), RAMDISK);
        assert.equal(
          (await readIsoFile(fetched, '/ferrite/params.txt')).toString(),
          'ipa-api-url=http://192.0.2.1:6385\nipa-agent-token=token-123\n',
        );
        // What Ferrite's lab reads without booting the ISO.
        assert.deepEqual(await readRamdiskIsoParams(fetched), PARAMS);
        const commandLine = 'ipa-api-url=http://192.0.2.1:6385 ipa-agent-token=token-123';
        const grub = (await readIsoFile(fetched, '/boot/grub/grub.cfg')).toString();
        assert.ok(
          grub.includes(`  linux /deploy_kernel ${commandLine}\n  initrd /deploy_ramdisk\n`),
          grub,
        );
        assert.equal((await readIsoFile(fetched, '/EFI/BOOT/grub.cfg')).toString(), grub);
        const isolinux = (await readIsoFile(fetched, '/isolinux/isolinux.cfg')).toString();
        assert.ok(isolinux.includes(`append initrd=/deploy_ramdisk ${commandLine}\n`), isolinux);

        // Prepared again with other parameters (a retry): the ISO is rebuilt.
        await t.run(t.boot.prepareRamdisk(t.task, { 'ipa-api-url': 'http://192.0.2.9:6385' }));
        const again = await api.api.inject({ method: 'GET', url: new URL(url).pathname });
        writeFileSync(fetched, again.rawPayload);
        assert.equal(
          (await readIsoFile(fetched, '/ferrite/params.txt')).toString(),
          'ipa-api-url=http://192.0.2.9:6385\n',
        );

        await t.run(t.boot.cleanUpRamdisk(t.task));
        assert.equal(t.system.virtualMedia.inserted, false);
        assert.equal(existsSync(join(root, uuid, 'boot.iso')), false);
        assert.equal(
          (await api.api.inject({ method: 'GET', url: new URL(url).pathname })).statusCode,
          404,
        );
        await t.run(t.boot.cleanUpRamdisk(t.task));
      } finally {
        await api.close();
        await t.close();
      }
    });

    it('takes the conductor’s default images, and still inserts a prebuilt redfish_deploy_iso as it is', async () => {
      const defaults = await setUp({}, { deployKernel: kernel, deployRamdisk: ramdisk });
      try {
        await defaults.run(defaults.boot.prepareRamdisk(defaults.task, PARAMS));
        assert.equal(
          defaults.system.virtualMedia.image,
          `${HTTP_URL}/${defaults.task.node.uuid}/boot.iso`,
        );
      } finally {
        await defaults.close();
      }
      const prebuilt = await setUp({
        redfish_deploy_iso: 'http://images.example.org/deploy.iso',
        deploy_kernel: kernel,
        deploy_ramdisk: ramdisk,
      });
      try {
        await prebuilt.run(prebuilt.boot.prepareRamdisk(prebuilt.task, PARAMS));
        assert.equal(prebuilt.system.virtualMedia.image, 'http://images.example.org/deploy.iso');
        assert.equal(existsSync(join(root, prebuilt.task.node.uuid)), false);
      } finally {
        await prebuilt.close();
      }
    });

    it('refuses a node with neither a deploy ISO nor deploy images', async () => {
      const t = await setUp({ deploy_kernel: kernel });
      try {
        await assert.rejects(t.run(t.boot.validate(t.task)), (error) => {
          assert.ok(isFerriteError(error, 'MissingParameterValue'));
          assert.match(error.message, /redfish_deploy_iso, or deploy_kernel and deploy_ramdisk/);
          return true;
        });
      } finally {
        await t.close();
      }
    });
  },
);

/**
 * The lab end to end, for both BMC kinds: emulated machines whose firmware
 * boots from Ferrite's HTTP root (iPXE for IPMI, a virtual-media ISO for
 * Redfish) into real agent processes. Inspection in band, cleaning that
 * wipes the metadata, a deploy whose image the machine then boots from its
 * disk, undeploy, rebuild.
 */
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeDemoImage } from '../../src/lab/image/demo-image.ts';
import type { DemoImage } from '../../src/lab/image/demo-image.ts';
import type { LabNode } from '../../src/lab/lab.ts';
import { startLabHarness } from '../support/lab-harness.ts';
import type { LabHarness } from '../support/lab-harness.ts';

const MIB = 1024 * 1024;

async function firstMiB(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MIB);
    await handle.read(buffer, 0, MIB, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

for (const kind of ['redfish', 'ipmi'] as const) {
  describe(`a ${kind} lab machine, end to end`, () => {
    let h: LabHarness;
    let image: DemoImage;
    let labNode: LabNode;
    let uuid: string;

    before(async () => {
      h = await startLabHarness([kind]);
      image = await makeDemoImage(join(h.dir, 'demo.raw'), 8);
      const nodes = await h.enrol();
      labNode = h.lab.nodes[0] as LabNode;
      uuid = (nodes.get(labNode.name) ?? assert.fail('not enrolled')).uuid;
    });
    after(async () => {
      await h.close();
    });

    it('is managed and inspected in band: properties and a port per NIC', async () => {
      await h.conductor.changeProvisionState(uuid, 'manage');
      await h.until(uuid, (n) => n.provisionState === 'manageable', 'managed');
      const enrolled = await h.store.ports.list({ nodeUuid: uuid });
      assert.equal(
        enrolled.length,
        kind === 'ipmi' ? 1 : 0,
        'IPMI: the boot NIC only; Redfish: none',
      );
      await h.conductor.changeProvisionState(uuid, 'inspect');
      const inspected = await h.until(
        uuid,
        (n) => ['manageable', 'inspect failed'].includes(n.provisionState),
        'inspected',
      );
      assert.equal(inspected.provisionState, 'manageable', inspected.lastError ?? '');
      assert.ok(Number(inspected.properties['cpus']) > 0);
      assert.ok(Number(inspected.properties['memory_mb']) > 0);
      const ports = await h.store.ports.list({ nodeUuid: uuid });
      assert.deepEqual(ports.map((p) => p.address).sort(), [...labNode.machine.macs].sort());
      await labNode.machine.settled();
      assert.equal(labNode.machine.state, 'off', 'inspection ends with the machine off');
    });

    it('is cleaned on provide: the disk metadata wiped by the agent', async () => {
      const handle = await open(labNode.machine.disk, 'r+');
      await handle.write(Buffer.alloc(MIB, 0x5a), 0, MIB, 0);
      await handle.close();
      await h.conductor.changeProvisionState(uuid, 'provide');
      const available = await h.until(
        uuid,
        (n) => ['available', 'clean failed'].includes(n.provisionState),
        'available',
      );
      assert.equal(available.provisionState, 'available', available.lastError ?? '');
      assert.ok((await firstMiB(labNode.machine.disk)).every((b) => b === 0));
    });

    it('is deployed: the machine then boots the image from its disk, every byte intact', async () => {
      await h.conductor.updateNode(uuid, {
        instanceInfo: {
          image_source: `file://${image.path}`,
          image_os_hash_algo: 'sha256',
          image_os_hash_value: image.sha256,
        },
      });
      await h.conductor.changeProvisionState(uuid, 'active');
      const active = await h.until(
        uuid,
        (n) => ['active', 'deploy failed'].includes(n.provisionState),
        'active',
      );
      assert.equal(active.provisionState, 'active', active.lastError ?? '');
      await labNode.machine.settled();
      assert.equal(labNode.machine.state, 'os', labNode.machine.history.join(' → '));
      const os = labNode.machine.os;
      assert.ok(os?.bootable);
      assert.equal(os.label.id, image.label.id);
      assert.equal(os.intact, true);
    });

    it('is rebuilt, then undeployed with the metadata wiped', async () => {
      await h.conductor.changeProvisionState(uuid, 'rebuild');
      const rebuilt = await h.until(
        uuid,
        (n) =>
          ['active', 'deploy failed'].includes(n.provisionState) && n.targetProvisionState === null,
        'rebuilt',
      );
      assert.equal(rebuilt.provisionState, 'active', rebuilt.lastError ?? '');
      await labNode.machine.settled();
      assert.equal(labNode.machine.state, 'os');

      await h.conductor.changeProvisionState(uuid, 'deleted');
      const cleaned = await h.until(
        uuid,
        (n) => ['available', 'clean failed'].includes(n.provisionState),
        'undeployed',
      );
      assert.equal(cleaned.provisionState, 'available', cleaned.lastError ?? '');
      assert.ok(
        (await firstMiB(labNode.machine.disk)).every((b) => b === 0),
        'the partition table is gone',
      );
      await labNode.machine.settled();
      assert.equal(labNode.machine.state, 'off');
    });
  });
}

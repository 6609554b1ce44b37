/**
 * A lab machine whose BMC stops answering in the middle of a deploy: the
 * agent finishes writing, the conductor cannot set the boot device or
 * restart the machine, and the deploy fails with the BMC named, the node
 * unlocked, nothing left hanging.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { LabNode } from '../../src/lab/lab.ts';
import { startImageServer } from '../support/image-server.ts';
import type { ImageServer } from '../support/image-server.ts';
import { startLabHarness } from '../support/lab-harness.ts';
import type { LabHarness } from '../support/lab-harness.ts';

const MIB = 1024 * 1024;

for (const kind of ['redfish', 'ipmi'] as const) {
  describe(`a ${kind} lab machine whose BMC stops answering mid-deploy`, () => {
    let h: LabHarness;
    let images: ImageServer;
    let labNode: LabNode;
    let uuid: string;

    before(async () => {
      h = await startLabHarness([kind]);
      images = await startImageServer();
      const nodes = await h.enrol();
      labNode = h.lab.nodes[0] as LabNode;
      uuid = (nodes.get(labNode.name) ?? assert.fail('not enrolled')).uuid;
      await h.conductor.updateNode(uuid, { automatedClean: false });
      await h.conductor.changeProvisionState(uuid, 'manage');
      await h.until(uuid, (n) => n.provisionState === 'manageable', 'managed');
      await h.conductor.changeProvisionState(uuid, 'provide');
      await h.until(uuid, (n) => n.provisionState === 'available', 'available');
    });
    after(async () => {
      await images.close();
      await h.close();
    });

    it('fails the deploy naming the BMC, and releases the node', async () => {
      const body = randomBytes(4 * MIB);
      images.serve('/stalled.raw', { body, stallAfter: MIB });
      await h.conductor.updateNode(uuid, {
        instanceInfo: {
          image_source: `${images.url}/stalled.raw`,
          image_os_hash_algo: 'sha256',
          image_os_hash_value: createHash('sha256').update(body).digest('hex'),
        },
      });
      await h.conductor.changeProvisionState(uuid, 'active');
      await h.until(
        uuid,
        (n) => n.driverInternalInfo['agent_deploy_phase'] === 'writing',
        'writing',
      );
      while ((images.hits.get('/stalled.raw') ?? 0) === 0) await sleep(10);

      // The BMC goes quiet while the agent writes; then the write completes.
      if (kind === 'redfish') labNode.system?.faults.hangNext(10_000);
      else if (h.lab.ipmi) (h.lab.ipmi.bmcs[0] ?? assert.fail('no BMC')).bmc.unreachable = true;
      images.release();

      const failed = await h.until(
        uuid,
        (n) => n.provisionState === 'deploy failed' || n.provisionState === 'active',
        'failed',
      );
      assert.equal(failed.provisionState, 'deploy failed');
      const bmc =
        kind === 'redfish' ? (h.lab.redfish?.url ?? '') : `127.0.0.1:${String(labNode.bmcPort)}`;
      assert.ok(
        failed.lastError?.includes(bmc.replace(/^https?:\/\//, '')),
        failed.lastError ?? '',
      );
      assert.equal(failed.reservation, null);
      assert.doesNotMatch(failed.lastError ?? '', /password/i);
    });
  });
}

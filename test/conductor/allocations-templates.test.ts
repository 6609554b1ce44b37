import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { isFerriteError } from '../../src/common/errors.ts';
import type { ErrorCode } from '../../src/common/errors.ts';
import type { NewNode } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startConductor } from '../support/conductor.ts';
import type { ConductorHarness } from '../support/conductor.ts';

const fails = (code: ErrorCode, pattern?: RegExp) => (error: unknown) =>
  isFerriteError(error, code) && (pattern === undefined || pattern.test(error.message));

forEachDatabase((db) => {
  let h: ConductorHarness;

  before(async () => {
    const clock = new SimulatedClock();
    h = await startConductor(await db.open({ clock }), {}, { clock });
  });

  async function available(fields: Partial<NewNode> = {}) {
    const node = await h.enroll(fields);
    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    await h.act(h.conductor.changeProvisionState(node.uuid, 'provide'));
    return h.node(node.uuid);
  }

  it('gives an allocation a matching available node, and errors with the reason when none matches', async () => {
    const plain = await available({ resourceClass: 'gpu-small' });
    const gpu = await available({ resourceClass: 'gpu-small', traits: ['CUSTOM_GPU'] });
    const resting = await available({ resourceClass: 'gpu-small', traits: ['CUSTOM_GPU'] });
    await h.act(h.conductor.setMaintenance(resting.uuid, true));
    const allocation = await h.act(
      h.conductor.createAllocation({ resourceClass: 'gpu-small', traits: ['CUSTOM_GPU'] }),
    );
    assert.equal(allocation.state, 'allocating');
    const done = await h.store.allocations.get(allocation.uuid);
    assert.deepEqual([done.state, done.nodeUuid, done.lastError], ['active', gpu.uuid, null]);
    const node = await h.node(gpu.uuid);
    assert.deepEqual([node.instanceUuid, node.allocationUuid], [allocation.uuid, allocation.uuid]);

    const none = await h.act(
      h.conductor.createAllocation({ resourceClass: 'gpu-small', traits: ['CUSTOM_GPU'] }),
    );
    const failed = await h.store.allocations.get(none.uuid);
    assert.equal(failed.state, 'error');
    assert.match(failed.lastError ?? '', /resource class gpu-small and traits CUSTOM_GPU/);

    const byCandidate = await h.act(
      h.conductor.createAllocation({ resourceClass: 'gpu-small', candidateNodes: [plain.uuid] }),
    );
    assert.equal((await h.store.allocations.get(byCandidate.uuid)).nodeUuid, plain.uuid);

    // Removal gives the node back; an available node may lose it without maintenance.
    await h.act(h.conductor.deleteAllocation(byCandidate.uuid));
    const freed = await h.node(plain.uuid);
    assert.deepEqual([freed.instanceUuid, freed.allocationUuid], [null, null]);
  });

  it('prefers the node named like the allocation, and backfills a deployed node', async () => {
    await available({ resourceClass: 'named' });
    const wanted = await available({ resourceClass: 'named', name: 'db-7' });
    await available({ resourceClass: 'named' });
    const allocation = await h.act(
      h.conductor.createAllocation({ resourceClass: 'named', name: 'db-7' }),
    );
    assert.equal((await h.store.allocations.get(allocation.uuid)).nodeUuid, wanted.uuid);

    const deployed = await available({ resourceClass: 'legacy' });
    await h.act(h.conductor.changeProvisionState(deployed.uuid, 'active'));
    const backfill = await h.act(
      h.conductor.createAllocation({ resourceClass: 'legacy', nodeUuid: deployed.uuid }),
    );
    assert.deepEqual([backfill.state, backfill.nodeUuid], ['active', deployed.uuid]);
    assert.equal((await h.node(deployed.uuid)).instanceUuid, backfill.uuid);
    await assert.rejects(
      h.conductor.createAllocation({ resourceClass: 'legacy', nodeUuid: wanted.uuid }),
      fails('InvalidState', /only deployed/),
    );
    // An active node keeps its allocation unless in maintenance; undeploying removes it.
    await assert.rejects(h.conductor.deleteAllocation(backfill.uuid), fails('InvalidState'));
    await h.act(h.conductor.changeProvisionState(deployed.uuid, 'deleted'));
    const after = await h.node(deployed.uuid);
    assert.deepEqual(
      [after.provisionState, after.allocationUuid, after.instanceUuid],
      ['available', null, null],
    );
    await assert.rejects(h.store.allocations.get(backfill.uuid), fails('AllocationNotFound'));
  });

  it('runs the deploy steps of the templates the instance asks for, and refuses traits the node lacks', async () => {
    await h.store.deployTemplates.create({
      name: 'CUSTOM_RAID1',
      steps: [
        {
          interface: 'raid',
          step: 'apply_configuration',
          args: { raid_config: { logical_disks: [{ size_gb: 10, raid_level: '1' }] } },
          priority: 90,
        },
      ],
    });
    const node = await available({ traits: ['CUSTOM_RAID1'] });
    await h.store.nodes.update(node.uuid, { instanceInfo: { traits: ['CUSTOM_RAID1'] } });
    await h.act(h.conductor.changeProvisionState(node.uuid, 'active'));
    const deployed = await h.node(node.uuid);
    assert.equal(deployed.provisionState, 'active', deployed.lastError ?? '');
    assert.deepEqual(
      (deployed.raidConfig['logical_disks'] as { raid_level: string }[]).map((d) => d.raid_level),
      ['1'],
      'the template step ran',
    );

    const lacking = await available();
    await h.store.nodes.update(lacking.uuid, { instanceInfo: { traits: ['CUSTOM_RAID1'] } });
    await assert.rejects(
      h.conductor.changeProvisionState(lacking.uuid, 'active'),
      fails('InvalidParameterValue', /does not have: CUSTOM_RAID1/),
    );
  });

  it('records each new last_error in the node’s history', async () => {
    const node = await h.enroll({ driver: 'scripted-hardware' });
    h.power.bmc(node.uuid).failing = true;
    await h.act(h.conductor.changePowerState(node.uuid, 'power on'));
    const events = await h.store.nodeHistory.list(node.uuid);
    assert.equal(events.length, 1);
    const event = events[0];
    assert.ok(event);
    assert.equal(event.severity, 'ERROR');
    assert.equal(event.eventType, 'power');
    assert.equal(event.conductor, 'conductor-1');
    assert.equal(event.event, (await h.node(node.uuid)).lastError);
  });
});

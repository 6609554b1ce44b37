import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { FerriteError } from '../../src/common/errors.ts';
import type { Node } from '../../src/common/records.ts';
import { POWER_FAILURE } from '../../src/conductor/periodic/power-sync.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { startConductor } from '../support/conductor.ts';
import type { ConductorHarness } from '../support/conductor.ts';
import { drive } from '../support/drive.ts';

describe('power state sync', () => {
  let store: Store;
  let clock: SimulatedClock;

  before(async () => {
    clock = new SimulatedClock();
    store = await openStore('sqlite::memory:', { clock });
  });
  after(() => store.close());

  async function fleet(
    settings: Parameters<typeof startConductor>[1] = {},
  ): Promise<ConductorHarness> {
    return startConductor(store, settings, { clock });
  }

  /** A manageable scripted node whose recorded power is `recorded`. */
  async function managed(h: ConductorHarness, recorded: 'power on' | 'power off'): Promise<Node> {
    const node = await h.enroll({ driver: 'scripted-hardware' });
    h.power.bmc(node.uuid).state = recorded;
    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    const ready = await h.node(node.uuid);
    assert.equal(ready.powerState, recorded);
    return ready;
  }

  it('records a state the hardware keeps reporting', async () => {
    const h = await fleet();
    const node = await managed(h, 'power on');
    h.power.bmc(node.uuid).state = 'power off';
    const report = await drive(clock, h.conductor.powerSync.sweep());
    assert.equal((await h.node(node.uuid)).powerState, 'power off');
    assert.ok(report.corrected >= 1);
    // The mismatch was read once and confirmed by maxRetries (3) more reads.
    assert.equal(h.power.bmc(node.uuid).reads, 2 + 3);
    await h.stop();
  });

  it('does not flip the record for a BMC that flaps or lies once', async () => {
    const h = await fleet();
    const node = await managed(h, 'power on');
    const bmc = h.power.bmc(node.uuid);
    bmc.answers = ['power off', 'power on'];
    const report = await drive(clock, h.conductor.powerSync.sweep());
    assert.equal((await h.node(node.uuid)).powerState, 'power on');
    assert.ok(report.unconfirmed >= 1);
    bmc.answers = ['power off', 'power off', new FerriteError('IPMIFailure', { cmd: 'status' })];
    await drive(clock, h.conductor.powerSync.sweep());
    assert.equal(
      (await h.node(node.uuid)).powerState,
      'power on',
      'an error while confirming is no confirmation',
    );
    await h.stop();
  });

  it('forces the recorded state back onto the hardware when configured to', async () => {
    const h = await fleet({ powerSync: { force: true } });
    const node = await managed(h, 'power on');
    const bmc = h.power.bmc(node.uuid);
    bmc.state = 'power off';
    await drive(clock, h.conductor.powerSync.sweep());
    assert.deepEqual(bmc.sets, ['power on']);
    assert.equal(bmc.state, 'power on');
    assert.equal((await h.node(node.uuid)).powerState, 'power on');
    await h.stop();
  });

  it('quarantines a node whose BMC keeps failing, and brings it back when it answers', async () => {
    const h = await fleet();
    const node = await managed(h, 'power on');
    const bmc = h.power.bmc(node.uuid);
    bmc.failing = true;
    await drive(clock, h.conductor.powerSync.sweep());
    await drive(clock, h.conductor.powerSync.sweep());
    assert.equal((await h.node(node.uuid)).maintenance, false, 'two failed sweeps are not enough');
    await drive(clock, h.conductor.powerSync.sweep());
    const quarantined = await h.node(node.uuid);
    assert.equal(quarantined.maintenance, true);
    assert.equal(quarantined.fault, POWER_FAILURE);
    assert.equal(quarantined.powerState, null);
    assert.match(quarantined.maintenanceReason ?? '', /max retries exceeded.*IPMI call failed/);
    const readsBefore = bmc.reads;
    await drive(clock, h.conductor.powerSync.sweep());
    assert.equal(bmc.reads, readsBefore, 'nodes in maintenance are not swept');
    assert.equal(await drive(clock, h.conductor.powerSync.recover()), 0);
    bmc.failing = false;
    bmc.state = 'power off';
    assert.equal(await drive(clock, h.conductor.powerSync.recover()), 1);
    const back = await h.node(node.uuid);
    assert.equal(back.maintenance, false);
    assert.equal(back.fault, null);
    assert.equal(back.maintenanceReason, null);
    assert.equal(back.powerState, 'power off');
    await h.stop();
  });

  it('resets the failure count when the BMC answers in between', async () => {
    const h = await fleet();
    const node = await managed(h, 'power on');
    const bmc = h.power.bmc(node.uuid);
    for (let round = 0; round < 3; round++) {
      bmc.failing = true;
      await drive(clock, h.conductor.powerSync.sweep());
      await drive(clock, h.conductor.powerSync.sweep());
      bmc.failing = false;
      await drive(clock, h.conductor.powerSync.sweep());
    }
    assert.equal((await h.node(node.uuid)).maintenance, false);
    await h.stop();
  });

  it('skips locked nodes without waiting, and nodes with a power action in flight', async () => {
    const h = await fleet({ lockRetry: { attempts: 3, intervalMs: 60_000 } });
    const locked = await managed(h, 'power on');
    const task = await h.conductor.tasks.acquire(locked.uuid, { purpose: 'holding' });
    h.power.bmc(locked.uuid).state = 'power off';
    const started = clock.now();
    await drive(clock, h.conductor.powerSync.sweep());
    assert.equal(clock.now(), started, 'the sweep never slept on a lock');
    assert.equal((await h.node(locked.uuid)).powerState, 'power on');
    await task.release();

    const inFlight = await managed(h, 'power on');
    await store.nodes.update(inFlight.uuid, { targetPowerState: 'power off' });
    h.power.bmc(inFlight.uuid).state = 'power off';
    const reads = h.power.bmc(inFlight.uuid).reads;
    await drive(clock, h.conductor.powerSync.sweep());
    assert.equal(h.power.bmc(inFlight.uuid).reads, reads);
    assert.equal((await h.node(inFlight.uuid)).powerState, 'power on');
    await h.stop();
  });

  it('runs on its interval as periodic work', async () => {
    const h = await fleet({ powerSync: { intervalMs: 60_000 } });
    const node = await managed(h, 'power on');
    h.power.bmc(node.uuid).state = 'power off';
    await clock.advance(59_000);
    assert.equal((await h.node(node.uuid)).powerState, 'power on');
    await clock.advance(1_000);
    await drive(clock, h.conductor.idle());
    for (let i = 0; i < 50 && (await h.node(node.uuid)).powerState !== 'power off'; i++)
      await clock.advance(0);
    assert.equal((await h.node(node.uuid)).powerState, 'power off');
    await h.stop();
  });
});

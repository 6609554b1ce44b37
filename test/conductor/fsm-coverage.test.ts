import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { TRANSITIONS } from '../../src/common/fsm.ts';
import type { ProvisionVerb } from '../../src/common/fsm.ts';
import type { Node } from '../../src/common/records.ts';
import type { ProvisionState } from '../../src/common/states.ts';
import type { ProvisionOptions } from '../../src/conductor/operations/provision.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { startConductor } from '../support/conductor.ts';
import type { ConductorHarness } from '../support/conductor.ts';

/**
 * Every transition of the state machine, reached through conductor
 * operations (never by writing states directly), on scripted hardware whose
 * steps wait or fail on command.
 */
describe('every state machine transition through an operation', () => {
  let store: Store;
  let h: ConductorHarness;

  before(async () => {
    const clock = new SimulatedClock();
    store = await openStore('sqlite::memory:', { clock });
    h = await startConductor(store, {}, { clock });
  });
  after(async () => {
    await h.stop();
    await store.close();
  });

  const c = (): ConductorHarness['conductor'] => h.conductor;

  async function node(script: { async?: string[]; fail?: string[] } = {}): Promise<Node> {
    return h.enroll({
      driver: 'scripted-hardware',
      driverInfo: { scripted_async: script.async ?? [], scripted_fail: script.fail ?? [] },
    });
  }

  async function script(
    uuid: string,
    change: { async?: string[]; fail?: string[] },
  ): Promise<void> {
    const current = await h.node(uuid);
    await h.act(
      c().updateNode(uuid, {
        driverInfo: {
          ...current.driverInfo,
          ...(change.async ? { scripted_async: change.async } : {}),
          ...(change.fail ? { scripted_fail: change.fail } : {}),
        },
      }),
    );
  }

  async function verb(uuid: string, v: ProvisionVerb, options?: ProvisionOptions): Promise<void> {
    await h.act(c().changeProvisionState(uuid, v, options));
  }

  async function expectState(uuid: string, state: ProvisionState): Promise<Node> {
    const n = await h.node(uuid);
    assert.equal(n.provisionState, state, `node ${uuid}: ${n.lastError ?? ''}`);
    assert.equal(n.reservation, null);
    return n;
  }

  /** Takes a node to manageable (power on so that steps have something to work on). */
  async function manageable(s: { async?: string[]; fail?: string[] } = {}): Promise<string> {
    const n = await node(s);
    h.power.bmc(n.uuid).state = 'power on';
    await verb(n.uuid, 'manage');
    await expectState(n.uuid, 'manageable');
    return n.uuid;
  }

  async function available(s: { async?: string[]; fail?: string[] } = {}): Promise<string> {
    const uuid = await manageable();
    await verb(uuid, 'provide');
    await expectState(uuid, 'available');
    await script(uuid, s);
    return uuid;
  }

  async function active(s: { async?: string[]; fail?: string[] } = {}): Promise<string> {
    const uuid = await available();
    await verb(uuid, 'active');
    await expectState(uuid, 'active');
    await script(uuid, s);
    return uuid;
  }

  async function timeOut(): Promise<void> {
    await h.clock.advance(31 * 60_000);
    await h.act(c().checkTimeouts());
  }

  it('enroll, verify, clean (waiting), deploy, rebuild, undeploy and manage', async () => {
    const n = await node({ async: ['deploy.erase_devices'] });
    h.power.bmc(n.uuid).state = 'power off';
    await verb(n.uuid, 'manage');
    assert.equal((await expectState(n.uuid, 'manageable')).powerState, 'power off');
    await verb(n.uuid, 'provide');
    await expectState(n.uuid, 'clean wait');
    await h.act(c().continueCleaning(n.uuid));
    const cleaned = await expectState(n.uuid, 'available');
    assert.deepEqual(cleaned.driverInternalInfo['scripted_ran'], [
      'deploy.erase_devices',
      'deploy.erase_metadata',
    ]);
    await verb(n.uuid, 'active');
    await expectState(n.uuid, 'active');
    await verb(n.uuid, 'rebuild');
    await expectState(n.uuid, 'active');
    await verb(n.uuid, 'deleted');
    await expectState(n.uuid, 'clean wait');
    await h.act(c().continueCleaning(n.uuid));
    await expectState(n.uuid, 'available');
    await verb(n.uuid, 'manage');
    await expectState(n.uuid, 'manageable');
  });

  it('fails verification back to enroll when the BMC does not answer', async () => {
    const n = await node();
    h.power.bmc(n.uuid).failing = true;
    await verb(n.uuid, 'manage');
    const failed = await expectState(n.uuid, 'enroll');
    assert.match(failed.lastError ?? '', /Failed to verify node .*IPMI call failed/);
  });

  it('cleans manually, holds, waits, aborts and fails', async () => {
    const uuid = await manageable({ async: ['deploy.erase_devices'] });
    await verb(uuid, 'clean', { cleanSteps: [{ interface: 'deploy', step: 'erase_metadata' }] });
    await expectState(uuid, 'manageable');
    await verb(uuid, 'clean', {
      cleanSteps: [
        { interface: 'deploy', step: 'hold' },
        { interface: 'deploy', step: 'erase_metadata' },
      ],
    });
    await expectState(uuid, 'clean hold');
    await verb(uuid, 'unhold');
    await expectState(uuid, 'manageable');
    await verb(uuid, 'clean', {
      cleanSteps: [
        { interface: 'deploy', step: 'erase_devices' },
        { interface: 'deploy', step: 'hold' },
      ],
    });
    await expectState(uuid, 'clean wait');
    await h.act(c().continueCleaning(uuid));
    await expectState(uuid, 'clean hold');
    await verb(uuid, 'abort');
    await expectState(uuid, 'clean failed');
    await verb(uuid, 'manage');
    await verb(uuid, 'clean', { cleanSteps: [{ interface: 'deploy', step: 'erase_devices' }] });
    await expectState(uuid, 'clean wait');
    await verb(uuid, 'abort');
    assert.match(
      (await expectState(uuid, 'clean failed')).lastError ?? '',
      /Clean operation aborted/,
    );
    await verb(uuid, 'manage');
    await verb(uuid, 'clean', { cleanSteps: [{ interface: 'deploy', step: 'erase_devices' }] });
    await timeOut();
    const timedOut = await expectState(uuid, 'clean failed');
    assert.equal(timedOut.targetProvisionState, 'manageable');
    assert.equal(timedOut.fault, 'clean failure');
    await verb(uuid, 'manage');
    await h.act(c().setMaintenance(uuid, false));
    await script(uuid, { fail: ['deploy.erase_metadata'] });
    await verb(uuid, 'clean', { cleanSteps: [{ interface: 'deploy', step: 'erase_metadata' }] });
    const broken = await expectState(uuid, 'clean failed');
    assert.match(
      broken.lastError ?? '',
      /failed step \{"interface":"deploy","step":"erase_metadata".*erase_metadata broke as scripted/,
    );
  });

  it('deploys through waits and holds, aborts, fails and retries', async () => {
    const a = await available({ async: ['deploy.deploy'] });
    await verb(a, 'active', { deploySteps: [{ interface: 'deploy', step: 'hold', priority: 50 }] });
    await expectState(a, 'wait call-back');
    await h.act(c().continueDeploying(a));
    await expectState(a, 'deploy hold');
    await verb(a, 'unhold');
    await expectState(a, 'active');

    const b = await available();
    await verb(b, 'active', {
      deploySteps: [{ interface: 'deploy', step: 'hold', priority: 150 }],
    });
    await expectState(b, 'deploy hold');
    await verb(b, 'abort');
    await expectState(b, 'deploy failed');
    await script(b, { fail: ['deploy.deploy'] });
    await verb(b, 'active');
    assert.match(
      (await expectState(b, 'deploy failed')).lastError ?? '',
      /deploy\.deploy broke as scripted/,
    );
    await script(b, { fail: [] });
    await verb(b, 'rebuild');
    await expectState(b, 'active');

    const d = await available({ async: ['deploy.deploy'] });
    await verb(d, 'active');
    await expectState(d, 'wait call-back');
    await verb(d, 'abort');
    await expectState(d, 'deploy failed');
    await verb(d, 'deleted');
    await expectState(d, 'available');

    const e = await available({ async: ['deploy.deploy'] });
    await verb(e, 'active');
    await timeOut();
    assert.match(
      (await expectState(e, 'deploy failed')).lastError ?? '',
      /Timeout reached while waiting for callback/,
    );
    await verb(e, 'active');
    await expectState(e, 'wait call-back');
    await verb(e, 'deleted');
    await expectState(e, 'available');
  });

  it('fails a tear-down into error, and leaves error by rebuild or undeploy', async () => {
    const uuid = await active({ fail: ['deploy.tear_down'] });
    await verb(uuid, 'deleted');
    assert.match((await expectState(uuid, 'error')).lastError ?? '', /Failed to tear down/);
    await verb(uuid, 'rebuild');
    await expectState(uuid, 'active');
    await verb(uuid, 'deleted');
    await expectState(uuid, 'error');
    await script(uuid, { fail: [] });
    await verb(uuid, 'deleted');
    await expectState(uuid, 'available');
  });

  it('inspects synchronously, asynchronously, and fails', async () => {
    const uuid = await manageable();
    await verb(uuid, 'inspect');
    assert.equal((await expectState(uuid, 'manageable')).properties['cpus'], 4);
    await script(uuid, { async: ['inspect'] });
    await verb(uuid, 'inspect');
    await expectState(uuid, 'inspect wait');
    await h.act(c().continueInspection(uuid, { data: { cpus: 32 } }));
    assert.equal((await expectState(uuid, 'manageable')).properties['cpus'], 32);
    await verb(uuid, 'inspect');
    await h.act(c().continueInspection(uuid));
    await expectState(uuid, 'manageable');
    await verb(uuid, 'inspect');
    await h.act(c().continueInspection(uuid, { error: 'agent lost' }));
    assert.match((await expectState(uuid, 'inspect failed')).lastError ?? '', /agent lost/);
    await verb(uuid, 'inspect');
    await verb(uuid, 'abort');
    await expectState(uuid, 'inspect failed');
    await verb(uuid, 'inspect');
    await timeOut();
    await expectState(uuid, 'inspect failed');
    await script(uuid, { async: [], fail: ['inspect'] });
    await verb(uuid, 'manage');
    await verb(uuid, 'inspect');
    await expectState(uuid, 'inspect failed');
  });

  it('adopts, and retries a failed adoption', async () => {
    const uuid = await manageable({ fail: ['deploy.take_over'] });
    await verb(uuid, 'adopt');
    assert.match(
      (await expectState(uuid, 'adopt failed')).lastError ?? '',
      /Error while attempting to adopt node/,
    );
    await verb(uuid, 'manage');
    await verb(uuid, 'adopt');
    await expectState(uuid, 'adopt failed');
    await script(uuid, { fail: [] });
    await verb(uuid, 'adopt');
    await expectState(uuid, 'active');
  });

  it('rescues and unrescues through every rescue state', async () => {
    const pw = { rescuePassword: 'hunter2' };
    const a = await active();
    await verb(a, 'rescue', pw);
    assert.equal((await expectState(a, 'rescue')).instanceInfo['rescue_password'], 'hunter2');
    await verb(a, 'rescue', pw);
    await expectState(a, 'rescue');
    await verb(a, 'unrescue');
    assert.equal((await expectState(a, 'active')).instanceInfo['rescue_password'], undefined);
    await script(a, { async: ['rescue'] });
    await verb(a, 'rescue', pw);
    await expectState(a, 'rescue wait');
    await h.act(c().continueRescue(a));
    await expectState(a, 'rescue');
    await verb(a, 'deleted');
    await expectState(a, 'available');

    const b = await active({ async: ['rescue'] });
    await verb(b, 'rescue', pw);
    await verb(b, 'abort');
    await expectState(b, 'rescue failed');
    await verb(b, 'rescue', pw);
    await timeOut();
    await expectState(b, 'rescue failed');
    await verb(b, 'rescue', pw);
    await expectState(b, 'rescue wait');
    await verb(b, 'deleted');
    await expectState(b, 'available');

    const d = await active({ fail: ['rescue'] });
    await verb(d, 'rescue', pw);
    assert.match(
      (await expectState(d, 'rescue failed')).lastError ?? '',
      /Failed to rescue instance/,
    );
    await verb(d, 'rescue', pw);
    await expectState(d, 'rescue failed');
    await script(d, { fail: ['unrescue'] });
    await verb(d, 'unrescue');
    await expectState(d, 'unrescue failed');
    await verb(d, 'unrescue');
    await expectState(d, 'unrescue failed');
    await script(d, { fail: [] });
    await verb(d, 'rescue', pw);
    await expectState(d, 'rescue');
    await script(d, { fail: ['unrescue'] });
    await verb(d, 'unrescue');
    await verb(d, 'deleted');
    await expectState(d, 'available');

    const e = await active({ fail: ['rescue'] });
    await verb(e, 'rescue', pw);
    await verb(e, 'unrescue');
    await expectState(e, 'active');
    await script(e, { fail: ['rescue'] });
    await verb(e, 'rescue', pw);
    await verb(e, 'deleted');
    await expectState(e, 'available');
  });

  it('services with reserved steps: waits, holds, fails and aborts', async () => {
    const on = [{ interface: 'power', step: 'power_on' }];
    const a = await active();
    await verb(a, 'service', { serviceSteps: on });
    await expectState(a, 'active');
    await verb(a, 'service', {
      serviceSteps: [
        { interface: 'deploy', step: 'wait' },
        { interface: 'deploy', step: 'hold' },
      ],
    });
    await expectState(a, 'service wait');
    await h.act(c().continueServicing(a));
    await expectState(a, 'service hold');
    await verb(a, 'unhold');
    await expectState(a, 'active');
    await verb(a, 'service', { serviceSteps: [{ interface: 'deploy', step: 'hold' }] });
    await expectState(a, 'service hold');
    await verb(a, 'service', { serviceSteps: on });
    await expectState(a, 'active');
    await verb(a, 'service', { serviceSteps: [{ interface: 'deploy', step: 'hold' }] });
    await verb(a, 'abort');
    await expectState(a, 'service failed');
    await verb(a, 'abort');
    await expectState(a, 'active');

    h.power.bmc(a).failing = true;
    await verb(a, 'service', { serviceSteps: [{ interface: 'power', step: 'power_off' }] });
    await expectState(a, 'service failed');
    h.power.bmc(a).failing = false;
    await verb(a, 'service', { serviceSteps: on });
    await expectState(a, 'active');
    await verb(a, 'service', { serviceSteps: [{ interface: 'deploy', step: 'hold' }] });
    await verb(a, 'abort');
    await verb(a, 'service', { serviceSteps: [{ interface: 'deploy', step: 'wait' }] });
    await expectState(a, 'service wait');
    await verb(a, 'abort');
    await verb(a, 'service', { serviceSteps: [{ interface: 'deploy', step: 'hold' }] });
    await expectState(a, 'service hold');
    await verb(a, 'service', { serviceSteps: [{ interface: 'deploy', step: 'wait' }] });
    await expectState(a, 'service wait');
    await timeOut();
    await expectState(a, 'service failed');
    await verb(a, 'rescue', { rescuePassword: 'x' });
    await expectState(a, 'rescue');
    await verb(a, 'unrescue');

    await verb(a, 'service', { serviceSteps: [{ interface: 'deploy', step: 'wait' }] });
    await verb(a, 'deleted');
    await expectState(a, 'available');

    const b = await active();
    await verb(b, 'service', { serviceSteps: [{ interface: 'deploy', step: 'hold' }] });
    await verb(b, 'abort');
    await verb(b, 'deleted');
    await expectState(b, 'available');
  });

  it('has walked the whole table (one transition no Ferrite operation reaches)', () => {
    const seen = new Set(h.transitions.map((t) => `${t.from} --${t.event}--> ${t.to}`));
    const missing: string[] = [];
    for (const [from, events] of Object.entries(TRANSITIONS)) {
      for (const [event, to] of Object.entries(events)) {
        const key = `${from} --${event}--> ${to}`;
        if (!seen.has(key)) missing.push(key);
      }
    }
    assert.deepEqual(missing, ['service hold --fail--> service failed']);
  });
});

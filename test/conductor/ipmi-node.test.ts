/**
 * An ipmi node through the conductor on real IPMI traffic: OpenIPMI's
 * ipmi_sim as its BMC, Ferrite's RMCP+ client in between. Provisioning
 * switches the simulator's power; power sync follows what the BMC says, and
 * a BMC that stops answering sends the node to maintenance until it answers
 * again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { POWER_FAILURE } from '../../src/conductor/periodic/power-sync.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import { startConductor } from '../support/conductor.ts';
import { drive } from '../support/drive.ts';
import { ipmiSimSuiteOptions, startIpmiSim } from '../support/ipmi-sim.ts';
import type { IpmiSim } from '../support/ipmi-sim.ts';
import { createSocket } from 'node:dgram';
import { startBmcFleet } from '../../src/lab/ipmi/fleet.ts';

describe('an ipmi node on ipmi_sim, through the conductor', ipmiSimSuiteOptions(), () => {
  let store: Store;
  let sim: IpmiSim;
  const clock = new SimulatedClock();

  before(async () => {
    store = await openStore('sqlite::memory:', { clock });
    sim = await startIpmiSim();
  });
  after(async () => {
    await sim.stop();
    await store.close();
  });

  it('is provisioned with real power changes, synced, quarantined while its BMC is gone and back after', async () => {
    const factory = createDriverFactory({
      clock,
      options: { ipmi: { requestTimeoutMs: 200, retries: 1, powerPollIntervalMs: 100 } },
    });
    const h = await startConductor(store, {}, { clock, factory });
    // Out of band only: the agent's deploy and network boot are the lab tests' business.
    const node = await h.conductor.createNode({
      driver: 'ipmi',
      name: 'ipmi-node',
      bootInterface: 'fake',
      deployInterface: 'fake',
      driverInfo: {
        ipmi_address: sim.host,
        ipmi_port: sim.port,
        ipmi_username: sim.username,
        ipmi_password: sim.password,
      },
    });
    assert.equal(node.powerInterface, 'ipmi');

    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    assert.equal((await h.node(node.uuid)).provisionState, 'manageable');
    assert.equal((await h.node(node.uuid)).powerState, 'power off', 'read from the BMC');

    await h.act(h.conductor.changeProvisionState(node.uuid, 'provide'));
    assert.equal((await h.node(node.uuid)).provisionState, 'available');
    await h.act(h.conductor.changeProvisionState(node.uuid, 'active'));
    const active = await h.node(node.uuid);
    assert.equal(active.provisionState, 'active', active.lastError ?? '');
    assert.equal(active.powerState, 'power on');
    assert.equal(sim.powerOn(), true, 'the deploy powered the simulated chassis on');

    // Someone switches it off at the BMC: power sync records what the BMC says.
    sim.setPower(false);
    await drive(clock, h.conductor.powerSync.sweep());
    assert.equal((await h.node(node.uuid)).powerState, 'power off');

    // The BMC dies: after max retries of failed sweeps, maintenance with a power failure.
    await sim.kill();
    for (let sweep = 0; sweep < 3; sweep++) await drive(clock, h.conductor.powerSync.sweep());
    const quarantined = await h.node(node.uuid);
    assert.equal(quarantined.maintenance, true);
    assert.equal(quarantined.fault, POWER_FAILURE);
    assert.match(quarantined.maintenanceReason ?? '', /IPMI call failed/);
    assert.doesNotMatch(quarantined.maintenanceReason ?? '', new RegExp(sim.password));

    // It comes back: recovery takes the node out of maintenance.
    await sim.start();
    assert.equal(await drive(clock, h.conductor.powerSync.recover()), 1);
    const back = await h.node(node.uuid);
    assert.equal(back.maintenance, false);
    assert.equal(back.fault, null);
    assert.equal(back.powerState, 'power off');

    await h.stop();
    await factory.close();
  });
});

describe('ipmi nodes whose BMC misbehaves, through the conductor', () => {
  const clock = new SimulatedClock();
  const options = { ipmi: { requestTimeoutMs: 100, retries: 1, powerPollIntervalMs: 100 } };

  async function manageFails(address: string, port: number, password: string): Promise<string> {
    const store = await openStore('sqlite::memory:', { clock });
    const factory = createDriverFactory({ clock, options });
    const h = await startConductor(store, {}, { clock, factory });
    try {
      const node = await h.conductor.createNode({
        driver: 'ipmi',
        driverInfo: {
          ipmi_address: address,
          ipmi_port: port,
          ipmi_username: 'admin',
          ipmi_password: password,
        },
      });
      await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
      const failed = await h.node(node.uuid);
      assert.equal(failed.provisionState, 'enroll');
      assert.equal(failed.reservation, null, 'the lock is released');
      assert.doesNotMatch(failed.lastError ?? '', new RegExp(password));
      return failed.lastError ?? '';
    } finally {
      await h.stop();
      await factory.close();
      await store.close();
    }
  }

  it('names a wrong password as such, and stays in enroll unlocked', async () => {
    const fleet = await startBmcFleet({ count: 1, password: 'the-right-one' });
    const bmc = fleet.bmcs[0];
    assert.ok(bmc);
    try {
      const error = await manageFails(bmc.host, bmc.port, 'a-wrong-password');
      assert.match(error, /IPMI call failed/);
      assert.match(error, /user name or password|authentication/i);
    } finally {
      await fleet.close();
    }
  });

  it('ignores a BMC that answers garbage and reports the timeout', async () => {
    const garbage = createSocket('udp4');
    let answered = 0;
    garbage.on('message', (_datagram, peer) => {
      answered++;
      garbage.send(
        Buffer.from([0x06, 0x00, 0xff, 0x07, 0xde, 0xad, 0xbe, 0xef]),
        peer.port,
        peer.address,
      );
    });
    await new Promise<void>((resolve) => garbage.bind(0, '127.0.0.1', resolve));
    try {
      const { port } = garbage.address();
      const error = await manageFails('127.0.0.1', port, 'whatever-secret');
      assert.ok(answered > 0, 'the garbage BMC was asked');
      assert.match(error, /IPMI call failed/);
      assert.match(error, new RegExp(`127\\.0\\.0\\.1:${String(port)}`));
      assert.match(error, /timed out|no answer|timeout/i);
    } finally {
      garbage.close();
    }
  });
});

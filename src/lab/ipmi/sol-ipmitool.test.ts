import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ipmitoolSuiteOptions,
  runIpmitool,
  runIpmitoolSol,
} from '../../../test/support/ipmitool.ts';
import { IpmiClient } from '../../drivers/modules/ipmi/client/ipmi-client.ts';
import { PrivilegeLevel } from '../../drivers/modules/ipmi/types.ts';
import type { BmcFleet, FleetBmc } from './fleet.ts';
import { startBmcFleet } from './fleet.ts';

describe('the BMC emulator’s SOL with the real ipmitool', ipmitoolSuiteOptions(), () => {
  let fleet: BmcFleet;
  let machine: FleetBmc;
  before(async () => {
    fleet = await startBmcFleet({ count: 1, password: 'sol-tool-secret' });
    const [first] = fleet.bmcs;
    assert.ok(first);
    machine = first;
  });
  after(() => fleet.close());
  const target = (cipherSuite: number) => ({
    host: machine.host,
    port: machine.port,
    username: fleet.username,
    password: fleet.password,
    cipherSuite,
  });

  for (const suite of [17, 3]) {
    it(`ipmitool -C ${String(suite)} sol activate: banner, echo of a typed line, ~. to leave`, async () => {
      const typed: string[] = [];
      const stop = machine.bmc.console.onInput((bytes) => typed.push(bytes.toString('latin1')));
      try {
        const run = await runIpmitoolSol(target(suite), [
          { expect: 'SOL Session operational' },
          { expect: 'ferrite-node login: ' },
          { send: `hello-sol-${String(suite)}\r` },
          { expect: `echo: hello-sol-${String(suite)}` },
          { send: '~.' },
        ]);
        assert.ok(run.ok, `${run.failure ?? ''}\n${run.transcript}`);
        assert.equal(run.status, 0, run.transcript);
        assert.equal(typed.join(''), `hello-sol-${String(suite)}\r`);
        assert.doesNotMatch(run.transcript, /sol-tool-secret/);
        // ipmitool deactivated the payload on its way out.
        assert.equal(machine.bmc.console.active, false);
      } finally {
        stop();
      }
    });
  }

  it('says SOL is busy to ipmitool while Ferrite has it, and ipmitool’s sol deactivate ends Ferrite’s', async () => {
    const client = new IpmiClient({ timeoutMs: 300, retries: 2 });
    try {
      const sol = await client.openSol({
        ...target(17),
        privilege: PrivilegeLevel.ADMINISTRATOR,
      });
      const busy = await runIpmitoolSol(target(17), [{ expect: 'already active' }]);
      assert.ok(busy.ok, `${busy.failure ?? ''}\n${busy.transcript}`);
      const deactivate = await runIpmitool(target(17), ['sol', 'deactivate']);
      assert.equal(deactivate.status, 0, deactivate.stderr);
      assert.deepEqual(await sol.closed, { reason: 'deactivated' });
      assert.equal(machine.bmc.console.active, false);
    } finally {
      await client.close();
    }
  });
});

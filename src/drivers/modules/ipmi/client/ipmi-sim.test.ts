/**
 * The client against OpenIPMI's ipmi_sim, a BMC implementation that is not
 * Ferrite's own (cipher suites up to 3; it has no 17).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IpmiSim } from '../../../../../test/support/ipmi-sim.ts';
import { ipmiSimSuiteOptions, startIpmiSim } from '../../../../../test/support/ipmi-sim.ts';
import type { BmcTarget } from '../types.ts';
import { IpmiError, PrivilegeLevel } from '../types.ts';
import { IpmiClient } from './ipmi-client.ts';

describe('IpmiClient with ipmi_sim', ipmiSimSuiteOptions(), () => {
  let sim: IpmiSim;
  let ipmi: IpmiClient;
  before(async () => {
    sim = await startIpmiSim({ powerOn: true });
    ipmi = new IpmiClient({ timeoutMs: 300, retries: 2 });
  });
  after(async () => {
    await ipmi.close();
    await sim.stop();
  });
  const target = (overrides: Partial<BmcTarget> = {}): BmcTarget => ({
    host: sim.host,
    port: sim.port,
    username: sim.username,
    password: sim.password,
    privilege: PrivilegeLevel.ADMINISTRATOR,
    ...overrides,
  });

  for (const cipherSuite of [3, undefined]) {
    it(`reads chassis status and device ID over cipher suite ${String(cipherSuite ?? 'negotiated')}`, async () => {
      const channel = ipmi.channel(target(cipherSuite === undefined ? {} : { cipherSuite }));
      sim.setPower(true);
      const status = await channel.request({ netFn: 0x00, command: 0x01 });
      assert.equal(status.completionCode, 0);
      assert.equal((status.data[0] ?? 0) & 0x01, 1, 'power on');
      sim.setPower(false);
      const off = await channel.request({ netFn: 0x00, command: 0x01 });
      assert.equal((off.data[0] ?? 1) & 0x01, 0, 'power off');
      const device = await channel.request({ netFn: 0x06, command: 0x01 });
      assert.equal(device.completionCode, 0);
      assert.ok(
        device.data.length >= 11,
        `Get Device ID answered ${String(device.data.length)} bytes`,
      );
      assert.equal(device.data[4], 0x02, 'IPMI version 2.0');
    });
  }

  it('reports a wrong password as authentication', async () => {
    await assert.rejects(
      ipmi
        .channel(target({ password: 'not-the-password', cipherSuite: 3 }))
        .request({ netFn: 6, command: 1 }),
      (error: unknown) => error instanceof IpmiError && error.kind === 'authentication',
    );
  });
});

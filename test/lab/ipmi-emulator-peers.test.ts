/**
 * Ferrite's BMC emulator (src/lab/ipmi) as the real clients see it:
 * ipmitool over lanplus with cipher suites 3 and 17, and FreeIPMI's
 * ipmipower and ipmi-sensors. What they are told must change the emulated
 * machine, and what they read must be what it holds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBmcFleet } from '../../src/lab/ipmi/fleet.ts';
import type { BmcFleet, FleetBmc } from '../../src/lab/ipmi/fleet.ts';
import { ipmitoolSuiteOptions, runIpmitool } from '../support/ipmitool.ts';
import { runProcess } from '../support/run-process.ts';
import type { IpmitoolTarget } from '../support/ipmitool.ts';

const PASSWORD = 'lab-bmc-secret';

async function freeipmi(program: string, args: readonly string[]): Promise<string> {
  const { stdout, stderr } = await runProcess(`/usr/sbin/${program}`, args);
  return stdout + stderr;
}

describe('the BMC emulator with ipmitool and FreeIPMI', ipmitoolSuiteOptions(), () => {
  let fleet: BmcFleet;
  let machine: FleetBmc;

  before(async () => {
    fleet = await startBmcFleet({ count: 2, password: PASSWORD });
    machine = fleet.bmcs[0] as FleetBmc;
  });
  after(async () => {
    await fleet.close();
  });

  const target = (cipherSuite: number): IpmitoolTarget => ({
    host: machine.host,
    port: machine.port,
    username: fleet.username,
    password: PASSWORD,
    cipherSuite,
  });

  for (const suite of [3, 17]) {
    it(`switches power and reads it back with ipmitool -C ${String(suite)}`, async () => {
      machine.bmc.powerOn = false;
      const off = await runIpmitool(target(suite), ['power', 'status']);
      assert.equal(off.stdout.trim(), 'Chassis Power is off', off.stderr);
      const on = await runIpmitool(target(suite), ['power', 'on']);
      assert.match(on.stdout, /Chassis Power Control: Up\/On/, on.stderr);
      assert.equal(machine.bmc.powerOn, true);
      const status = await runIpmitool(target(suite), ['chassis', 'status']);
      assert.match(status.stdout, /System Power\s+: on/);
      await runIpmitool(target(suite), ['power', 'off']);
      assert.equal(machine.bmc.powerOn, false);
    });
  }

  it('keeps the boot device with its options as ipmitool sets them', async () => {
    const set = await runIpmitool(target(17), [
      'chassis',
      'bootdev',
      'pxe',
      'options=persistent,efiboot',
    ]);
    assert.equal(set.status, 0, set.stderr);
    // Parameter 5: valid, persistent, EFI; device selector PXE (0001b in bits 5:2).
    const flags = machine.bmc.bootOption(5);
    assert.ok(flags);
    assert.equal((flags[0] ?? 0) & 0xe0, 0xe0);
    assert.equal(((flags[1] ?? 0) >> 2) & 0x0f, 1);
    const read = await runIpmitool(target(17), ['chassis', 'bootparam', 'get', '5']);
    assert.match(read.stdout, /Options apply to all future boots/);
    assert.match(read.stdout, /BIOS EFI boot/);
    assert.match(read.stdout, /Force PXE/);
    await runIpmitool(target(3), ['chassis', 'bootdev', 'disk']);
    const disk = machine.bmc.bootOption(5);
    assert.equal(((disk?.[1] ?? 0) >> 2) & 0x0f, 2);
    assert.equal((disk?.[0] ?? 0) & 0x40, 0, 'next boot only');
  });

  it('lists its sensors to ipmitool sdr and sensor', async () => {
    const sdr = await runIpmitool(target(17), ['sdr', 'list', 'full']);
    assert.equal(sdr.status, 0, sdr.stderr);
    assert.match(sdr.stdout, /CPU Temp\s+\|\s+\d+(\.\d+)? degrees C\s+\|\s+ok/);
    assert.match(sdr.stdout, /Fan 1\s+\|\s+\d+(\.\d+)? RPM/);
    const sensors = await runIpmitool(target(3), ['sensor', 'list']);
    assert.match(sensors.stdout, /Inlet Temp\s+\|/);
    assert.match(sensors.stdout, /12V\s+\|\s+\d+\.\d+\s+\|\s+Volts/);
  });

  it('answers Get Device ID as ipmitool mc info reads it', async () => {
    const info = await runIpmitool(target(17), ['mc', 'info']);
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stdout, /IPMI Version\s+: 2\.0/);
    assert.match(info.stdout, /Firmware Revision\s+: 2\.10/);
  });

  it('refuses a wrong password', async () => {
    const wrong = await runIpmitool({ ...target(17), password: 'not-it' }, ['power', 'status']);
    assert.notEqual(wrong.status, 0);
    assert.doesNotMatch(wrong.stdout, /Chassis Power is/);
  });

  it('answers FreeIPMI: ipmipower on both BMCs at once, ipmi-sensors', async () => {
    const [first, second] = fleet.bmcs as [FleetBmc, FleetBmc];
    first.bmc.powerOn = true;
    second.bmc.powerOn = false;
    const hosts = fleet.bmcs.map((b) => `${b.host}:${String(b.port)}`).join(',');
    const common = ['-D', 'LAN_2_0', '-u', fleet.username, '-p', PASSWORD, '-I', '17'];
    // ipmipower names each host without its port: one answers on, the other off.
    const status = await freeipmi('ipmipower', [...common, '-h', hosts, '--stat']);
    assert.deepEqual(status.trim().split('\n').sort(), [`${first.host}: off`, `${first.host}: on`]);
    const one = await freeipmi('ipmipower', [
      ...common,
      '-h',
      `${first.host}:${String(first.port)}`,
      '--stat',
    ]);
    assert.equal(one.trim(), `${first.host}: on`);
    await freeipmi('ipmipower', [...common, '-h', `${second.host}:${String(second.port)}`, '--on']);
    assert.equal(second.bmc.powerOn, true);
    const sensors = await freeipmi('ipmi-sensors', [
      ...common,
      '-h',
      `${first.host}:${String(first.port)}`,
    ]);
    assert.match(sensors, /CPU Temp\s+\|\s+Temperature\s+\|\s+\d+\.\d+\s+\|\s+C/);
  });
});

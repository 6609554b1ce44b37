/**
 * The shared power, management, vendor and console contracts against the
 * ipmi interfaces on real IPMI traffic: OpenIPMI's ipmi_sim (a BMC
 * simulator from another project, cipher suite 3) and Ferrite's own BMC
 * emulator (suite 17).
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { BootDevice } from '../../src/common/boot-devices.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { isFerriteError } from '../../src/common/errors.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import { IpmiVendor } from '../../src/drivers/modules/ipmi/vendor.ts';
import { IPMI_CONSOLE_PORT_KEY } from '../../src/drivers/modules/ipmi/console.ts';
import type { InterfaceMap } from '../../src/drivers/driver.ts';
import type { JsonObject } from '../../src/common/json.ts';
import { TestTask } from '../support/task.ts';
import { transcript } from '../support/transcript.ts';
import { ipmiSimSuiteOptions, startIpmiSim } from '../support/ipmi-sim.ts';
import { startBmcFleet } from '../../src/lab/ipmi/fleet.ts';
import type { BmcFleetOptions, FleetBmc } from '../../src/lab/ipmi/fleet.ts';
import { consoleContract } from './console.contract.ts';
import { managementContract } from './management.contract.ts';
import { powerContract } from './power.contract.ts';
import { vendorContract } from './vendor.contract.ts';
import type { ContractFixture, ContractSubject } from './subject.ts';

/** Short request timeouts: every BMC here is on loopback. */
const IPMI_OPTIONS = { requestTimeoutMs: 300, retries: 2, powerPollIntervalMs: 100 };

type IpmiInterface = 'power' | 'management' | 'vendor' | 'console';

async function onBmc<K extends IpmiInterface>(
  type: K,
  driverInfo: JsonObject,
  tearDown: () => Promise<void>,
): Promise<ContractFixture<InterfaceMap[K]>> {
  const clock = new SimulatedClock();
  const factory = createDriverFactory({ clock, options: { ipmi: IPMI_OPTIONS } });
  const driver = factory.compose({ driver: 'ipmi' });
  const task = new TestTask(driver, { clock, node: { driver: 'ipmi', driverInfo } });
  return {
    impl: factory.instance(type, 'ipmi'),
    task,
    clock,
    tearDown: async () => {
      await factory.close();
      await tearDown();
    },
  };
}

function onIpmiSim<K extends 'power' | 'management'>(type: K): ContractSubject<InterfaceMap[K]> {
  return {
    name: `${type}/ipmi on ipmi_sim (cipher suite 3)`,
    setUp: async () => {
      const sim = await startIpmiSim();
      return onBmc(
        type,
        {
          ipmi_address: sim.host,
          ipmi_port: sim.port,
          ipmi_username: sim.username,
          ipmi_password: sim.password,
          ipmi_cipher_suite: 3,
        },
        () => sim.stop(),
      );
    },
  };
}

describe('ipmi interfaces on OpenIPMI’s ipmi_sim', ipmiSimSuiteOptions(), () => {
  powerContract(onIpmiSim('power'));
  // ipmi_sim keeps the boot device selector only, has no "safe" boot and refuses NMIs.
  managementContract(onIpmiSim('management'), {
    persistenceReadBack: false,
    nmiRefusedWith: 'IPMIFailure',
    readBackDevices: [BootDevice.PXE, BootDevice.DISK, BootDevice.CDROM, BootDevice.BIOS],
  });
});

/** One emulated BMC and an implementation of `type` on a node that it manages. */
async function onEmulatedBmc<K extends IpmiInterface>(
  type: K,
  fleetOptions: Omit<BmcFleetOptions, 'count'> = {},
  driverInfo: JsonObject = {},
): Promise<{ fixture: ContractFixture<InterfaceMap[K]>; machine: FleetBmc }> {
  const fleet = await startBmcFleet({ count: 1, ...fleetOptions });
  const [machine] = fleet.bmcs;
  if (machine === undefined) throw new Error('no BMC started');
  const fixture = await onBmc(
    type,
    {
      ipmi_address: machine.host,
      ipmi_port: machine.port,
      ipmi_username: fleet.username,
      ipmi_password: fleet.password,
      ...driverInfo,
    },
    () => fleet.close(),
  );
  return { fixture, machine };
}

function onEmulator<K extends IpmiInterface>(type: K): ContractSubject<InterfaceMap[K]> {
  return {
    name: `${type}/ipmi on Ferrite’s BMC emulator (cipher suite 17)`,
    setUp: async () => {
      // Powered on: a BMC refuses a diagnostic interrupt to a host that is off.
      const { fixture } = await onEmulatedBmc(
        type,
        { password: 'emulated-secret', bmc: () => ({ powerOn: true }) },
        { ipmi_cipher_suite: 17 },
      );
      return fixture;
    },
  };
}

describe('ipmi interfaces on Ferrite’s BMC emulator', () => {
  powerContract(onEmulator('power'));
  // The emulator keeps every byte of the boot flags: persistence reads back.
  managementContract(onEmulator('management'));
  vendorContract(onEmulator('vendor'));
  consoleContract(onEmulator('console'));
});

describe('ipmi vendor methods on Ferrite’s BMC emulator', () => {
  it('sends raw requests and resets the BMC, refusing bytes that are not bytes', async () => {
    const { fixture, machine } = await onEmulatedBmc('vendor');
    const vendor = fixture.impl;
    assert.ok(vendor instanceof IpmiVendor);
    try {
      // Get Device ID: the emulator's device id is 0x20, IPMI version 2.0 (0x02).
      const answer = await vendor.sendRaw(fixture.task, { raw_bytes: '0x06 0x01' });
      assert.equal(answer['completion_code'], '0x00');
      assert.match(answer['data'] as string, /^0x20 0x01 0x02 0x10 0x02 /);
      const unknown = await vendor.sendRaw(fixture.task, { raw_bytes: '0x06 0x77' });
      assert.equal(unknown['completion_code'], '0xc1');
      await vendor.bmcReset(fixture.task, {});
      await vendor.bmcReset(fixture.task, { warm: 'false' });
      assert.equal(machine.bmc.bmcResets, 2);
      for (const raw_bytes of ['0x06', '0x100 0x01', 'six one', '']) {
        await assert.rejects(vendor.validate(fixture.task, 'send_raw', { raw_bytes }), (error) =>
          isFerriteError(error),
        );
      }
    } finally {
      await fixture.tearDown?.();
    }
  });
});

/** A TCP client of a console URL that collects what it reads. */
async function consoleClient(url: string): Promise<{
  socket: Socket;
  waitFor(needle: string): Promise<string>;
  closed: Promise<void>;
}> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const seen = transcript();
  socket.on('data', (chunk: Buffer) => seen.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed, waitFor: (needle) => seen.waitFor(needle) };
}

describe('ipmi console on Ferrite’s BMC emulator, over TCP', () => {
  it('bridges a TCP client to SOL: banner, echo, one client at a time, closed by stopConsole', async () => {
    const { fixture, machine } = await onEmulatedBmc(
      'console',
      { password: 'console-secret' },
      { ipmi_cipher_suite: 17 },
    );
    const { impl, task } = fixture;
    try {
      await impl.startConsole(task);
      const info = await impl.getConsole(task);
      assert.equal(info.type, 'socat');
      assert.match(info.url, /^tcp:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(
        task.node.driverInternalInfo[IPMI_CONSOLE_PORT_KEY],
        Number(new URL(info.url).port),
      );

      const first = await consoleClient(info.url);
      await first.waitFor('ferrite-node login: ');
      first.socket.write('hello-console\r');
      await first.waitFor('echo: hello-console');
      assert.equal(machine.bmc.console.active, true);

      const second = await consoleClient(info.url);
      await second.waitFor('in use by another connection');
      await second.closed;

      await impl.stopConsole(task);
      await first.closed;
      assert.equal(machine.bmc.console.active, false, 'SOL was deactivated');
      assert.equal(task.node.driverInternalInfo[IPMI_CONSOLE_PORT_KEY], undefined);
      await assert.rejects(consoleClient(info.url), /ECONNREFUSED/);
      assert.doesNotMatch(JSON.stringify(await first.waitFor('')), /console-secret/);
    } finally {
      await fixture.tearDown?.();
    }
  });

  it('closes the listeners and SOL sessions with the driver factory', async () => {
    const { fixture, machine } = await onEmulatedBmc('console');
    const { impl, task } = fixture;
    await impl.startConsole(task);
    const { url } = await impl.getConsole(task);
    const client = await consoleClient(url);
    await client.waitFor('login: ');
    await fixture.tearDown?.();
    await client.closed;
    assert.equal(machine.bmc.console.active, false);
  });
});

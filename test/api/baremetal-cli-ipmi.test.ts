// An `ipmi` node, end to end through the real Bare Metal client: `baremetal`
// talks to `ferrite serve`, which talks IPMI 2.0 (RMCP+) to Ferrite's BMC
// emulator. Every command must change (or read) the emulated machine, and
// the serial console the API hands out must reach the machine's serial port.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startBmcFleet } from '../../src/lab/ipmi/fleet.ts';
import type { BmcFleet, FleetBmc } from '../../src/lab/ipmi/fleet.ts';
import {
  asObject,
  CliRunner,
  clientEnv,
  describeRun,
  requireClient,
  skip,
} from '../support/baremetal-cli.ts';
import { startServe } from '../support/serve.ts';
import { transcript } from '../support/transcript.ts';
import type { ServeProcess } from '../support/serve.ts';

// IPMI 2.0 passwords are 20 bytes at most.
const SECRET = `bmc-${randomUUID().slice(0, 13)}`;
const NODE = 'ipmi-cli-node';

describe('an ipmi node through the Bare Metal client and ferrite serve', { skip }, () => {
  let serve: ServeProcess | undefined;
  let fleet: BmcFleet | undefined;
  let machine: FleetBmc;
  let env: NodeJS.ProcessEnv = {};
  const cli = new CliRunner(() => env);

  before(async () => {
    requireClient();
    fleet = await startBmcFleet({ count: 1, password: SECRET });
    machine = fleet.bmcs[0] as FleetBmc;
    serve = await startServe('ferrite-cli-ipmi-');
    env = clientEnv(serve.url, serve.dir);
  });

  after(async () => {
    await serve?.stop();
    await fleet?.close();
  });

  it('enrols the node with its BMC and validates power, management, console and vendor', async () => {
    const created = asObject(
      await cli.bmJson(
        'node',
        'create',
        '--driver',
        'ipmi',
        '--name',
        NODE,
        '--driver-info',
        `ipmi_address=${machine.host}`,
        '--driver-info',
        `ipmi_port=${String(machine.port)}`,
        '--driver-info',
        'ipmi_username=admin',
        '--driver-info',
        `ipmi_password=${SECRET}`,
      ),
      'node create',
    );
    assert.equal(created['power_interface'], 'ipmi');
    assert.equal(created['console_interface'], 'ipmi');
    assert.equal(asObject(created['driver_info'], 'driver_info')['ipmi_password'], '******');
    const validate = await cli.bmJson('node', 'validate', NODE);
    const results = Object.fromEntries(
      (validate as { Interface: string; Result: boolean }[]).map((r) => [r.Interface, r.Result]),
    );
    for (const iface of ['power', 'management', 'console', 'vendor']) {
      assert.equal(results[iface], true, `${iface}: ${JSON.stringify(validate)}`);
    }
  });

  it('manages the node, reading its power from the BMC, and switches the machine on and off', async () => {
    machine.bmc.powerOn = false;
    await cli.bmOk('node', 'manage', NODE);
    const managed = await cli.waitFor(NODE, 'provision_state', 'manageable');
    assert.equal(managed['last_error'], null);
    await cli.waitFor(NODE, 'power_state', 'power off');
    await cli.bmOk('node', 'power', 'on', NODE);
    await cli.waitFor(NODE, 'power_state', 'power on');
    assert.equal(machine.bmc.powerOn, true, 'the emulated machine is on');
    await cli.bmOk('node', 'power', 'off', NODE);
    await cli.waitFor(NODE, 'power_state', 'power off');
    assert.equal(machine.bmc.powerOn, false);
  });

  it('sets the boot device on the BMC, persistent, and reads it back', async () => {
    await cli.bmOk('node', 'boot', 'device', 'set', NODE, 'pxe', '--persistent');
    const flags = machine.bmc.bootOption(5);
    assert.ok(flags);
    // Valid and persistent, device selector PXE (bits 5:2 of the second byte).
    assert.equal((flags[0] ?? 0) & 0xc0, 0xc0);
    assert.equal(((flags[1] ?? 0) >> 2) & 0x0f, 1);
    const shown = await cli.bmJson('node', 'boot', 'device', 'show', NODE);
    assert.deepEqual(shown, { boot_device: 'pxe', persistent: true });
  });

  it('calls the BMC through vendor passthru', async () => {
    const listed = await cli.bm('node', 'passthru', 'list', NODE, '-f', 'json');
    assert.match(listed.stdout, /send_raw/, describeRun(listed));
    assert.match(listed.stdout, /bmc_reset/);
    const raw = await cli.bmOk(
      'node',
      'passthru',
      'call',
      NODE,
      'send_raw',
      '--arg',
      'raw_bytes=0x06 0x01',
    );
    assert.match(raw.stdout, /0x00/, 'completion code');
    assert.match(raw.stdout, /0x20 0x01 0x02/, 'device id, revision, firmware');
  });

  it('enables the serial console, which reaches the machine over Serial-over-LAN', async () => {
    await cli.bmOk('node', 'console', 'enable', NODE);
    let info: Record<string, unknown> = {};
    for (let attempt = 0; attempt < 30; attempt++) {
      info = asObject(await cli.bmJson('node', 'console', 'show', NODE), 'console show');
      if (info['console_enabled'] === true && info['console_info'] !== null) break;
    }
    assert.equal(info['console_enabled'], true, JSON.stringify(info));
    const console = asObject(info['console_info'], 'console_info');
    assert.equal(console['type'], 'socat');
    const url = new URL(String(console['url']));
    assert.equal(url.protocol, 'tcp:');
    const socket = connect(Number(url.port), url.hostname);
    const seen = transcript();
    socket.on('data', (chunk: Buffer) => seen.push(chunk));
    try {
      await seen.waitFor('login:', 10_000);
      socket.write('hello-from-baremetal\r');
      await seen.waitFor('echo: hello-from-baremetal', 10_000);
    } finally {
      socket.destroy();
    }
    await cli.bmOk('node', 'console', 'disable', NODE);
    let disabled: Record<string, unknown> = {};
    for (let attempt = 0; attempt < 30; attempt++) {
      disabled = asObject(await cli.bmJson('node', 'console', 'show', NODE), 'console show');
      if (disabled['console_enabled'] === false) break;
    }
    assert.equal(disabled['console_enabled'], false, JSON.stringify(disabled));
  });

  it('deletes the node, and never shows the BMC password', async () => {
    await cli.bmOk('node', 'delete', NODE);
    assert.ok(cli.outputs.length > 0);
    for (const r of cli.outputs) {
      assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), describeRun(r));
    }
  });
});

// The real Bare Metal command-line client (Debian's python3-ironicclient and
// python3-openstackclient) against a real `ferrite serve`: every command an
// operator uses to enrol, provision and retire a machine, with its output
// checked, not only its exit code. scripts/ensure-openstack-client.sh
// installs the client; under CI=true a missing client fails this suite.
//
// Each command starts a Python interpreter (about a second), so independent
// commands run concurrently, and waiting for a node re-runs `node show` in a
// bounded loop: the client's own start-up paces it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import {
  asObject,
  assertOk,
  asRows,
  CliRunner,
  clientEnv,
  describeRun,
  INSTALL_HINT,
  missing,
  OPENSTACK,
  parsed,
  requireClient,
  type Row,
  skip,
  sortedBy,
} from '../support/baremetal-cli.ts';
import { startServe } from '../support/serve.ts';
import type { ServeProcess } from '../support/serve.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The password given in driver_info: it must never appear in any output. */
const SECRET = `ferrite-secret-${randomUUID()}`;
const MASK = '******';
const IMAGE = 'http://images.example.org/ferrite-test.qcow2';
const MAC_A = '52:54:00:fe:00:0a';
const MAC_B = '52:54:00:fe:00:0b';
const LINK = { switch_id: '00:1c:73:00:00:01', port_id: 'Ethernet1/7', switch_info: 'tor-1' };
const RAID_CLEAN_STEP = [{ interface: 'raid', step: 'delete_configuration' }];

// Under CI=true a missing client is a failure, counted as one; without CI, a skip with the reason.
it('finds the Bare Metal client installed', { skip }, () => {
  assert.deepEqual(missing, [], `the Bare Metal client is not installed: ${INSTALL_HINT}`);
});

describe('the Bare Metal command-line client against ferrite serve', { skip }, () => {
  let serve: ServeProcess | undefined;
  let env: NodeJS.ProcessEnv;

  const cli = new CliRunner(() => env);
  const { outputs } = cli;
  const run = (program: string, args: readonly string[]) => cli.run(program, args);
  const bm = (...args: string[]) => cli.bm(...args);
  const bmJson = (...args: string[]) => cli.bmJson(...args);
  const bmOk = (...args: string[]) => cli.bmOk(...args);
  const waitFor = (node: string, field: 'provision_state' | 'power_state', want: string) =>
    cli.waitFor(node, field, want);

  let uuidA = '';
  let uuidB = '';
  let portA = '';
  let portB = '';

  before(async () => {
    requireClient();
    serve = await startServe('ferrite-cli-');
    env = clientEnv(serve.url, serve.dir);
  });

  after(async () => {
    await serve?.stop();
  });

  it('lists and shows the hardware types, through both baremetal and openstack baremetal', async () => {
    const [list, openstackList, show, properties] = await Promise.all([
      bmJson('driver', 'list'),
      run(OPENSTACK, ['baremetal', 'driver', 'list', '-f', 'json']).then(parsed),
      bmJson('driver', 'show', 'fake-hardware'),
      bmJson('driver', 'property', 'list', 'fake-hardware'),
    ]);
    const host = hostname();
    assert.deepEqual(sortedBy(asRows(list, 'driver list'), 'Supported driver(s)'), [
      { 'Supported driver(s)': 'fake-hardware', 'Active host(s)': host },
      { 'Supported driver(s)': 'ipmi', 'Active host(s)': host },
      { 'Supported driver(s)': 'manual-management', 'Active host(s)': host },
      { 'Supported driver(s)': 'redfish', 'Active host(s)': host },
    ]);
    assert.deepEqual(openstackList, list);

    const driver = asObject(show, 'driver show');
    assert.equal(driver['name'], 'fake-hardware');
    assert.equal(driver['type'], 'dynamic');
    assert.equal(driver['hosts'], host);
    for (const iface of ['boot', 'deploy', 'management', 'power', 'vendor']) {
      assert.equal(driver[`default_${iface}_interface`], 'fake', iface);
    }
    assert.equal(driver['enabled_vendor_interfaces'], 'fake, no-vendor');

    const props = asRows(properties, 'driver property list');
    const fakeHardware = props.find((p) => p['Property'] === 'fake_hardware');
    assert.ok(fakeHardware, JSON.stringify(props));
    assert.match(String(fakeHardware['Description']), /cpus, cpu_arch, memory_mb, local_gb/);
  });

  it('creates nodes, with the password in driver_info masked', async () => {
    const [a, b] = await Promise.all([
      bmJson(
        'node',
        'create',
        '--driver',
        'fake-hardware',
        '--name',
        'ferrite-a',
        '--driver-info',
        `fake_password=${SECRET}`,
        '--driver-info',
        'fake_username=admin',
        '--property',
        'cpus=8',
        '--property',
        'memory_mb=16384',
        '--extra',
        'rack=r1',
      ),
      bmJson('node', 'create', '--driver', 'manual-management', '--name', 'ferrite-b'),
    ]);
    const nodeA = asObject(a, 'node create');
    const nodeB = asObject(b, 'node create');
    uuidA = String(nodeA['uuid']);
    uuidB = String(nodeB['uuid']);
    assert.match(uuidA, UUID);
    assert.match(uuidB, UUID);
    assert.equal(nodeA['name'], 'ferrite-a');
    assert.equal(nodeA['driver'], 'fake-hardware');
    assert.equal(nodeA['provision_state'], 'enroll');
    assert.equal(nodeA['maintenance'], false);
    assert.deepEqual(nodeA['driver_info'], { fake_password: MASK, fake_username: 'admin' });
    assert.deepEqual(nodeA['properties'], { cpus: 8, memory_mb: 16384 });
    assert.deepEqual(nodeA['extra'], { rack: 'r1' });
    assert.equal(nodeA['power_interface'], 'fake');
    assert.equal(nodeB['driver'], 'manual-management');
    assert.equal(nodeB['provision_state'], 'enroll');
  });

  it('lists nodes plainly, long, with chosen fields and filtered, and shows one by name', async () => {
    const [plain, long, fields, enroll, byDriver, show] = await Promise.all([
      bmJson('node', 'list'),
      bmJson('node', 'list', '--long'),
      bmJson('node', 'list', '--fields', 'uuid', 'name'),
      bmJson('node', 'list', '--provision-state', 'enroll'),
      bmJson('node', 'list', '--driver', 'manual-management'),
      bmJson('node', 'show', 'ferrite-a'),
    ]);
    const rowOf = (uuid: string, name: string) => ({
      UUID: uuid,
      Name: name,
      'Instance UUID': null,
      'Power State': null,
      'Provisioning State': 'enroll',
      Maintenance: false,
    });
    const both = sortedBy([rowOf(uuidA, 'ferrite-a'), rowOf(uuidB, 'ferrite-b')], 'UUID');
    assert.deepEqual(sortedBy(asRows(plain, 'node list'), 'UUID'), both);
    assert.deepEqual(sortedBy(asRows(enroll, 'node list --provision-state'), 'UUID'), both);
    assert.deepEqual(asRows(byDriver, 'node list --driver'), [rowOf(uuidB, 'ferrite-b')]);
    assert.deepEqual(
      sortedBy(asRows(fields, 'node list --fields'), 'UUID'),
      sortedBy(
        [
          { UUID: uuidA, Name: 'ferrite-a' },
          { UUID: uuidB, Name: 'ferrite-b' },
        ],
        'UUID',
      ),
    );

    const longA = asRows(long, 'node list --long').find((r) => r['UUID'] === uuidA);
    assert.ok(longA, JSON.stringify(long));
    assert.equal(longA['Name'], 'ferrite-a');
    assert.equal(longA['Driver'], 'fake-hardware');
    assert.deepEqual(longA['Driver Info'], { fake_password: MASK, fake_username: 'admin' });
    assert.deepEqual(longA['Properties'], { cpus: 8, memory_mb: 16384 });
    assert.equal(longA['Provisioning State'], 'enroll');

    const nodeA = asObject(show, 'node show');
    assert.equal(nodeA['uuid'], uuidA);
    assert.equal(nodeA['name'], 'ferrite-a');
    assert.deepEqual(nodeA['driver_info'], { fake_password: MASK, fake_username: 'admin' });
  });

  it('sets and unsets properties, extra and driver_info', async () => {
    await bmOk(
      'node',
      'set',
      'ferrite-a',
      '--property',
      'local_gb=100',
      '--extra',
      'owner_team=ops',
      '--driver-info',
      'fake_address=10.0.0.5',
    );
    await bmOk(
      'node',
      'unset',
      'ferrite-a',
      '--property',
      'memory_mb',
      '--extra',
      'rack',
      '--driver-info',
      'fake_username',
    );
    const node = asObject(
      await bmJson(
        'node',
        'show',
        'ferrite-a',
        '-c',
        'properties',
        '-c',
        'extra',
        '-c',
        'driver_info',
      ),
      'node show',
    );
    assert.deepEqual(node, {
      driver_info: { fake_password: MASK, fake_address: '10.0.0.5' },
      extra: { owner_team: 'ops' },
      properties: { cpus: 8, local_gb: 100 },
    });
  });

  it('creates ports with a local link connection and PXE on or off', async () => {
    const [a, b] = await Promise.all([
      bmJson(
        'port',
        'create',
        MAC_A,
        '--node',
        uuidA,
        ...Object.entries(LINK).flatMap(([k, v]) => ['--local-link-connection', `${k}=${v}`]),
        '--pxe-enabled',
        'true',
      ),
      bmJson('port', 'create', MAC_B, '--node', uuidB, '--pxe-enabled', 'false'),
    ]);
    const created = asObject(a, 'port create');
    portA = String(created['uuid']);
    portB = String(asObject(b, 'port create')['uuid']);
    assert.match(portA, UUID);
    assert.equal(created['address'], MAC_A);
    assert.equal(created['node_uuid'], uuidA);
    assert.equal(created['pxe_enabled'], true);
    assert.deepEqual(created['local_link_connection'], LINK);
  });

  it('lists ports, also by node and in full, and shows one by UUID and by address', async () => {
    const [list, ofA, show, longOfA, byAddress] = await Promise.all([
      bm('port', 'list', '-f', 'json'),
      bm('port', 'list', '--node', 'ferrite-a', '-f', 'json'),
      bm('port', 'show', portA, '-f', 'json'),
      bm('port', 'list', '--node', 'ferrite-a', '--long', '-f', 'json'),
      bm('port', 'show', '--address', MAC_B, '-f', 'json'),
    ]);
    assert.deepEqual(sortedBy(asRows(parsed(list), 'port list'), 'Address'), [
      { UUID: portA, Address: MAC_A },
      { UUID: portB, Address: MAC_B },
    ]);
    assert.deepEqual(asRows(parsed(ofA), 'port list --node'), [{ UUID: portA, Address: MAC_A }]);
    const shown = asObject(parsed(show), 'port show');
    assert.equal(shown['uuid'], portA);
    assert.equal(shown['node_uuid'], uuidA);
    assert.equal(shown['pxe_enabled'], true);
    assert.deepEqual(shown['local_link_connection'], LINK);
    const long = asRows(parsed(longOfA), 'port list --node --long');
    assert.deepEqual(
      long.map((p) => [
        p['UUID'],
        p['Node UUID'],
        p['PXE boot enabled'],
        p['Local Link Connection'],
      ]),
      [[portA, uuidA, true, LINK]],
    );
    const shownB = asObject(parsed(byAddress), 'port show --address');
    assert.equal(shownB['uuid'], portB);
    assert.equal(shownB['node_uuid'], uuidB);
    assert.equal(shownB['pxe_enabled'], false);
  });

  it('deletes a port', async () => {
    const deleted = await bmOk('port', 'delete', portB);
    assert.match(deleted.stdout + deleted.stderr, new RegExp(`Deleted port ${portB}`));
    assert.deepEqual(asRows(await bmJson('port', 'list'), 'port list'), [
      { UUID: portA, Address: MAC_A },
    ]);
  });

  it('validates every interface of a fake-hardware node', async () => {
    const rows = asRows(await bmJson('node', 'validate', 'ferrite-a'), 'node validate');
    const results = Object.fromEntries(rows.map((r) => [String(r['Interface']), r['Result']]));
    for (const iface of [
      'boot',
      'console',
      'deploy',
      'inspect',
      'management',
      'network',
      'power',
      'raid',
      'rescue',
      'storage',
      'vendor',
    ]) {
      assert.equal(results[iface], true, `${iface}: ${JSON.stringify(rows)}`);
    }
  });

  it('manages a node and runs a manual clean step', async () => {
    await bmOk('node', 'manage', 'ferrite-a');
    const managed = await waitFor('ferrite-a', 'provision_state', 'manageable');
    assert.equal(managed['last_error'], null);

    const unknown = await bm(
      'node',
      'clean',
      'ferrite-a',
      '--clean-steps',
      JSON.stringify([{ interface: 'raid', step: 'no_such_step' }]),
    );
    assert.notEqual(unknown.code, 0, describeRun(unknown));
    assert.match(unknown.stderr, /no_such_step/);
    assert.match(unknown.stderr, /HTTP 400/);

    await bmOk('node', 'clean', 'ferrite-a', '--clean-steps', JSON.stringify(RAID_CLEAN_STEP));
    await waitFor('ferrite-a', 'provision_state', 'manageable');
    const node = asObject(
      await bmJson(
        'node',
        'show',
        'ferrite-a',
        '-c',
        'last_error',
        '-c',
        'clean_step',
        '-c',
        'raid_config',
        '-c',
        'power_state',
      ),
      'node show',
    );
    assert.deepEqual(node, {
      clean_step: {},
      last_error: null,
      power_state: 'power off',
      raid_config: {},
    });
  });

  it('provides a node and deploys it with instance_info', async () => {
    await bmOk('node', 'provide', 'ferrite-a');
    await waitFor('ferrite-a', 'provision_state', 'available');
    const setImage = await bm(
      'node',
      'set',
      'ferrite-a',
      '--instance-info',
      `image_source=${IMAGE}`,
    );
    await bmOk('node', 'deploy', 'ferrite-a');
    const active = await waitFor('ferrite-a', 'provision_state', 'active');
    assert.equal(active['last_error'], null);
    assertOk(setImage);
    const node = asObject(
      await bmJson('node', 'show', 'ferrite-a', '-c', 'instance_info', '-c', 'power_state'),
      'node show',
    );
    assert.equal(node['power_state'], 'power on');
    assert.equal(asObject(node['instance_info'], 'instance_info')['image_source'], IMAGE);
  });

  it('powers a node off and on, and sets and reads its boot device', async () => {
    await bmOk('node', 'power', 'off', 'ferrite-a');
    await waitFor('ferrite-a', 'power_state', 'power off');
    await bmOk('node', 'power', 'on', 'ferrite-a');
    await waitFor('ferrite-a', 'power_state', 'power on');

    await bmOk('node', 'boot', 'device', 'set', 'ferrite-a', 'pxe', '--persistent');
    const [device, supported] = await Promise.all([
      bmJson('node', 'boot', 'device', 'show', 'ferrite-a'),
      bmJson('node', 'boot', 'device', 'show', 'ferrite-a', '--supported'),
    ]);
    assert.deepEqual(device, { boot_device: 'pxe', persistent: true });
    const devices = String(asObject(supported, 'supported')['supported_boot_devices']).split(', ');
    assert.ok(devices.includes('pxe') && devices.includes('disk'), devices.join(', '));
  });

  /** A passthru method list as name → [HTTP methods, async]. */
  const methodSummary = (rows: Row[]) =>
    Object.fromEntries(
      rows.map((r) => [String(r['Name']), [r['Supported HTTP methods'], r['Async']]]),
    );

  it('lists and calls the vendor passthru methods of a node', async () => {
    const methods = asRows(await bmJson('node', 'passthru', 'list', 'ferrite-a'), 'passthru list');
    assert.deepEqual(methodSummary(methods), {
      first_method: ['POST', true],
      second_method: ['POST', true],
      third_method_sync: ['POST', false],
      fourth_method_shared_lock: ['POST', true],
    });
    const first = methods.find((r) => r['Name'] === 'first_method');
    assert.equal(first?.['Description'], 'Test if the value of bar is baz');

    // An asynchronous method answers 202 with no body: the client prints nothing.
    const called = await bmOk(
      'node',
      'passthru',
      'call',
      'ferrite-a',
      'first_method',
      '--arg',
      'bar=baz',
    );
    assert.equal(called.stdout.trim(), '');
    const refused = await bm('node', 'passthru', 'call', 'ferrite-a', 'first_method');
    assert.notEqual(refused.code, 0, describeRun(refused));
    assert.match(refused.stderr, /Parameter 'bar' not passed to method 'first_method'/);
    assert.match(refused.stderr, /HTTP 400/);
  });

  it('lists and calls the vendor passthru methods of a hardware type', async () => {
    const [methods, called] = await Promise.all([
      bmJson('driver', 'passthru', 'list', 'fake-hardware'),
      bmJson('driver', 'passthru', 'call', 'fake-hardware', 'sleep', '--arg', 'seconds=0'),
    ]);
    assert.deepEqual(methodSummary(asRows(methods, 'driver passthru list')), {
      echo: ['GET, POST', false],
      sleep: ['POST', true],
    });
    // Asynchronous: 202 with no body, which the client shows as an empty object.
    assert.deepEqual(called, {});
  });

  it('filters by provision state and maintenance, and sets and clears maintenance with a reason', async () => {
    await bmOk('node', 'maintenance', 'set', 'ferrite-b', '--reason', 'replacing a DIMM');
    const [active, inMaintenance, notInMaintenance, fakeOnes, shown] = await Promise.all([
      bmJson('node', 'list', '--provision-state', 'active', '--fields', 'uuid'),
      bmJson('node', 'list', '--maintenance', '--fields', 'uuid'),
      bmJson('node', 'list', '--no-maintenance', '--fields', 'uuid'),
      bmJson('node', 'list', '--driver', 'fake-hardware', '--fields', 'uuid'),
      bmJson('node', 'show', 'ferrite-b', '-c', 'maintenance', '-c', 'maintenance_reason'),
    ]);
    assert.deepEqual(active, [{ UUID: uuidA }]);
    assert.deepEqual(inMaintenance, [{ UUID: uuidB }]);
    assert.deepEqual(notInMaintenance, [{ UUID: uuidA }]);
    assert.deepEqual(fakeOnes, [{ UUID: uuidA }]);
    assert.deepEqual(shown, { maintenance: true, maintenance_reason: 'replacing a DIMM' });

    await bmOk('node', 'maintenance', 'unset', 'ferrite-b');
    assert.deepEqual(
      await bmJson('node', 'show', 'ferrite-b', '-c', 'maintenance', '-c', 'maintenance_reason'),
      { maintenance: false, maintenance_reason: null },
    );
  });

  it('undeploys a node, which is cleaned back to available', async () => {
    await bmOk('node', 'undeploy', 'ferrite-a');
    const available = await waitFor('ferrite-a', 'provision_state', 'available');
    assert.equal(available['last_error'], null);
  });

  it('deletes nodes, and their ports with them', async () => {
    const deleted = await bmOk('node', 'delete', 'ferrite-a', 'ferrite-b');
    const said = deleted.stdout + deleted.stderr;
    assert.match(said, /Deleted node ferrite-a/);
    assert.match(said, /Deleted node ferrite-b/);
    const [nodes, ports] = await Promise.all([bmJson('node', 'list'), bmJson('port', 'list')]);
    assert.deepEqual(nodes, []);
    assert.deepEqual(ports, []);
  });

  it('never shows the driver_info password, only its mask', () => {
    assert.ok(outputs.length > 0);
    for (const r of outputs) {
      assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), describeRun(r));
    }
    assert.ok(outputs.some((r) => r.stdout.includes(`"fake_password": "${MASK}"`)));
  });
});

// `ferrite node create|list|show|set|unset|delete` against Ferrite's API on a
// loopback port, in table and JSON form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_SECRET } from '../support/api.ts';
import { parsed, startCliApi } from './harness.ts';
import type { CliApi } from './harness.ts';

type Node = Record<string, unknown>;

describe('ferrite node (records)', () => {
  let api: CliApi;

  before(async () => {
    api = await startCliApi();
  });
  after(async () => {
    // Closing checks that no answer carried TEST_SECRET.
    await api.close();
  });

  it('creates a node, printing it as a Field/Value table, with the password masked', async () => {
    const result = await api.run(
      'node',
      'create',
      '--driver',
      'fake-hardware',
      '--name',
      'rack1-u01',
      '--driver-info',
      'bmc_address=10.0.0.1',
      '--driver-info',
      `bmc_password=${TEST_SECRET}`,
      '--property',
      'cpus=8',
      '--property',
      'capabilities={"boot_mode":"uefi"}',
      '--extra',
      'rack=r1',
      '--deploy-interface',
      'fake',
      '--resource-class',
      'baremetal',
    );
    assert.equal(result.code, 0, result.err);
    const lines = result.out.split('\n');
    assert.match(lines[0] ?? '', /^Field\s+Value$/);
    assert.match(result.out, /^name\s+rack1-u01$/m);
    assert.match(
      result.out,
      /^driver_info\s+\{"bmc_address":"10\.0\.0\.1","bmc_password":"\*{6}"\}$/m,
    );
    assert.match(result.out, /^properties\s+\{"cpus":8,"capabilities":\{"boot_mode":"uefi"\}\}$/m);
    assert.match(result.out, /^resource_class\s+baremetal$/m);
    assert.match(result.out, /^provision_state\s+enroll$/m);
    assert.doesNotMatch(result.out, /links/);
    assert.ok(!result.out.includes(TEST_SECRET));
  });

  it('keeps driver_info values as text, as a BMC password that looks like a number must', async () => {
    const result = await api.run(
      'node',
      'create',
      '--driver',
      'fake-hardware',
      '--name',
      'digits',
      '--driver-info',
      'ipmi_port=0623',
      '--property',
      'memory_mb=4096',
      '--format',
      'json',
    );
    assert.equal(result.code, 0, result.err);
    const node = parsed<Node>(result);
    assert.deepEqual(node['driver_info'], { ipmi_port: '0623' });
    assert.deepEqual(node['properties'], { memory_mb: 4096 });
  });

  it('lists nodes with the default columns, --long, --fields and filters', async () => {
    const table = await api.run('node', 'list');
    assert.equal(table.code, 0, table.err);
    const [header, ...rows] = table.out.trimEnd().split('\n');
    assert.match(
      header ?? '',
      /^UUID\s+Name\s+Instance UUID\s+Power State\s+Provision State\s+Maintenance$/,
    );
    assert.equal(rows.length, 2);
    assert.ok(
      rows.some((r) => /\srack1-u01\s+enroll\s+false$/.test(r)),
      table.out,
    );

    const json = parsed<Node[]>(await api.run('node', 'list', '--format', 'json'));
    assert.deepEqual(Object.keys(json[0] ?? {}), [
      'uuid',
      'name',
      'instance_uuid',
      'power_state',
      'provision_state',
      'maintenance',
    ]);

    const long = parsed<Node[]>(await api.run('node', 'list', '--long', '--format', 'json'));
    assert.equal(long[0]?.['driver'], 'fake-hardware');
    assert.ok(long.every((n) => 'driver_info' in n));

    const fields = await api.run('node', 'list', '--fields', 'name,driver', '--format', 'json');
    assert.deepEqual(
      parsed<Node[]>(fields)
        .map((n) => n['name'])
        .sort(),
      ['digits', 'rack1-u01'],
    );
    assert.deepEqual(Object.keys(parsed<Node[]>(fields)[0] ?? {}), ['name', 'driver']);

    const limited = parsed<Node[]>(
      await api.run('node', 'list', '--limit', '1', '--format', 'json'),
    );
    assert.equal(limited.length, 1);
    const byClass = parsed<Node[]>(
      await api.run('node', 'list', '--resource-class', 'baremetal', '--format', 'json'),
    );
    assert.deepEqual(
      byClass.map((n) => n['name']),
      ['rack1-u01'],
    );
    const none = parsed<Node[]>(
      await api.run('node', 'list', '--provision-state', 'active', '--format', 'json'),
    );
    assert.deepEqual(none, []);
    const maintenance = parsed<Node[]>(
      await api.run('node', 'list', '--maintenance', '--format', 'json'),
    );
    assert.deepEqual(maintenance, []);
  });

  it('shows a node by name, whole or some fields, as a table or JSON', async () => {
    const table = await api.run('node', 'show', 'rack1-u01', '--fields', 'name,extra');
    assert.equal(table.code, 0, table.err);
    assert.equal(table.out, 'Field  Value\nextra  {"rack":"r1"}\nname   rack1-u01\n');
    const json = parsed<Node>(await api.run('node', 'show', 'rack1-u01', '--format', 'json'));
    assert.equal(json['name'], 'rack1-u01');
    assert.ok(Array.isArray(json['links']), 'JSON keeps everything the API sent');
  });

  it('sets and unsets fields and keys with JSON patch', async () => {
    const set = await api.run(
      'node',
      'set',
      'rack1-u01',
      '--name',
      'rack1-u02',
      '--driver-info',
      'bmc_username=admin',
      '--property',
      'cpus=16',
      '--instance-info',
      'image_source=http://images.example.org/a.qcow2',
      '--extra',
      'owner/team=ops',
      '--automated-clean',
      'false',
      '--description',
      'spare',
    );
    assert.equal(set.code, 0, set.err);
    assert.equal(set.out, '', 'set prints nothing in a table format');
    const node = parsed<Node>(await api.run('node', 'show', 'rack1-u02', '--format', 'json'));
    assert.deepEqual(node['driver_info'], {
      bmc_address: '10.0.0.1',
      bmc_password: '******',
      bmc_username: 'admin',
    });
    assert.deepEqual(node['properties'], { cpus: 16, capabilities: { boot_mode: 'uefi' } });
    assert.deepEqual(node['instance_info'], { image_source: 'http://images.example.org/a.qcow2' });
    assert.deepEqual(node['extra'], { rack: 'r1', 'owner/team': 'ops' });
    assert.equal(node['automated_clean'], false);
    assert.equal(node['description'], 'spare');

    const unset = await api.run(
      'node',
      'unset',
      'rack1-u02',
      '--driver-info',
      'bmc_password',
      '--property',
      'capabilities',
      '--instance-info',
      'image_source',
      '--extra',
      'owner/team',
      '--description',
      '--format',
      'json',
    );
    assert.equal(unset.code, 0, unset.err);
    const after = parsed<Node>(unset);
    assert.deepEqual(after['driver_info'], { bmc_address: '10.0.0.1', bmc_username: 'admin' });
    assert.deepEqual(after['properties'], { cpus: 16 });
    assert.deepEqual(after['instance_info'], {});
    assert.deepEqual(after['extra'], { rack: 'r1' });
    assert.equal(after['description'], null);

    const nothing = await api.run('node', 'set', 'rack1-u02');
    assert.equal(nothing.code, 2);
    assert.match(nothing.err, /^ferrite node set: nothing to set; see ferrite node set --help\n$/);
  });

  it('deletes nodes, reporting the ones it cannot and exiting 1', async () => {
    const result = await api.run('node', 'delete', 'digits', 'no-such-node');
    assert.equal(result.code, 1);
    assert.equal(result.out, 'Deleted node digits\n');
    assert.equal(
      result.err,
      'ferrite node delete: no-such-node: Node no-such-node could not be found. (HTTP 404)\n',
    );
    const names = parsed<Node[]>(await api.run('node', 'list', '--format', 'json')).map(
      (n) => n['name'],
    );
    assert.deepEqual(names, ['rack1-u02']);
  });
});

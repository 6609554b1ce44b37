// `ferrite port …`, `ferrite driver …` and `ferrite create FILE…` against
// Ferrite's API on a loopback port.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TEST_SECRET } from '../support/api.ts';
import { parsed, startCliApi } from './harness.ts';
import type { CliApi } from './harness.ts';

type Record_ = Record<string, unknown>;

describe('ferrite port, driver and create', () => {
  let api: CliApi;
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-cli-create-'));

  before(async () => {
    api = await startCliApi();
    assert.equal(
      (await api.run('node', 'create', '--driver', 'fake-hardware', '--name', 'p1')).code,
      0,
    );
  });
  after(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists, shows, sets and deletes ports', async () => {
    const created = await api.run(
      'port',
      'create',
      '52:54:00:12:34:56',
      '--node',
      'p1',
      '--pxe-enabled',
      'false',
      '--extra',
      'cable=7',
      '--local-link-connection',
      'switch_id=00:1c:73:00:00:01',
      '--local-link-connection',
      'port_id=Ethernet1/7',
    );
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /^address\s+52:54:00:12:34:56$/m);
    assert.match(created.out, /^pxe_enabled\s+false$/m);
    assert.match(created.out, /^extra\s+\{"cable":7\}$/m);
    const uuid = /^uuid\s+(\S+)$/m.exec(created.out)?.[1] ?? '';

    const list = await api.run('port', 'list', '--node', 'p1');
    assert.equal(list.code, 0, list.err);
    assert.equal(
      list.out,
      `UUID${' '.repeat(uuid.length - 2)}Address\n${uuid}  52:54:00:12:34:56\n`,
    );
    const long = parsed<Record_[]>(await api.run('port', 'list', '--long', '--format', 'json'));
    assert.equal(long[0]?.['pxe_enabled'], false);

    const byMac = parsed<Record_>(
      await api.run('port', 'show', '52:54:00:12:34:56', '--format', 'json'),
    );
    assert.equal(byMac['uuid'], uuid);

    const set = await api.run('port', 'set', uuid, '--pxe-enabled', 'true', '--extra', 'cable=8');
    assert.equal(set.code, 0, set.err);
    const shown = await api.run('port', 'show', uuid, '--fields', 'pxe_enabled,extra');
    assert.equal(shown.out, 'Field        Value\nextra        {"cable":8}\npxe_enabled  true\n');

    const bad = await api.run('port', 'create', 'not-a-mac', '--node', 'p1');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^ferrite port create: .*not-a-mac.* \(HTTP 400\)\n$/);
    const noNode = await api.run('port', 'create', '52:54:00:12:34:57');
    assert.equal(noNode.code, 2);
    assert.match(noNode.err, /--node is required/);

    const deleted = await api.run('port', 'delete', '52:54:00:12:34:56');
    assert.equal(deleted.code, 0, deleted.err);
    assert.equal(deleted.out, 'Deleted port 52:54:00:12:34:56\n');
    assert.equal((await api.run('port', 'list', '--format', 'json')).out, '[]\n');
  });

  it('lists and shows the drivers the API offers', async () => {
    const list = await api.run('driver', 'list');
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, /^Name\s+Hosts$/m);
    assert.match(list.out, /^fake-hardware\s+\["conductor-1"\]$/m);
    const long = parsed<Record_[]>(await api.run('driver', 'list', '--long', '--format', 'json'));
    assert.equal(
      long.find((d) => d['name'] === 'fake-hardware')?.['default_power_interface'],
      'fake',
    );
    const show = await api.run('driver', 'show', 'ipmi');
    assert.equal(show.code, 0, show.err);
    assert.match(show.out, /^name\s+ipmi$/m);
    assert.match(show.out, /^default_power_interface\s+ipmi$/m);
    const missing = await api.run('driver', 'show', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^ferrite driver show: .*nope.* \(HTTP 404\)\n$/);
  });

  it('enrols nodes with their ports from a file, printing what it created', async () => {
    const file = join(dir, 'lab.json');
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          {
            name: 'lab-0',
            driver: 'fake-hardware',
            driver_info: { bmc_address: '127.0.0.1', bmc_password: TEST_SECRET },
            properties: { cpus: 2, memory_mb: 2048 },
            ports: [{ address: '52:54:00:aa:00:01' }, { address: '52:54:00:aa:00:02' }],
          },
          { name: 'lab-1', driver: 'fake-hardware', ports: [{ address: '52:54:00:aa:01:01' }] },
        ],
      }),
    );
    const result = await api.run('create', file);
    assert.equal(result.code, 0, result.err);
    const rows = result.out.trimEnd().split('\n');
    assert.match(rows[0] ?? '', /^Resource\s+UUID\s+Name\s+Node$/);
    assert.deepEqual(
      rows.slice(1).map((r) => r.split(/\s+/).filter((c, i) => i !== 1 && i !== 3)),
      [
        ['node', 'lab-0'],
        ['port', '52:54:00:aa:00:01'],
        ['port', '52:54:00:aa:00:02'],
        ['node', 'lab-1'],
        ['port', '52:54:00:aa:01:01'],
      ],
    );
    assert.ok(!result.out.includes(TEST_SECRET));
    const ports = parsed<Record_[]>(
      await api.run('port', 'list', '--node', 'lab-0', '--format', 'json'),
    );
    assert.equal(ports.length, 2);
    const node = parsed<Record_>(await api.run('node', 'show', 'lab-0', '--format', 'json'));
    assert.deepEqual(node['properties'], { cpus: 2, memory_mb: 2048 });

    // Top-level ports name their node by UUID; JSON output groups what was made.
    const more = join(dir, 'more.json');
    writeFileSync(
      more,
      JSON.stringify({ ports: [{ address: '52:54:00:aa:00:03', node_uuid: node['uuid'] }] }),
    );
    const json = parsed<{ nodes: unknown[]; ports: Record_[] }>(
      await api.run('create', more, '--format', 'json'),
    );
    assert.equal(json.nodes.length, 0);
    assert.equal(json.ports[0]?.['address'], '52:54:00:aa:00:03');
  });

  it('reports what the API refused, carries on, and exits 1', async () => {
    const file = join(dir, 'mixed.json');
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { name: 'lab-0', driver: 'fake-hardware', ports: [{ address: '52:54:00:bb:00:01' }] },
          { name: 'lab-2', driver: 'fake-hardware', ports: [{ address: '52:54:00:bb:00:02' }] },
        ],
      }),
    );
    const result = await api.run('create', file);
    assert.equal(result.code, 1);
    assert.match(result.err, /^ferrite create: .*mixed\.json: node lab-0: .*\(HTTP 409\)\n$/);
    assert.match(result.out, /^node\s+\S+\s+lab-2\s*$/m);
    assert.match(result.out, /^port\s+\S+\s+52:54:00:bb:00:02\s+\S+$/m);
    assert.doesNotMatch(result.out, /52:54:00:bb:00:01/);
  });

  it('refuses a malformed file before creating anything', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ nodes: [{ name: 'x', driver: 'fake-hardware' }], nodez: [] }),
    );
    const result = await api.run('create', file);
    assert.equal(result.code, 1);
    assert.match(result.err, /bad\.json: unknown keys nodez/);
    const names = parsed<Record_[]>(await api.run('node', 'list', '--format', 'json')).map(
      (n) => n['name'],
    );
    assert.ok(!names.includes('x'));
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'nodes:\n  - name: x\n');
    const yaml = await api.run('create', notJson);
    assert.equal(yaml.code, 1);
    assert.match(yaml.err, /^ferrite create: \S+not\.json: not valid JSON: .*\n$/);
    const absent = await api.run('create', join(dir, 'absent.json'));
    assert.equal(absent.code, 1);
    assert.match(absent.err, /^ferrite create: cannot read \S+absent\.json: ENOENT/);
    const none = await api.run('create');
    assert.equal(none.code, 2);
    assert.match(none.err, /^ferrite create: missing FILE; see ferrite create --help\n$/);
  });
});

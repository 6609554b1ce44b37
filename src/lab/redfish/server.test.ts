/**
 * The Redfish emulator over HTTP, resource by resource: what a Redfish
 * client sends and what it must get back, and the per-system state and
 * faults tests drive it with.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRedfishEmulator } from './server.ts';
import type { RedfishEmulator } from './server.ts';
import { makeSelfSignedCertificate, opensslAvailable } from '../../../test/support/self-signed.ts';

const AUTH = `Basic ${Buffer.from('admin:secret').toString('base64')}`;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

async function call(
  emulator: RedfishEmulator,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== false) headers['Authorization'] = AUTH;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    current = (current as Record<string, unknown> | undefined)?.[key];
  }
  return current;
}

function messageId(answer: Answer): unknown {
  const info = field(answer.body, 'error', '@Message.ExtendedInfo') as
    { MessageId: string }[] | undefined;
  assert.equal(field(answer.body, 'error', 'code'), 'Base.1.8.GeneralError');
  return info?.[0]?.MessageId;
}

describe('Redfish emulator', () => {
  let emulator: RedfishEmulator;
  before(async () => {
    emulator = await startRedfishEmulator({
      systems: [
        {},
        {
          id: 'node-b',
          etags: false,
          powerState: 'On',
          macs: ['52:54:00:aa:bb:01', '52:54:00:aa:bb:02'],
        },
        { taskPolls: 0 },
      ],
      username: 'admin',
      password: 'secret',
    });
  });
  after(() => emulator.close());

  describe('service root and authentication', () => {
    it('answers the service root without credentials', async () => {
      const root = await call(emulator, 'GET', '/redfish/v1/', { auth: false });
      assert.equal(root.status, 200);
      assert.deepEqual(field(root.body, 'Links', 'Sessions'), {
        '@odata.id': '/redfish/v1/SessionService/Sessions',
      });
      assert.deepEqual(field(root.body, 'Systems'), { '@odata.id': '/redfish/v1/Systems' });
    });

    it('refuses other resources without credentials with 401 and a Redfish error', async () => {
      const answer = await call(emulator, 'GET', '/redfish/v1/Systems', { auth: false });
      assert.equal(answer.status, 401);
      assert.equal(messageId(answer), 'Base.1.8.NoValidSession');
      const wrong = await call(emulator, 'GET', '/redfish/v1/Systems', {
        auth: false,
        headers: { Authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` },
      });
      assert.equal(wrong.status, 401);
    });

    it('opens a session, accepts its token, and refuses it once deleted', async () => {
      const refused = await call(emulator, 'POST', '/redfish/v1/SessionService/Sessions', {
        auth: false,
        body: { UserName: 'admin', Password: 'wrong' },
      });
      assert.equal(refused.status, 401);
      const opened = await call(emulator, 'POST', '/redfish/v1/SessionService/Sessions', {
        auth: false,
        body: { UserName: 'admin', Password: 'secret' },
      });
      assert.equal(opened.status, 201);
      const token = opened.headers.get('x-auth-token');
      const location = opened.headers.get('location');
      assert.ok(token !== null && location !== null);
      assert.match(location, /^\/redfish\/v1\/SessionService\/Sessions\/\d+$/);
      const withToken = { auth: false, headers: { 'X-Auth-Token': token } };
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems', withToken)).status, 200);
      assert.equal((await call(emulator, 'DELETE', location, withToken)).status, 204);
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems', withToken)).status, 401);
    });
  });

  describe('systems', () => {
    it('lists every system and describes one', async () => {
      const list = await call(emulator, 'GET', '/redfish/v1/Systems');
      assert.equal(field(list.body, 'Members@odata.count'), 3);
      const system = await call(emulator, 'GET', '/redfish/v1/Systems/system-0');
      assert.equal(system.status, 200);
      assert.equal(field(system.body, 'PowerState'), 'Off');
      assert.equal(field(system.body, 'ProcessorSummary', 'Count'), 2);
      assert.equal(field(system.body, 'MemorySummary', 'TotalSystemMemoryGiB'), 64);
      assert.deepEqual(field(system.body, 'Links', 'ManagedBy'), [
        { '@odata.id': '/redfish/v1/Managers/system-0' },
      ]);
      assert.deepEqual(field(system.body, 'Links', 'Chassis'), [
        { '@odata.id': '/redfish/v1/Chassis/system-0' },
      ]);
      assert.deepEqual(
        field(system.body, 'Actions', '#ComputerSystem.Reset', 'ResetType@Redfish.AllowableValues'),
        ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart', 'ForceRestart', 'Nmi'],
      );
      assert.ok(
        (
          field(system.body, 'Boot', 'BootSourceOverrideTarget@Redfish.AllowableValues') as string[]
        ).includes('Pxe'),
      );
      assert.match(system.headers.get('etag') ?? '', /^".+"$/);
    });

    it('lists the MACs of a system’s Ethernet interfaces', async () => {
      const nics = await call(emulator, 'GET', '/redfish/v1/Systems/node-b/EthernetInterfaces');
      assert.equal(field(nics.body, 'Members@odata.count'), 2);
      const nic = await call(emulator, 'GET', '/redfish/v1/Systems/node-b/EthernetInterfaces/NIC2');
      assert.equal(field(nic.body, 'MACAddress'), '52:54:00:aa:bb:02');
      assert.equal(
        (await call(emulator, 'GET', '/redfish/v1/Systems/node-b/EthernetInterfaces/NIC3')).status,
        404,
      );
    });

    it('applies every reset type to the power state and counts NMIs', async () => {
      const system = emulator.systems[0];
      assert.ok(system !== undefined);
      const target = '/redfish/v1/Systems/system-0/Actions/ComputerSystem.Reset';
      const expected: [string, 'On' | 'Off'][] = [
        ['On', 'On'],
        ['GracefulShutdown', 'Off'],
        ['ForceRestart', 'On'],
        ['ForceOff', 'Off'],
        ['GracefulRestart', 'On'],
      ];
      for (const [type, state] of expected) {
        assert.equal(
          (await call(emulator, 'POST', target, { body: { ResetType: type } })).status,
          204,
          type,
        );
        const read = await call(emulator, 'GET', '/redfish/v1/Systems/system-0');
        assert.equal(field(read.body, 'PowerState'), state, type);
      }
      assert.equal(
        (await call(emulator, 'POST', target, { body: { ResetType: 'Nmi' } })).status,
        204,
      );
      assert.equal(system.nmiCount, 1);
      const bad = await call(emulator, 'POST', target, { body: { ResetType: 'Explode' } });
      assert.equal(bad.status, 400);
      assert.equal(messageId(bad), 'Base.1.8.PropertyValueNotInList');
      const missing = await call(emulator, 'POST', target, { body: {} });
      assert.equal(messageId(missing), 'Base.1.8.PropertyMissing');
      system.reset('ForceOff');
    });

    it('sets the boot override under If-Match and refuses a stale ETag with 412', async () => {
      const path = '/redfish/v1/Systems/system-0';
      const first = await call(emulator, 'GET', path);
      const etag = first.headers.get('etag') ?? '';
      const boot = {
        Boot: {
          BootSourceOverrideTarget: 'Pxe',
          BootSourceOverrideEnabled: 'Once',
          BootSourceOverrideMode: 'UEFI',
        },
      };
      const changed = await call(emulator, 'PATCH', path, {
        body: boot,
        headers: { 'If-Match': etag },
      });
      assert.equal(changed.status, 200);
      assert.equal(field(changed.body, 'Boot', 'BootSourceOverrideTarget'), 'Pxe');
      assert.notEqual(changed.headers.get('etag'), etag);
      const stale = await call(emulator, 'PATCH', path, {
        body: boot,
        headers: { 'If-Match': etag },
      });
      assert.equal(stale.status, 412);
      assert.equal(messageId(stale), 'Base.1.8.PreconditionFailed');
      const weak = await call(emulator, 'PATCH', path, {
        body: { Boot: { BootSourceOverrideTarget: 'Hdd' } },
        headers: { 'If-Match': `W/${changed.headers.get('etag') ?? ''}` },
      });
      assert.equal(weak.status, 200);
      assert.deepEqual(emulator.systems[0]?.boot, { target: 'Hdd', enabled: 'Once', mode: 'UEFI' });
      const bad = await call(emulator, 'PATCH', path, {
        body: { Boot: { BootSourceOverrideEnabled: 'Sometimes' } },
      });
      assert.equal(bad.status, 400);
      assert.equal(messageId(bad), 'Base.1.8.PropertyValueNotInList');
    });

    it('uses up a Once override on the next boot', async () => {
      const system = emulator.systems[0];
      assert.ok(system !== undefined);
      system.setBoot({ target: 'Pxe', enabled: 'Once' });
      system.reset('On');
      assert.equal(system.boot.enabled, 'Disabled');
      system.reset('ForceOff');
    });

    it('sends no ETag for a system told not to, and ignores If-Match there', async () => {
      const read = await call(emulator, 'GET', '/redfish/v1/Systems/node-b');
      assert.equal(read.headers.get('etag'), null);
      const patched = await call(emulator, 'PATCH', '/redfish/v1/Systems/node-b', {
        body: { Boot: { BootSourceOverrideTarget: 'Cd' } },
        headers: { 'If-Match': '"anything"' },
      });
      assert.equal(patched.status, 200);
      assert.equal(emulator.systems[1]?.boot.target, 'Cd');
    });
  });

  describe('errors', () => {
    it('answers 404 for unknown resources and systems', async () => {
      const unknown = await call(emulator, 'GET', '/redfish/v1/Nothing');
      assert.equal(unknown.status, 404);
      assert.equal(messageId(unknown), 'Base.1.8.ResourceMissingAtURI');
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems/nope')).status, 404);
      assert.equal(
        (await call(emulator, 'GET', '/redfish/v1/Managers/nope/VirtualMedia/Cd')).status,
        404,
      );
    });

    it('answers 405 with Allow for a wrong method', async () => {
      const answer = await call(emulator, 'DELETE', '/redfish/v1/Systems/system-0');
      assert.equal(answer.status, 405);
      assert.equal(answer.headers.get('allow'), 'GET, PATCH');
      assert.equal(messageId(answer), 'Base.1.8.OperationNotAllowed');
    });

    it('answers 400 MalformedJSON for a body that is not JSON', async () => {
      const answer = await call(emulator, 'PATCH', '/redfish/v1/Systems/system-0', {
        raw: '{"Boot": ',
      });
      assert.equal(answer.status, 400);
      assert.equal(messageId(answer), 'Base.1.8.MalformedJSON');
    });

    it('refuses an unsupported action', async () => {
      const answer = await call(
        emulator,
        'POST',
        '/redfish/v1/Systems/system-0/Actions/ComputerSystem.Fly',
        { body: {} },
      );
      assert.equal(answer.status, 400);
      assert.equal(messageId(answer), 'Base.1.8.ActionNotSupported');
    });
  });

  describe('managers and virtual media', () => {
    it('links the virtual CD and inserts and ejects an image', async () => {
      const manager = await call(emulator, 'GET', '/redfish/v1/Managers/system-0');
      assert.equal(field(manager.body, 'ManagerType'), 'BMC');
      const media = await call(emulator, 'GET', '/redfish/v1/Managers/system-0/VirtualMedia');
      assert.deepEqual(field(media.body, 'Members'), [
        { '@odata.id': '/redfish/v1/Managers/system-0/VirtualMedia/Cd' },
      ]);
      const cd = '/redfish/v1/Managers/system-0/VirtualMedia/Cd';
      const before = await call(emulator, 'GET', cd);
      assert.equal(field(before.body, 'Inserted'), false);
      assert.deepEqual(field(before.body, 'MediaTypes'), ['CD', 'DVD']);
      assert.ok(before.headers.get('etag'));
      const insert = field(before.body, 'Actions', '#VirtualMedia.InsertMedia', 'target') as string;
      const eject = field(before.body, 'Actions', '#VirtualMedia.EjectMedia', 'target') as string;
      assert.equal(
        (
          await call(emulator, 'POST', insert, {
            body: { Image: 'http://images/boot.iso', Inserted: true },
          })
        ).status,
        204,
      );
      const inserted = await call(emulator, 'GET', cd);
      assert.equal(field(inserted.body, 'Image'), 'http://images/boot.iso');
      assert.equal(field(inserted.body, 'ImageName'), 'boot.iso');
      assert.equal(field(inserted.body, 'Inserted'), true);
      assert.notEqual(inserted.headers.get('etag'), before.headers.get('etag'));
      assert.equal(emulator.systems[0]?.virtualMedia.inserted, true);
      assert.equal((await call(emulator, 'POST', eject, { body: {} })).status, 204);
      assert.equal(emulator.systems[0].virtualMedia.inserted, false);
      const bad = await call(emulator, 'POST', insert, { body: { Image: 7 } });
      assert.equal(messageId(bad), 'Base.1.8.PropertyValueTypeError');
      assert.equal(
        (await call(emulator, 'GET', '/redfish/v1/Managers/system-0/VirtualMedia/Floppy')).status,
        404,
      );
    });
  });

  describe('chassis', () => {
    it('reports temperatures, fans, power supplies and voltages', async () => {
      const chassis = await call(emulator, 'GET', '/redfish/v1/Chassis/node-b');
      assert.deepEqual(field(chassis.body, 'Links', 'ComputerSystems'), [
        { '@odata.id': '/redfish/v1/Systems/node-b' },
      ]);
      const thermal = await call(emulator, 'GET', '/redfish/v1/Chassis/node-b/Thermal');
      const temperatures = field(thermal.body, 'Temperatures') as { ReadingCelsius: number }[];
      assert.equal(temperatures.length, 2);
      const fans = field(thermal.body, 'Fans') as { Reading: number; ReadingUnits: string }[];
      assert.equal(fans[0]?.ReadingUnits, 'RPM');
      assert.ok(fans[0].Reading > 0, 'fans spin on a powered system');
      const power = await call(emulator, 'GET', '/redfish/v1/Chassis/node-b/Power');
      assert.equal((field(power.body, 'PowerSupplies') as unknown[]).length, 2);
      assert.equal((field(power.body, 'Voltages') as unknown[]).length, 1);
    });
  });

  describe('storage and tasks', () => {
    const storage = '/redfish/v1/Systems/system-0/Storage/1';

    it('lists the controller and its drives', async () => {
      const list = await call(emulator, 'GET', '/redfish/v1/Systems/system-0/Storage');
      assert.deepEqual(field(list.body, 'Members'), [{ '@odata.id': storage }]);
      const controller = await call(emulator, 'GET', storage);
      const drives = field(controller.body, 'Drives') as { '@odata.id': string }[];
      assert.equal(drives.length, 3);
      const drive = await call(emulator, 'GET', drives[2]?.['@odata.id'] ?? '');
      assert.equal(field(drive.body, 'CapacityBytes'), 1_999_844_147_200);
      assert.equal(
        (await call(emulator, 'GET', '/redfish/v1/Systems/system-0/Storage/2')).status,
        404,
      );
    });

    it('creates a volume through a task monitor polled to the end, then deletes it', async () => {
      const system = emulator.systems[0];
      assert.ok(system !== undefined);
      const created = await call(emulator, 'POST', `${storage}/Volumes`, {
        body: {
          RAIDType: 'RAID1',
          CapacityBytes: 400_000_000_000,
          Links: {
            Drives: [
              { '@odata.id': `${storage}/Drives/Disk0` },
              { '@odata.id': `${storage}/Drives/Disk1` },
            ],
          },
        },
      });
      assert.equal(created.status, 202);
      const monitor = created.headers.get('location') ?? '';
      assert.match(monitor, /^\/redfish\/v1\/TaskService\/Tasks\/\d+\/Monitor$/);
      for (let poll = 0; poll < 2; poll += 1) {
        const pending = await call(emulator, 'GET', monitor);
        assert.equal(pending.status, 202);
        assert.equal(pending.headers.get('retry-after'), '1');
        assert.equal(field(pending.body, 'TaskState'), 'Running');
        assert.equal(system.volumes.size, 0, 'no volume before the task ends');
      }
      const done = await call(emulator, 'GET', monitor);
      assert.equal(done.status, 201);
      assert.equal(field(done.body, 'RAIDType'), 'RAID1');
      const volume = done.headers.get('location') ?? '';
      assert.equal(system.volumes.size, 1);
      const task = await call(emulator, 'GET', monitor.replace(/\/Monitor$/, ''));
      assert.equal(field(task.body, 'TaskState'), 'Completed');
      const tasks = await call(emulator, 'GET', '/redfish/v1/TaskService/Tasks');
      assert.ok((field(tasks.body, 'Members@odata.count') as number) >= 1);
      const listed = await call(emulator, 'GET', `${storage}/Volumes`);
      assert.deepEqual(field(listed.body, 'Members'), [{ '@odata.id': volume }]);
      assert.equal((await call(emulator, 'DELETE', volume)).status, 204);
      assert.equal(system.volumes.size, 0);
      assert.equal((await call(emulator, 'DELETE', volume)).status, 404);
    });

    it('finishes at once when the system takes no polls', async () => {
      const created = await call(
        emulator,
        'POST',
        '/redfish/v1/Systems/system-2/Storage/1/Volumes',
        { body: { RAIDType: 'RAID0' } },
      );
      assert.equal(created.status, 202);
      const done = await call(emulator, 'GET', created.headers.get('location') ?? '');
      assert.equal(done.status, 201);
      assert.equal(emulator.systems[2]?.volumes.size, 1);
    });

    it('refuses volumes it cannot build', async () => {
      const raid = await call(emulator, 'POST', `${storage}/Volumes`, {
        body: { RAIDType: 'RAID60' },
      });
      assert.equal(raid.status, 400);
      assert.equal(messageId(raid), 'Base.1.8.PropertyValueNotInList');
      const drives = await call(emulator, 'POST', `${storage}/Volumes`, {
        body: { Links: { Drives: [{ '@odata.id': 'nope' }] } },
      });
      assert.equal(drives.status, 400);
      const size = await call(emulator, 'POST', `${storage}/Volumes`, {
        body: { CapacityBytes: 'big' },
      });
      assert.equal(messageId(size), 'Base.1.8.PropertyValueTypeError');
    });
  });

  describe('faults', () => {
    it('answers the next requests with 503 then recovers, on that system only', async () => {
      const system = emulator.systems[1];
      assert.ok(system !== undefined);
      system.faults.failNext(2, 503);
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems/system-0')).status, 200);
      const first = await call(emulator, 'GET', '/redfish/v1/Systems/node-b');
      assert.equal(first.status, 503);
      assert.equal(messageId(first), 'Base.1.8.InternalError');
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Chassis/node-b/Thermal')).status, 503);
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems/node-b')).status, 200);
    });

    it('answers after added latency', async () => {
      const system = emulator.systems[1];
      assert.ok(system !== undefined);
      system.faults.latencyMs = 20;
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems/node-b')).status, 200);
      system.faults.clear();
    });

    it('sends a body that is not JSON', async () => {
      emulator.systems[1]?.faults.malformedNext();
      const response = await fetch(`${emulator.url}/redfish/v1/Systems/node-b`, {
        headers: { Authorization: AUTH },
      });
      assert.equal(response.status, 200);
      await assert.rejects(response.json());
    });

    it('drops the connection', async () => {
      emulator.systems[1]?.faults.dropNext();
      await assert.rejects(
        fetch(`${emulator.url}/redfish/v1/Systems/node-b`, { headers: { Authorization: AUTH } }),
      );
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems/node-b')).status, 200);
    });

    it('never answers a hung request', async () => {
      emulator.systems[1]?.faults.hangNext();
      await assert.rejects(
        fetch(`${emulator.url}/redfish/v1/Systems/node-b`, {
          headers: { Authorization: AUTH },
          signal: AbortSignal.timeout(150),
        }),
        { name: 'TimeoutError' },
      );
      assert.equal((await call(emulator, 'GET', '/redfish/v1/Systems/node-b')).status, 200);
    });
  });

  it('refuses two systems with one id', async () => {
    await assert.rejects(
      startRedfishEmulator({ systems: [{ id: 'x' }, { id: 'x' }] }),
      /two emulated systems/,
    );
  });
});

const openssl = opensslAvailable;

describe(
  'Redfish emulator over HTTPS',
  { skip: openssl ? false : 'openssl is not installed' },
  () => {
    let emulator: RedfishEmulator;
    let dir: string;
    let cert: Buffer;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ferrite-redfish-tls-'));
      makeSelfSignedCertificate(dir);
      cert = readFileSync(join(dir, 'cert.pem'));
      emulator = await startRedfishEmulator({
        systems: 1,
        tls: { key: readFileSync(join(dir, 'key.pem')), cert },
      });
    });
    after(async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves the service root over TLS', async () => {
      assert.match(emulator.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        const request = httpsRequest(`${emulator.url}/redfish/v1/`, { ca: cert }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          response.once('end', () => resolve(text));
        });
        request.once('error', reject);
        request.end();
      });
      assert.equal(field(JSON.parse(body) as unknown, 'RedfishVersion'), '1.15.0');
    });
  },
);

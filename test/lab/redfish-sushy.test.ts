/**
 * Ferrite's Redfish emulator (src/lab/redfish) as the real client sees it:
 * Debian's sushy, the library Ironic's redfish driver is built on, over a
 * session (HTTP) and over HTTP Basic (HTTPS with a self-signed certificate
 * when openssl is there). What sushy is told must change the emulated
 * machine, and what it reads must be what the machine holds.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startRedfishEmulator } from '../../src/lab/redfish/server.ts';
import type { RedfishEmulator } from '../../src/lab/redfish/server.ts';
import { runSushy, sushySuiteOptions } from '../support/sushy.ts';

const PASSWORD = 'lab-redfish-secret';

/**
 * argv: url username password session|basic system-id verify(false|CA path).
 * Drives one system through everything Ironic's redfish driver does and
 * prints what sushy read, as JSON.
 */
const SCENARIO = String.raw`
import json, sys
import sushy
from sushy import auth

url, username, password, mode, system_id, verify = sys.argv[1:7]
verify = False if verify == "false" else verify
authenticator = auth.SessionAuth(username, password) if mode == "session" else auth.BasicAuth(username, password)
root = sushy.Sushy(url + "/redfish/v1/", auth=authenticator, verify=verify)
value = lambda v: getattr(v, "value", v)
out = {"systems": list(root.get_system_collection().members_identities)}
if mode == "session":
    out["session"] = authenticator.get_session_resource_id()

system = root.get_system("/redfish/v1/Systems/" + system_id)
out["power_initial"] = value(system.power_state)
out["uuid"] = system.uuid
out["memory_gib"] = system.memory_summary.size_gib
out["macs"] = sorted(system.ethernet_interfaces.summary)
out["reset_types"] = sorted(value(v) for v in system.get_allowed_reset_system_values())

system.reset_system(sushy.RESET_ON)
system.refresh()
out["power_after_on"] = value(system.power_state)
system.reset_system(sushy.RESET_NMI)
system.reset_system(sushy.RESET_FORCE_OFF)
system.refresh()
out["power_after_off"] = value(system.power_state)

system.set_system_boot_options(sushy.BOOT_SOURCE_TARGET_PXE, enabled=sushy.BOOT_SOURCE_ENABLED_ONCE, mode=sushy.BOOT_SOURCE_MODE_UEFI)
system.refresh()
out["boot"] = [value(system.boot.target), value(system.boot.enabled), value(system.boot.mode)]

manager = system.managers[0]
media = manager.virtual_media.get_member(manager.virtual_media.members_identities[0])
out["media_types"] = sorted(value(t) for t in media.media_types)
media.insert_media("http://images.example/boot.iso", inserted=True, write_protected=True)
media.refresh()
out["media_inserted"] = [media.inserted, media.image]
media.eject_media()
media.refresh()
out["media_after_eject"] = [media.inserted, media.image]

chassis = system.chassis[0]
thermal = chassis.thermal
out["temperatures"] = [[t.name, t.reading_celsius] for t in thermal.temperatures]
out["fans"] = [[f.name, f.reading, value(f.reading_units)] for f in thermal.fans]
out["power_supplies"] = [p.name for p in chassis.power.power_supplies]

storage = system.storage.get_members()[0]
out["drives"] = sorted(d.capacity_bytes for d in storage.drives)
drive_ids = [{"@odata.id": d.path} for d in storage.drives[:2]]
monitor = storage.volumes.create({"RAIDType": "RAID1", "CapacityBytes": 107374182400, "Links": {"Drives": drive_ids}})
polls = 0
# Polled without sleeping: the emulator counts polls, not seconds (and sushy 4.3.3's
# wait() passes a numeric Retry-After to time.sleep as a string).
while monitor.check_is_processing:
    polls += 1
out["task_polls"] = polls
out["task_final_status"] = monitor.response.status_code
storage.volumes.refresh()
volumes = storage.volumes.get_members()
out["volumes"] = [[value(v.raid_type), v.capacity_bytes] for v in volumes]
volumes[0].delete()
# A fresh read: refreshing the cached collection would re-read the deleted member.
fresh = root.get_system("/redfish/v1/Systems/" + system_id).storage.get_members()[0]
out["volumes_after_delete"] = len(fresh.volumes.members_identities)

authenticator.close()
print(json.dumps(out))
`;

interface ScenarioResult {
  readonly systems: string[];
  readonly session?: string;
  readonly power_initial: string;
  readonly uuid: string;
  readonly memory_gib: number;
  readonly macs: string[];
  readonly reset_types: string[];
  readonly power_after_on: string;
  readonly power_after_off: string;
  readonly boot: string[];
  readonly media_types: string[];
  readonly media_inserted: [boolean, string];
  readonly media_after_eject: [boolean, string | null];
  readonly temperatures: [string, number][];
  readonly fans: [string, number, string][];
  readonly power_supplies: string[];
  readonly drives: number[];
  readonly task_polls: number;
  readonly task_final_status: number;
  readonly volumes: [string, number][];
  readonly volumes_after_delete: number;
}

async function scenario(
  emulator: RedfishEmulator,
  mode: 'session' | 'basic',
  systemId: string,
  verify: string,
): Promise<ScenarioResult> {
  const result = await runSushy(SCENARIO, [
    emulator.url,
    emulator.username,
    PASSWORD,
    mode,
    systemId,
    verify,
  ]);
  assert.equal(result.status, 0, `sushy failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as ScenarioResult;
}

function checkScenario(emulator: RedfishEmulator, index: number, out: ScenarioResult): void {
  const system = emulator.systems[index];
  assert.ok(system !== undefined);
  assert.deepEqual(
    out.systems,
    emulator.systems.map((each) => `/redfish/v1/Systems/${each.id}`),
  );
  assert.equal(out.power_initial, 'Off');
  assert.equal(out.uuid, system.uuid);
  assert.equal(out.memory_gib, system.memoryGiB);
  assert.deepEqual(out.macs, [...system.macs].sort());
  assert.deepEqual(out.reset_types, [
    'ForceOff',
    'ForceRestart',
    'GracefulRestart',
    'GracefulShutdown',
    'Nmi',
    'On',
  ]);
  assert.equal(out.power_after_on, 'On');
  assert.equal(out.power_after_off, 'Off');
  assert.equal(system.powerState, 'Off');
  assert.equal(system.nmiCount, 1);
  assert.deepEqual(out.boot, ['Pxe', 'Once', 'UEFI']);
  assert.deepEqual(system.boot, { target: 'Pxe', enabled: 'Once', mode: 'UEFI' });
  // sushy sends back the ETag of its last GET, and nothing when the system sent none.
  if (system.etags) assert.match(system.lastIfMatch ?? '', /^(W\/)?"[^"]+"$/);
  else assert.equal(system.lastIfMatch, undefined);
  assert.deepEqual(out.media_types, ['CD', 'DVD']);
  assert.deepEqual(out.media_inserted, [true, 'http://images.example/boot.iso']);
  assert.equal(out.media_after_eject[0], false);
  assert.equal(system.virtualMedia.inserted, false);
  assert.deepEqual(
    system.events.filter((event) => event.kind === 'insert-media').map((event) => event.detail),
    ['http://images.example/boot.iso'],
  );
  assert.deepEqual(
    out.temperatures.map(([name]) => name),
    ['CPU1 Temp', 'Inlet Temp'],
  );
  assert.equal(out.fans.length, 2);
  assert.equal(out.fans[0]?.[2], 'RPM');
  assert.equal(out.power_supplies.length, 2);
  assert.deepEqual(
    out.drives,
    system.drives.map((drive) => drive.capacityBytes).sort((a, b) => a - b),
  );
  // sushy polls the monitor once on building its TaskMonitor (the 202 has no body),
  // so its loop sees one 202 fewer than the system answers.
  assert.equal(out.task_polls, system.taskPolls - 1);
  assert.equal(out.task_final_status, 201);
  assert.deepEqual(out.volumes, [['RAID1', 107374182400]]);
  assert.equal(out.volumes_after_delete, 0);
  assert.deepEqual(
    system.events.filter((event) => event.kind.startsWith('volume')).map((event) => event.kind),
    ['volume-created', 'volume-deleted'],
  );
}

describe('Redfish emulator against sushy', sushySuiteOptions(), () => {
  let emulator: RedfishEmulator;
  before(async () => {
    emulator = await startRedfishEmulator({
      systems: [{ taskPolls: 3 }, { etags: false }],
      username: 'ironic',
      password: PASSWORD,
    });
  });
  after(() => emulator.close());

  it('drives a system over a Redfish session, and logs out', async () => {
    const out = await scenario(emulator, 'session', 'system-0', 'false');
    assert.match(out.session ?? '', /^\/redfish\/v1\/SessionService\/Sessions\/\d+$/);
    checkScenario(emulator, 0, out);
    assert.deepEqual(emulator.sessions.list(), [], 'sushy deleted its session on close');
  });

  it('drives a system that sends no ETags over HTTP Basic', async () => {
    const out = await scenario(emulator, 'basic', 'system-1', 'false');
    assert.equal(out.session, undefined);
    checkScenario(emulator, 1, out);
    assert.deepEqual(emulator.sessions.list(), []);
  });
});

/**
 * argv: url username password. Opens a session, reads the system, says
 * "ready" and waits for a line on stdin (the test expires the session
 * meanwhile), then reads it again: sushy must log in anew on the 401.
 */
const EXPIRY = String.raw`
import json, sys
import sushy
from sushy import auth

url, username, password = sys.argv[1:4]
authenticator = auth.SessionAuth(username, password)
root = sushy.Sushy(url + "/redfish/v1/", auth=authenticator, verify=False)
system = root.get_system("/redfish/v1/Systems/system-0")
first = authenticator.get_session_resource_id()
print("ready", flush=True)
sys.stdin.readline()
system.refresh()
print(json.dumps({"first": first, "second": authenticator.get_session_resource_id(), "power": system.power_state.value}))
`;
import { makeSelfSignedCertificate, opensslAvailable } from '../support/self-signed.ts';

describe('Redfish emulator against sushy when a session expires', sushySuiteOptions(), () => {
  let emulator: RedfishEmulator;
  before(async () => {
    emulator = await startRedfishEmulator({ systems: 1, username: 'ironic', password: PASSWORD });
  });
  after(() => emulator.close());

  it('answers 401 to the dead token, and sushy logs in again', async () => {
    const env = { ...process.env };
    delete env['REQUESTS_CA_BUNDLE'];
    delete env['CURL_CA_BUNDLE'];
    const child = spawn(
      '/usr/bin/python3',
      ['-c', EXPIRY, emulator.url, emulator.username, PASSWORD],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env,
      },
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (stdout === 'ready\n') {
        // The BMC forgets every session, as one does on a restart or a timeout.
        for (const session of emulator.sessions.list()) emulator.sessions.close(session.id);
        child.stdin.end('go\n');
      }
    });
    const status = await closed;
    clearTimeout(killer);
    assert.equal(status, 0, stderr);
    const out = JSON.parse(stdout.slice('ready\n'.length)) as {
      first: string;
      second: string;
      power: string;
    };
    assert.match(out.first, /Sessions\/\d+$/);
    assert.match(out.second, /Sessions\/\d+$/);
    assert.notEqual(out.second, out.first);
    assert.equal(out.power, 'Off');
  });
});

const openssl = opensslAvailable;

describe(
  'Redfish emulator against sushy over HTTPS',
  openssl ? sushySuiteOptions() : { skip: 'openssl is not installed' },
  () => {
    let emulator: RedfishEmulator;
    let dir: string;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ferrite-redfish-sushy-'));
      makeSelfSignedCertificate(dir);
      emulator = await startRedfishEmulator({
        systems: 1,
        username: 'ironic',
        password: PASSWORD,
        tls: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      });
    });
    after(async () => {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('verifies the self-signed certificate and drives a system over a session', async () => {
      const out = await scenario(emulator, 'session', 'system-0', join(dir, 'cert.pem'));
      checkScenario(emulator, 0, out);
    });
  },
);

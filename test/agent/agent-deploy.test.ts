/**
 * The agent end to end, without a BMC: fake-hardware nodes with the
 * `direct` deploy interface, Ferrite's API listening on loopback, and real
 * `ferrite agent` processes with a file for a disk. The agent looks its node
 * up, heartbeats with its token, and the conductor drives it: the image
 * written and verified, the metadata erased, the hardware inspected.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { JsonObject } from '../../src/common/json.ts';
import type { Node } from '../../src/common/records.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import { startAgentProcess } from '../support/agent-process.ts';
import type { AgentProcess } from '../support/agent-process.ts';
import { startConductor } from '../support/conductor.ts';
import type { ConductorHarness } from '../support/conductor.ts';
import { startImageServer } from '../support/image-server.ts';
import type { ImageServer } from '../support/image-server.ts';

const MIB = 1024 * 1024;
const DISK_BYTES = 4 * 1024 * MIB;
const API_VERSION = { 'x-openstack-ironic-api-version': '1.72' };

let macCounter = 0;
function nextMac(): string {
  macCounter += 1;
  return `52:54:00:aa:00:${macCounter.toString(16).padStart(2, '0')}`;
}

/** A sparse file the size of a small disk: reads as zeros. */
async function sparseDisk(dir: string, name: string, bytes = DISK_BYTES): Promise<string> {
  const path = join(dir, name);
  const handle = await open(path, 'w');
  await handle.truncate(bytes);
  await handle.close();
  return path;
}

async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    return buffer;
  } finally {
    await handle.close();
  }
}

function isZero(buffer: Buffer): boolean {
  return buffer.every((b) => b === 0);
}

describe('the agent with the direct deploy interface', () => {
  const clock = new SimulatedClock(Date.now());
  const options = {
    agent: { apiUrl: '', commandTimeoutMs: 10_000, commandRetries: 1, fileUrlAllowedPaths: [''] },
    pxe: { httpRoot: '', httpUrl: '' },
  };
  let store: Store;
  let h: ConductorHarness;
  let api: FastifyInstance;
  let images: ImageServer;
  let dir: string;
  const agents: AgentProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferrite-agent-test-'));
    mkdirSync(join(dir, 'images'));
    options.agent.fileUrlAllowedPaths = [join(dir, 'images')];
    options.pxe.httpRoot = join(dir, 'httpboot');
    store = await openStore('sqlite::memory:', { clock });
    const factory = createDriverFactory({ clock, options });
    h = await startConductor(store, {}, { clock, factory });
    api = await buildApi({ conductor: h.conductor, store, httpRoot: options.pxe.httpRoot });
    options.agent.apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    options.pxe.httpUrl = `${options.agent.apiUrl}/boot`;
    images = await startImageServer();
  });
  after(async () => {
    await Promise.all(agents.map((a) => a.kill()));
    await images.close();
    await api.close();
    await h.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function agent(args: readonly string[]): Promise<AgentProcess> {
    const started = await startAgentProcess(['--api-url', options.agent.apiUrl, ...args]);
    agents.push(started);
    return started;
  }

  /** Waits (in real time: the agent is another process) until the node satisfies `ready`. */
  async function until(
    uuid: string,
    ready: (node: Node) => boolean,
    what: string,
    agentLog?: () => string,
  ): Promise<Node> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const node = await store.nodes.get(uuid);
      if (ready(node) && node.reservation === null) return node;
      if (Date.now() > deadline) {
        assert.fail(
          `node never ${what}: ${node.provisionState}, last_error ${String(node.lastError)}\n${agentLog?.() ?? ''}`,
        );
      }
      await sleep(20);
    }
  }

  async function availableNode(mac: string, extra: Partial<Node> = {}): Promise<Node> {
    const node = await h.conductor.createNode({
      driver: 'fake-hardware',
      deployInterface: 'direct',
      automatedClean: false,
      ...extra,
    });
    await h.conductor.createPort({ nodeUuid: node.uuid, address: mac });
    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    await h.act(h.conductor.changeProvisionState(node.uuid, 'provide'));
    const ready = await h.node(node.uuid);
    assert.equal(ready.provisionState, 'available', ready.lastError ?? '');
    return ready;
  }

  /**
   * Sets the image, deploys, and starts an agent for the node's disk and
   * MAC: the node once the deploy has ended (active or failed), and the agent.
   */
  async function deployThroughAgent(
    uuid: string,
    mac: string,
    disk: string,
    instanceInfo: JsonObject,
  ): Promise<{ node: Node; agent: AgentProcess }> {
    await h.conductor.updateNode(uuid, { instanceInfo });
    await h.act(h.conductor.changeProvisionState(uuid, 'active'));
    assert.equal((await h.node(uuid)).provisionState, 'wait call-back');
    const started = await agent(['--disk', disk, '--mac', mac]);
    const node = await until(
      uuid,
      (n) => n.provisionState === 'active' || n.provisionState === 'deploy failed',
      'deployed',
      started.log,
    );
    return { node, agent: started };
  }

  function serveImage(
    name: string,
    body: Buffer,
    stallAfter?: number,
  ): { url: string; sha256: string } {
    images.serve(`/${name}`, { body, ...(stallAfter === undefined ? {} : { stallAfter }) });
    return {
      url: `${images.url}/${name}`,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
  }

  it('deploys an image whose bytes are then on the disk, with the token required on every heartbeat', async () => {
    const mac = nextMac();
    const disk = await sparseDisk(dir, 'deploy.img');
    const node = await availableNode(mac);
    const image = randomBytes(3 * MIB + 123);
    const served = serveImage('good.raw', image);
    const { node: deployed, agent: a } = await deployThroughAgent(node.uuid, mac, disk, {
      image_source: served.url,
      image_os_hash_algo: 'sha256',
      image_os_hash_value: served.sha256,
    });
    assert.equal(deployed.provisionState, 'active', deployed.lastError ?? '');
    assert.deepEqual(await readAt(disk, 0, image.length), image, 'the disk holds the image');
    assert.ok(isZero(await readAt(disk, image.length, MIB)), 'and nothing after it');
    assert.equal(
      deployed.driverInternalInfo['agent_secret_token'],
      undefined,
      'the token is forgotten after the deploy',
    );
    assert.equal(deployed.powerState, 'power on');

    // The operation is over: the token it used is gone, and a heartbeat without one is refused.
    const refused = await api.inject({
      method: 'POST',
      url: `/v1/heartbeat/${node.uuid}`,
      headers: API_VERSION,
      payload: { callback_url: a.url, agent_token: 'guessed' },
    });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Invalid or missing agent token/);
    assert.match(a.log(), /found the node/);
    assert.doesNotMatch(
      a.log(),
      /heartbeat failed.*token/i,
      'the agent’s own heartbeats carried the token',
    );
  });

  it('deploys a file:// image from an allowed directory, published over the conductor’s HTTP root', async () => {
    const mac = nextMac();
    const disk = await sparseDisk(dir, 'file-image.img');
    const node = await availableNode(mac);
    const image = randomBytes(MIB + 7);
    const path = join(dir, 'images', 'local.raw');
    writeFileSync(path, image);
    const { node: deployed } = await deployThroughAgent(node.uuid, mac, disk, {
      image_source: `file://${path}`,
      image_checksum: createHash('sha512').update(image).digest('hex'),
    });
    assert.equal(deployed.provisionState, 'active', deployed.lastError ?? '');
    assert.deepEqual(await readAt(disk, 0, image.length), image);
    assert.equal(
      existsSync(join(options.pxe.httpRoot, node.uuid, 'instance-image')),
      false,
      'the published copy is gone once deployed',
    );
  });

  it('hands the token out at the first lookup only, and refuses heartbeats without it or with another', async () => {
    const mac = nextMac();
    const node = await availableNode(mac);
    const served = serveImage('never-fetched.raw', randomBytes(MIB));
    await h.conductor.updateNode(node.uuid, {
      instanceInfo: {
        image_source: served.url,
        image_os_hash_algo: 'sha256',
        image_os_hash_value: served.sha256,
      },
    });
    await h.act(h.conductor.changeProvisionState(node.uuid, 'active'));

    const first = await api.inject({
      method: 'GET',
      url: `/v1/lookup?addresses=${mac}`,
      headers: API_VERSION,
    });
    assert.equal(first.statusCode, 200, first.body);
    const token = first.json<{ config: { agent_token: string } }>().config.agent_token;
    assert.match(token, /^[A-Za-z0-9_-]{40,}$/);
    const second = await api.inject({
      method: 'GET',
      url: `/v1/lookup?addresses=${mac}`,
      headers: API_VERSION,
    });
    assert.equal(second.json<{ config: { agent_token: string } }>().config.agent_token, '******');
    assert.doesNotMatch(
      second.body,
      new RegExp(token),
      'the node view does not carry the token either',
    );

    const shown = await api.inject({
      method: 'GET',
      url: `/v1/nodes/${node.uuid}`,
      headers: API_VERSION,
    });
    assert.doesNotMatch(shown.body, new RegExp(token), 'the API never shows the token');

    for (const agentToken of [undefined, 'not-the-token']) {
      const beat = await api.inject({
        method: 'POST',
        url: `/v1/heartbeat/${node.uuid}`,
        headers: API_VERSION,
        payload: {
          callback_url: 'http://127.0.0.1:9',
          ...(agentToken ? { agent_token: agentToken } : {}),
        },
      });
      assert.equal(beat.statusCode, 400, `token ${String(agentToken)}`);
      assert.match(beat.body, /Invalid or missing agent token received/);
    }
    const stored = await store.nodes.get(node.uuid);
    assert.equal(
      stored.driverInternalInfo['agent_url'],
      undefined,
      'a refused heartbeat records nothing',
    );
    assert.equal(stored.provisionState, 'wait call-back');
    assert.equal(images.hits.get('/never-fetched.raw'), undefined);

    // A node some other work holds answers 409: the agent beats again soon.
    const held = await h.conductor.tasks.acquire(node.uuid, { purpose: 'holding the node' });
    const locked = await api.inject({
      method: 'POST',
      url: `/v1/heartbeat/${node.uuid}`,
      headers: API_VERSION,
      payload: { callback_url: 'http://127.0.0.1:9', agent_token: token },
    });
    await held.release();
    assert.equal(locked.statusCode, 409, locked.body);
  });

  it('fails a deploy whose image does not match its checksum, with a clear last_error and a wiped disk', async () => {
    const mac = nextMac();
    const disk = await sparseDisk(dir, 'bad-checksum.img');
    const node = await availableNode(mac);
    const served = serveImage('tampered.raw', randomBytes(2 * MIB));
    const wrong = createHash('sha256').update('something else').digest('hex');
    const { node: failed } = await deployThroughAgent(node.uuid, mac, disk, {
      image_source: served.url,
      image_os_hash_algo: 'sha256',
      image_os_hash_value: wrong,
    });
    assert.equal(failed.provisionState, 'deploy failed');
    assert.match(failed.lastError ?? '', /checksum/i);
    assert.match(failed.lastError ?? '', new RegExp(wrong));
    assert.ok(isZero(await readAt(disk, 0, 2 * MIB)), 'what was written is wiped');
  });

  it('erases the first and last MiB of the disk in automated cleaning, leaving the rest', async () => {
    const mac = nextMac();
    const disk = await sparseDisk(dir, 'clean.img');
    const pattern = randomBytes(MIB);
    const handle = await open(disk, 'r+');
    for (const offset of [0, MIB, DISK_BYTES / 2, DISK_BYTES - 2 * MIB, DISK_BYTES - MIB]) {
      await handle.write(pattern, 0, MIB, offset);
    }
    await handle.close();
    const node = await h.conductor.createNode({
      driver: 'fake-hardware',
      deployInterface: 'direct',
      automatedClean: true,
    });
    await h.conductor.createPort({ nodeUuid: node.uuid, address: mac });
    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    await h.act(h.conductor.changeProvisionState(node.uuid, 'provide'));
    assert.equal((await h.node(node.uuid)).provisionState, 'clean wait');

    const a = await agent(['--disk', disk, '--mac', mac]);
    const cleaned = await until(
      node.uuid,
      (n) => n.provisionState === 'available' || n.provisionState === 'clean failed',
      'cleaned',
      a.log,
    );
    assert.equal(cleaned.provisionState, 'available', cleaned.lastError ?? '');
    assert.ok(isZero(await readAt(disk, 0, MIB)), 'the first MiB is zeroed');
    assert.ok(isZero(await readAt(disk, DISK_BYTES - MIB, MIB)), 'the last MiB is zeroed');
    assert.deepEqual(await readAt(disk, MIB, MIB), pattern, 'the second MiB is kept');
    assert.deepEqual(await readAt(disk, DISK_BYTES / 2, MIB), pattern, 'the middle is kept');
    assert.deepEqual(
      await readAt(disk, DISK_BYTES - 2 * MIB, MIB),
      pattern,
      'the MiB before last is kept',
    );
    assert.equal(cleaned.powerState, 'power off', 'cleaning ends with the node off');
    assert.equal(cleaned.driverInternalInfo['agent_secret_token'], undefined);
  });

  it('inspects in band: properties from the agent’s inventory, a port per NIC', async () => {
    const macs = [nextMac(), nextMac()];
    const disk = await sparseDisk(dir, 'inspect.img', 20 * 1024 * MIB);
    const node = await h.conductor.createNode({
      driver: 'fake-hardware',
      inspectInterface: 'agent',
    });
    await h.act(h.conductor.changeProvisionState(node.uuid, 'manage'));
    await h.act(h.conductor.changeProvisionState(node.uuid, 'inspect'));
    assert.equal((await h.node(node.uuid)).provisionState, 'inspect wait');

    // No ports yet: the agent finds its node by UUID, as the boot configuration tells it.
    const a = await agent([
      '--disk',
      disk,
      '--mac',
      macs[0] ?? '',
      '--mac',
      macs[1] ?? '',
      '--node-uuid',
      node.uuid,
    ]);
    const inspected = await until(
      node.uuid,
      (n) => n.provisionState === 'manageable' || n.provisionState === 'inspect failed',
      'inspected',
      a.log,
    );
    assert.equal(inspected.provisionState, 'manageable', inspected.lastError ?? '');
    const cpus = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .filter((l) => /^processor\s*:/.test(l)).length;
    assert.equal(inspected.properties['cpus'], cpus, 'the CPU count of this machine');
    const memKb = Number(/MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    const memoryMb = inspected.properties['memory_mb'] as number;
    assert.ok(
      Math.abs(memoryMb - memKb / 1024) <= memKb / 1024 / 10,
      `memory_mb ${String(memoryMb)} near MemTotal`,
    );
    assert.equal(inspected.properties['local_gb'], 19, 'the disk less 1 GiB');
    assert.ok(typeof inspected.properties['cpu_arch'] === 'string');
    const ports = await store.ports.list({ nodeUuid: node.uuid });
    assert.deepEqual(ports.map((p) => p.address).sort(), [...macs].sort());
    const kept = await store.inventory.get(node.uuid);
    assert.ok(kept, 'the inventory is kept for the API');
    assert.equal(inspected.powerState, 'power off');
  });

  it('fails the deploy after the callback timeout when the agent dies mid-write, and releases the lock', async () => {
    const mac = nextMac();
    const disk = await sparseDisk(dir, 'killed.img');
    const node = await availableNode(mac);
    const served = serveImage('slow.raw', randomBytes(4 * MIB), MIB);
    await h.conductor.updateNode(node.uuid, {
      instanceInfo: {
        image_source: served.url,
        image_os_hash_algo: 'sha256',
        image_os_hash_value: served.sha256,
      },
    });
    await h.act(h.conductor.changeProvisionState(node.uuid, 'active'));
    const a = await agent(['--disk', disk, '--mac', mac]);
    await until(
      node.uuid,
      (n) => n.driverInternalInfo['agent_deploy_phase'] === 'writing',
      'writing',
      a.log,
    );
    while ((images.hits.get('/slow.raw') ?? 0) === 0) await sleep(10);
    await a.kill('SIGKILL');

    // Nothing more is heard from the node; simulated time runs out its wait.
    assert.equal(await h.conductor.checkTimeouts(), 0, 'not before the timeout');
    await clock.advance(30 * 60 * 1000 + 1);
    // (The node of the token test, left waiting, times out with it.)
    assert.ok((await h.act(h.conductor.checkTimeouts())) >= 1);
    const failed = await h.node(node.uuid);
    assert.equal(failed.provisionState, 'deploy failed');
    assert.match(failed.lastError ?? '', /Timeout reached while waiting for callback/);
    assert.equal(failed.reservation, null, 'the lock is released');
    assert.equal(failed.driverInternalInfo['agent_url'], undefined, 'the dead agent is forgotten');
  });
});

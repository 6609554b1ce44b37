/**
 * The client against Ferrite's own session server over loopback UDP.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import { createSocket } from 'node:dgram';
import { afterEach, describe, it } from 'node:test';
import type { IpmiLanServer, IpmiLanServerOptions } from '../../../../lab/ipmi/session-server.ts';
import { startIpmiLanServer, startIpmiLanServers } from '../../../../lab/ipmi/session-server.ts';
import { CIPHER_SUITE_3 } from '../protocol/cipher-suites.ts';
import { PayloadType } from '../protocol/constants.ts';
import { deriveSessionKeys } from '../protocol/keys.ts';
import { encodeLanRequest } from '../protocol/lan-message.ts';
import { encodeV20Packet, parsePacket } from '../protocol/packet.ts';
import type { BmcTarget, IpmiCommandHandler, IpmiRequest } from '../types.ts';
import { IpmiError, PrivilegeLevel } from '../types.ts';
import type { IpmiClientOptions } from './ipmi-client.ts';
import { IpmiClient } from './ipmi-client.ts';

const PASSWORD = 'pw-Zq8-secret';
const GET_CHASSIS_STATUS: IpmiRequest = { netFn: 0x00, command: 0x01 };
const GET_DEVICE_ID: IpmiRequest = { netFn: 0x06, command: 0x01 };

/** Echoes netFn, command and data back, so that a mixed-up answer shows. */
const echo: IpmiCommandHandler = (request) => ({
  completionCode: 0,
  data: Uint8Array.from([request.netFn, request.command, ...(request.data ?? [])]),
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function server(options: Partial<IpmiLanServerOptions> = {}): Promise<IpmiLanServer> {
  const started = await startIpmiLanServer({
    users: [{ name: 'admin', password: PASSWORD }],
    handler: echo,
    ...options,
  });
  cleanups.push(() => started.close());
  return started;
}

function client(options: IpmiClientOptions = {}): IpmiClient {
  const created = new IpmiClient({ timeoutMs: 200, retries: 2, ...options });
  cleanups.push(() => created.close());
  return created;
}

function target(at: { host: string; port: number }, overrides: Partial<BmcTarget> = {}): BmcTarget {
  return {
    host: at.host,
    port: at.port,
    username: 'admin',
    password: PASSWORD,
    privilege: PrivilegeLevel.ADMINISTRATOR,
    ...overrides,
  };
}

function assertIpmiError(kind: string, host: { port: number }) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof IpmiError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.ok(error.message.includes(`127.0.0.1:${String(host.port)}`), error.message);
    assert.ok(!error.message.includes(PASSWORD), 'the password leaked into the message');
    return true;
  };
}

describe('IpmiClient with the session server', () => {
  for (const cipherSuite of [3, 17, undefined]) {
    it(`answers requests over cipher suite ${String(cipherSuite ?? 'negotiated')}`, async () => {
      const bmc = await server();
      const ipmi = client();
      const channel = ipmi.channel(target(bmc, cipherSuite === undefined ? {} : { cipherSuite }));
      const response = await channel.request({
        netFn: 0x00,
        command: 0x02,
        data: Uint8Array.from([1]),
      });
      assert.deepEqual([response.completionCode, ...response.data], [0, 0x00, 0x02, 1]);
      const again = await channel.request(GET_DEVICE_ID);
      assert.deepEqual([...again.data], [0x06, 0x01]);
      assert.equal(bmc.sessionCount(), 1);
      assert.equal(ipmi.stats().sessions, 1);
    });
  }

  it('talks to a BMC on IPv6 loopback', async (t) => {
    let bmc: IpmiLanServer;
    try {
      bmc = await server({ host: '::1' });
    } catch {
      t.skip('no IPv6 loopback here');
      return;
    }
    const response = await client().channel(target(bmc)).request(GET_DEVICE_ID);
    assert.equal(response.completionCode, 0);
  });

  it('falls back to cipher suite 3 when the BMC offers only that', async () => {
    const bmc = await server({ cipherSuites: [3] });
    const response = await client().channel(target(bmc)).request(GET_DEVICE_ID);
    assert.equal(response.completionCode, 0);
  });

  it('gives the same channel for the same BMC and login, another for another privilege', async () => {
    const ipmi = client();
    const at = { host: '127.0.0.1', port: 623 };
    assert.equal(ipmi.channel(target(at)), ipmi.channel(target(at)));
    assert.notEqual(
      ipmi.channel(target(at)),
      ipmi.channel(target(at, { privilege: PrivilegeLevel.OPERATOR })),
    );
    assert.notEqual(ipmi.channel(target(at)), ipmi.channel(target(at, { cipherSuite: 3 })));
  });

  it('keeps at most maxInFlightPerBmc requests at the BMC; the rest queue', async () => {
    let active = 0;
    let most = 0;
    const bmc = await server({
      handler: async (request) => {
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setImmediate(resolve));
        active--;
        return echo(request);
      },
    });
    const channel = client({ maxInFlightPerBmc: 2 }).channel(target(bmc));
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => channel.request({ netFn: 0x30, command: i })),
    );
    answers.forEach((answer, i) => assert.deepEqual([...answer.data], [0x30, i]));
    assert.ok(most <= 2, `up to ${String(most)} at once`);
  });

  it('reports a wrong password, an unknown user and a refused privilege as authentication', async () => {
    const bmc = await server({
      users: [
        { name: 'admin', password: PASSWORD },
        { name: 'viewer', password: PASSWORD, maxPrivilege: PrivilegeLevel.USER },
      ],
    });
    const ipmi = client();
    for (const cipherSuite of [3, 17]) {
      await assert.rejects(
        ipmi.channel(target(bmc, { password: 'wrong', cipherSuite })).request(GET_DEVICE_ID),
        assertIpmiError('authentication', bmc),
      );
    }
    await assert.rejects(
      ipmi.channel(target(bmc, { username: 'nobody' })).request(GET_DEVICE_ID),
      assertIpmiError('authentication', bmc),
    );
    await assert.rejects(
      ipmi.channel(target(bmc, { username: 'viewer' })).request(GET_DEVICE_ID),
      assertIpmiError('authentication', bmc),
    );
    const user = await ipmi
      .channel(target(bmc, { username: 'viewer', privilege: PrivilegeLevel.USER }))
      .request(GET_DEVICE_ID);
    assert.equal(user.completionCode, 0);
  });

  it('times out against a closed server', async () => {
    const bmc = await server();
    await bmc.close();
    const ipmi = client({ timeoutMs: 150, retries: 1 });
    await assert.rejects(
      ipmi.channel(target(bmc)).request(GET_DEVICE_ID),
      assertIpmiError('timeout', bmc),
    );
  });

  it('gets answers through retries when the first packets are lost', async () => {
    let dropped = 0;
    let seen = 0;
    const bmc = await server({
      inboundFilter: () => {
        seen++;
        // The first three datagrams, then every fifth one.
        const drop = seen <= 3 || seen % 5 === 0;
        if (drop) dropped++;
        return !drop;
      },
    });
    const channel = client({ timeoutMs: 100, retries: 3 }).channel(target(bmc));
    for (let i = 0; i < 8; i++) {
      const answer = await channel.request({ netFn: 0x30, command: i });
      assert.deepEqual([...answer.data], [0x30, i]);
    }
    assert.ok(dropped >= 3);
  });

  it('opens a new session once when the BMC forgot the old one', async () => {
    const first = await server();
    const ipmi = client({ timeoutMs: 100, retries: 0 });
    const channel = ipmi.channel(target(first));
    assert.equal((await channel.request(GET_DEVICE_ID)).completionCode, 0);
    await first.close();
    // A rebooted BMC on the same port knows nothing of the session.
    const second = await server({ port: first.port });
    assert.equal((await channel.request(GET_DEVICE_ID)).completionCode, 0);
    assert.equal(second.sessionCount(), 1);
  });

  it('ignores garbage, foreign sessions, forged and replayed answers', async () => {
    const bmc = await server();
    const proxy = await meddlingProxy(bmc);
    cleanups.push(proxy.close);
    const ipmi = client();
    const channel = ipmi.channel(target({ host: '127.0.0.1', port: proxy.port }));
    for (let i = 0; i < 10; i++) {
      const answer = await channel.request({ netFn: 0x30, command: i, data: Uint8Array.from([i]) });
      assert.deepEqual([...answer.data], [0x30, i, i]);
    }
    assert.ok(proxy.injected() > 0);
    assert.ok(ipmi.stats().droppedPackets >= proxy.injected(), JSON.stringify(ipmi.stats()));
  });

  it('serves 200 BMCs at once over two sockets', async () => {
    const servers = await startIpmiLanServers(200, {
      users: [{ name: 'admin', password: PASSWORD }],
      handler: echo,
    });
    cleanups.push(async () => {
      await Promise.all(servers.map((s) => s.close()));
    });
    const ipmi = client({ sockets: 2, timeoutMs: 1_000, retries: 3 });
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all(
        servers.map((s, i) =>
          ipmi.channel(target(s, { cipherSuite: i % 2 === 0 ? 3 : 17 })).request({
            netFn: 0x30,
            command: round,
            data: Uint8Array.from([i & 0xff]),
          }),
        ),
      );
      answers.forEach((answer, i) => assert.deepEqual([...answer.data], [0x30, round, i & 0xff]));
    }
    assert.equal(ipmi.stats().sockets, 2);
    assert.equal(ipmi.stats().sessions, 200);
  });

  it('rejects with aborted: before sending, while waiting for the answer, while queued', async () => {
    let arrived: (() => void) | undefined;
    const bmc = await server({
      handler: (request) => {
        if (request.command === 0x99) {
          arrived?.();
          return new Promise(() => undefined);
        }
        return echo(request);
      },
    });
    const channel = client({ maxInFlightPerBmc: 1, timeoutMs: 5_000 }).channel(target(bmc));
    await assert.rejects(
      channel.request(GET_DEVICE_ID, AbortSignal.abort()),
      assertIpmiError('aborted', bmc),
    );
    const controller = new AbortController();
    const atBmc = new Promise<void>((resolve) => (arrived = resolve));
    const stuck = channel.request({ netFn: 0x30, command: 0x99 }, controller.signal);
    const queuedController = new AbortController();
    const queued = channel.request(GET_DEVICE_ID, queuedController.signal);
    await atBmc;
    queuedController.abort();
    await assert.rejects(queued, assertIpmiError('aborted', bmc));
    controller.abort();
    await assert.rejects(stuck, assertIpmiError('aborted', bmc));
    // The slot is free again.
    assert.equal((await channel.request(GET_DEVICE_ID)).completionCode, 0);
  });

  it('keeps an idle session alive with Get Device ID, then closes it', async () => {
    let keptAlive: (() => void) | undefined;
    const bmc = await server({
      handler: (request) => {
        if (request.netFn === 0x06 && request.command === 0x01) keptAlive?.();
        return echo(request);
      },
    });
    const ipmi = client({ keepAliveMs: 20, idleCloseMs: 200 });
    const alive = new Promise<void>((resolve) => (keptAlive = resolve));
    await ipmi.channel(target(bmc)).request(GET_CHASSIS_STATUS);
    await alive;
    const closed = await untilTrue(() => ipmi.stats().sessions === 0 && bmc.sessionCount() === 0);
    assert.ok(closed);
  });

  it('closes its sessions on close(), idempotently, and refuses requests afterwards', async () => {
    const bmc = await server();
    const ipmi = client();
    const channel = ipmi.channel(target(bmc));
    await channel.request(GET_DEVICE_ID);
    assert.equal(bmc.sessionCount(), 1);
    await Promise.all([ipmi.close(), ipmi.close()]);
    assert.equal(bmc.sessionCount(), 0);
    await assert.rejects(channel.request(GET_DEVICE_ID), assertIpmiError('session', bmc));
    await assert.rejects(ipmi.channel(target(bmc)).request(GET_DEVICE_ID), { kind: 'session' });
  });
});

/** Resolves true once `condition` holds, checking after every turn of the event loop (for at most 5 s). */
async function untilTrue(condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

/**
 * A UDP relay between the client and `bmc` that, before each genuine
 * answer, sends the client garbage, a packet of a foreign session, a forged
 * packet with the client's session ID and a replay of the previous answer.
 */
async function meddlingProxy(
  bmc: IpmiLanServer,
): Promise<{ port: number; injected: () => number; close: () => Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let console: RemoteInfo | undefined;
  let injected = 0;
  let previous: Buffer | undefined;
  const forgedKeys = deriveSessionKeys(CIPHER_SUITE_3, randomBytes(20));
  socket.on('message', (datagram, from) => {
    if (from.port !== bmc.port) {
      console = from;
      socket.send(datagram, bmc.port, bmc.host);
      return;
    }
    if (console === undefined) return;
    const to = console;
    const send = (bytes: Uint8Array): void => {
      injected++;
      socket.send(bytes, to.port, to.address);
    };
    const packet = parsePacket(datagram);
    if (packet.format === 'v2.0' && packet.sessionId !== 0) {
      send(randomBytes(40));
      const forged = (sessionId: number): Buffer =>
        encodeV20Packet(
          {
            payloadType: PayloadType.IPMI,
            sessionId,
            sequence: packet.sequence + 1,
            payload: encodeLanRequest({ netFn: 0x31, command: 0, data: Buffer.alloc(0), rqSeq: 1 }),
          },
          forgedKeys,
        );
      send(forged(packet.sessionId ^ 0x5a5a));
      send(forged(packet.sessionId));
      if (previous !== undefined) send(previous);
      previous = datagram;
      socket.send(datagram, to.port, to.address);
      return;
    }
    socket.send(datagram, to.port, to.address);
  });
  return {
    port: socket.address().port,
    injected: () => injected,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

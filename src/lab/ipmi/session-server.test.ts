import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ipmitoolSuiteOptions, runIpmitool } from '../../../test/support/ipmitool.ts';
import type { CipherSuite } from '../../drivers/modules/ipmi/protocol/cipher-suites.ts';
import {
  CIPHER_SUITE_17,
  CIPHER_SUITE_3,
} from '../../drivers/modules/ipmi/protocol/cipher-suites.ts';
import { PayloadType } from '../../drivers/modules/ipmi/protocol/constants.ts';
import type { RakpContext, SessionKeys } from '../../drivers/modules/ipmi/protocol/keys.ts';
import {
  deriveSessionKeys,
  rakp3AuthCode,
  sessionIntegrityKey,
} from '../../drivers/modules/ipmi/protocol/keys.ts';
import {
  decodeLanResponse,
  encodeLanRequest,
} from '../../drivers/modules/ipmi/protocol/lan-message.ts';
import type { LanResponse } from '../../drivers/modules/ipmi/protocol/lan-message.ts';
import {
  encodeV20Packet,
  parsePacket,
  unsealPayload,
} from '../../drivers/modules/ipmi/protocol/packet.ts';
import {
  decodeOpenSessionResponse,
  decodeRakp2,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
} from '../../drivers/modules/ipmi/protocol/session-setup.ts';
import type { IpmiCommandHandler, IpmiRequest } from '../../drivers/modules/ipmi/types.ts';
import { PrivilegeLevel } from '../../drivers/modules/ipmi/types.ts';
import type { IpmiLanServer } from './session-server.ts';
import { startIpmiLanServer } from './session-server.ts';
import { SessionResponder } from './session-responder.ts';

/** Get Device ID and Get Chassis Status (power on), everything else "invalid command". */
function tinyBmc(seen: IpmiRequest[] = []): IpmiCommandHandler {
  return (request) => {
    seen.push(request);
    if (request.netFn === 0x06 && request.command === 0x01) {
      return {
        completionCode: 0,
        data: Uint8Array.from([0x20, 0x81, 0x01, 0x02, 0x02, 0xbf, 0x57, 0x01, 0x00, 0x34, 0x12]),
      };
    }
    if (request.netFn === 0x00 && request.command === 0x01) {
      return { completionCode: 0, data: Uint8Array.from([0x01, 0x00, 0x00]) };
    }
    return { completionCode: 0xc1, data: new Uint8Array(0) };
  };
}

describe('session server with the real ipmitool', ipmitoolSuiteOptions(), () => {
  let server: IpmiLanServer;
  const seen: IpmiRequest[] = [];
  before(async () => {
    server = await startIpmiLanServer({
      users: [{ name: 'u', password: 'secret-pw' }],
      handler: tinyBmc(seen),
    });
  });
  after(() => server.close());
  const target = (cipherSuite?: number, password = 'secret-pw', username = 'u') => ({
    host: server.host,
    port: server.port,
    username,
    password,
    ...(cipherSuite === undefined ? {} : { cipherSuite }),
  });

  for (const suite of [3, 17]) {
    it(`answers mc info, raw Get Device ID and chassis power status over cipher suite ${suite}`, async () => {
      const info = await runIpmitool(target(suite), ['mc', 'info']);
      assert.equal(info.status, 0, info.stderr);
      assert.match(info.stdout, /Device ID\s+: 32/);
      assert.match(info.stdout, /Product ID\s+: 4660/);
      const raw = await runIpmitool(target(suite), ['raw', '0x06', '0x01']);
      assert.equal(raw.status, 0, raw.stderr);
      assert.equal(raw.stdout.trim(), '20 81 01 02 02 bf 57 01 00 34 12');
      const power = await runIpmitool(target(suite), ['chassis', 'power', 'status']);
      assert.equal(power.status, 0, power.stderr);
      assert.match(power.stdout, /Chassis Power is on/);
      // ipmitool closes its session on exit.
      assert.equal(server.sessionCount(), 0);
    });
  }

  it('lets ipmitool pick the suite from Get Channel Cipher Suites', async () => {
    const raw = await runIpmitool(target(), ['raw', '0x00', '0x01']);
    assert.equal(raw.status, 0, raw.stderr);
    assert.equal(raw.stdout.trim(), '01 00 00');
  });

  it('refuses a wrong password and an unknown user before any command', async () => {
    const before = seen.length;
    const wrong = await runIpmitool(target(3, 'not-it'), ['raw', '0x06', '0x01']);
    assert.notEqual(wrong.status, 0);
    const unknown = await runIpmitool(target(17, 'secret-pw', 'nobody'), ['raw', '0x06', '0x01']);
    assert.notEqual(unknown.status, 0);
    // (The half-open sessions stay until the session timeout, as on a real BMC.)
    assert.equal(seen.length, before);
  });
});

/** Drives the responder through Open Session and RAKP by hand. */
async function handshake(
  responder: SessionResponder,
  suite: CipherSuite,
  role: number,
  password = 'pw',
): Promise<{ keys: SessionKeys; bmcSessionId: number; consoleSessionId: number }> {
  const consoleSessionId = 0x1234;
  const send = async (payloadType: number, payload: Uint8Array) => {
    const reply = await responder.respond(
      encodeV20Packet({ payloadType, sessionId: 0, sequence: 0, payload }),
    );
    assert.ok(reply !== undefined);
    const packet = parsePacket(reply);
    assert.ok(packet.format === 'v2.0');
    return packet.payload;
  };
  const opened = decodeOpenSessionResponse(
    await send(
      PayloadType.OPEN_SESSION_REQUEST,
      encodeOpenSessionRequest({
        tag: 1,
        privilege: 0,
        consoleSessionId,
        algorithms: {
          auth: suite.authAlgorithm,
          integrity: suite.integrityAlgorithm,
          confidentiality: 1,
        },
      }),
    ),
  );
  assert.equal(opened.status, 0);
  const consoleRandom = randomBytes(16);
  const username = Buffer.from('admin');
  const rakp2 = decodeRakp2(
    await send(
      PayloadType.RAKP1,
      encodeRakp1({ tag: 2, bmcSessionId: opened.bmcSessionId, consoleRandom, role, username }),
    ),
  );
  assert.equal(rakp2.status, 0);
  const context: RakpContext = {
    suite,
    consoleSessionId,
    bmcSessionId: opened.bmcSessionId,
    consoleRandom,
    bmcRandom: rakp2.bmcRandom!,
    bmcGuid: rakp2.bmcGuid!,
    role,
    username,
  };
  const kuid = Buffer.from(password);
  const rakp4 = decodeRakp4(
    await send(
      PayloadType.RAKP3,
      encodeRakp3({
        tag: 3,
        status: 0,
        bmcSessionId: opened.bmcSessionId,
        authCode: rakp3AuthCode(context, kuid),
      }),
    ),
  );
  if (rakp4.status !== 0)
    throw Object.assign(new Error('RAKP 4 refused'), { status: rakp4.status });
  const keys = deriveSessionKeys(suite, sessionIntegrityKey(context, kuid));
  return { keys, bmcSessionId: opened.bmcSessionId, consoleSessionId };
}

describe('session responder', () => {
  const handled: IpmiRequest[] = [];
  const responder = (maxPrivilege?: PrivilegeLevel) =>
    new SessionResponder({
      users: [
        { name: 'admin', password: 'pw', ...(maxPrivilege === undefined ? {} : { maxPrivilege }) },
      ],
      cipherSuites: [CIPHER_SUITE_3, CIPHER_SUITE_17],
      handler: tinyBmc(handled),
      sessionTimeoutMs: 60_000,
      guid: randomBytes(16),
    });

  async function call(
    bmc: SessionResponder,
    session: { keys: SessionKeys; bmcSessionId: number },
    sequence: number,
    netFn: number,
    command: number,
    data: number[] = [],
  ): Promise<LanResponse | undefined> {
    const payload = encodeLanRequest({
      netFn,
      command,
      data: Buffer.from(data),
      rqSeq: sequence & 0x3f,
    });
    const reply = await bmc.respond(
      encodeV20Packet(
        { payloadType: PayloadType.IPMI, sessionId: session.bmcSessionId, sequence, payload },
        session.keys,
      ),
    );
    if (reply === undefined) return undefined;
    const packet = parsePacket(reply);
    assert.ok(packet.format === 'v2.0');
    return decodeLanResponse(unsealPayload(packet, session.keys));
  }

  for (const suite of [CIPHER_SUITE_3, CIPHER_SUITE_17]) {
    it(`suite ${suite.id}: answers, refuses replays and far-off sequence numbers, sets privilege, closes`, async () => {
      const bmc = responder(PrivilegeLevel.ADMINISTRATOR);
      const session = await handshake(bmc, suite, 0x14);
      assert.equal((await call(bmc, session, 1, 0x06, 0x01))?.completionCode, 0);
      assert.equal(await call(bmc, session, 1, 0x06, 0x01), undefined, 'replay');
      assert.equal(await call(bmc, session, 100, 0x06, 0x01), undefined, 'too far ahead');
      assert.equal((await call(bmc, session, 3, 0x06, 0x01))?.completionCode, 0);
      assert.equal((await call(bmc, session, 2, 0x06, 0x01))?.completionCode, 0, 'late, not seen');
      const raised = await call(bmc, session, 4, 0x06, 0x3b, [4]);
      assert.deepEqual([raised?.completionCode, ...(raised?.data ?? [])], [0, 4]);
      assert.equal((await call(bmc, session, 5, 0x06, 0x3b, [5]))?.completionCode, 0x81);
      // Unauthenticated requests inside a session are ignored.
      const plain = encodeV20Packet({
        payloadType: PayloadType.IPMI,
        sessionId: session.bmcSessionId,
        sequence: 6,
        payload: encodeLanRequest({ netFn: 6, command: 1, data: Buffer.alloc(0), rqSeq: 6 }),
      });
      assert.equal(await bmc.respond(plain), undefined);
      const id = Buffer.alloc(4);
      id.writeUInt32LE(session.bmcSessionId);
      assert.equal((await call(bmc, session, 7, 0x06, 0x3c, [...id]))?.completionCode, 0);
      assert.equal(bmc.sessionCount(), 0);
      assert.equal(await call(bmc, session, 8, 0x06, 0x01), undefined, 'closed');
    });
  }

  it('refuses a RAKP 3 with a wrong HMAC and a role above the user’s', async () => {
    const bmc = responder(PrivilegeLevel.OPERATOR);
    await assert.rejects(handshake(bmc, CIPHER_SUITE_3, 0x13, 'wrong'), { status: 0x0f });
    assert.equal(bmc.sessionCount(), 0);
    await assert.rejects(handshake(bmc, CIPHER_SUITE_3, 0x14));
    assert.equal(bmc.sessionCount(), 0);
  });

  it('never throws and stays silent on random or mutated datagrams', async () => {
    const bmc = responder();
    const session = await handshake(bmc, CIPHER_SUITE_17, 0x14);
    const valid = encodeV20Packet(
      {
        payloadType: PayloadType.IPMI,
        sessionId: session.bmcSessionId,
        sequence: 1,
        payload: encodeLanRequest({ netFn: 6, command: 1, data: Buffer.alloc(0), rqSeq: 1 }),
      },
      session.keys,
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 120 }), async (datagram) => {
        await bmc.respond(datagram);
      }),
      { numRuns: 400 },
    );
    // Every byte after the RMCP header is covered by the AuthCode: a mutated
    // copy of a valid request never reaches the handler. (It may still get an
    // answer when the mutation turned it into a session setup message.)
    const handledBefore = handled.length;
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(
            fc.tuple(
              fc.integer({ min: 4, max: valid.length - 1 }),
              fc.integer({ min: 0, max: 255 }),
            ),
            {
              minLength: 1,
              maxLength: 3,
            },
          )
          .map((edits) => {
            const copy = Buffer.from(valid);
            for (const [at, value] of edits) copy[at] = value;
            return copy;
          })
          .filter((copy) => !copy.equals(valid)),
        async (datagram) => {
          const reply = await bmc.respond(datagram);
          if (reply !== undefined) {
            const packet = parsePacket(reply);
            assert.ok(packet.format !== 'v2.0' || packet.payloadType !== PayloadType.IPMI);
          }
        },
      ),
      { numRuns: 400 },
    );
    assert.equal(handled.length, handledBefore);
  });
});

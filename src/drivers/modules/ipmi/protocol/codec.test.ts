import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { IpmiError } from '../types.ts';
import { CIPHER_SUITE_17, CIPHER_SUITE_3 } from './cipher-suites.ts';
import { decryptPayload, encryptPayload } from './confidentiality.ts';
import { PayloadType } from './constants.ts';
import { deriveSessionKeys } from './keys.ts';
import {
  decodeLanRequest,
  decodeLanResponse,
  encodeLanRequest,
  encodeLanResponse,
} from './lan-message.ts';
import { encodeV15Packet, encodeV20Packet, parsePacket, unsealPayload } from './packet.ts';
import { SequenceWindow } from './sequence-window.ts';
import { cipherSuiteIds, channelCipherSuitesResponse } from './session-commands.ts';
import {
  decodeOpenSessionRequest,
  decodeOpenSessionResponse,
  decodeRakp1,
  decodeRakp2,
  decodeRakp3,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeOpenSessionResponse,
  encodeRakp1,
  encodeRakp2,
  encodeRakp3,
  encodeRakp4,
} from './session-setup.ts';

const algorithms = { auth: 1, integrity: 1, confidentiality: 1 };

describe('IPMI LAN message', () => {
  it('round-trips a request and its response', () => {
    const request = decodeLanRequest(
      encodeLanRequest({
        netFn: 0x00,
        command: 0x01,
        data: Buffer.from([1, 2]),
        rqSeq: 63,
        rsLun: 2,
      }),
    );
    assert.deepEqual(
      { ...request, data: [...request.data] },
      {
        rsAddr: 0x20,
        netFn: 0,
        rsLun: 2,
        rqAddr: 0x81,
        rqSeq: 63,
        rqLun: 0,
        command: 1,
        data: [1, 2],
      },
    );
    const response = decodeLanResponse(encodeLanResponse(request, 0xc1, Buffer.from([9])));
    assert.equal(response.netFn, 0x01);
    assert.equal(response.rqSeq, 63);
    assert.equal(response.rsLun, 2);
    assert.equal(response.completionCode, 0xc1);
    assert.deepEqual([...response.data], [9]);
  });

  it('rejects a wrong checksum with a protocol error', () => {
    const bytes = encodeLanRequest({ netFn: 6, command: 1, data: Buffer.alloc(0), rqSeq: 1 });
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    assert.throws(
      () => decodeLanRequest(bytes),
      (e) => e instanceof IpmiError && e.kind === 'protocol',
    );
  });
});

describe('session framing', () => {
  it('round-trips an IPMI 1.5 session-less packet', () => {
    const packet = parsePacket(
      encodeV15Packet({ sequence: 0, sessionId: 0, message: Buffer.from([1, 2, 3]) }),
    );
    assert.ok(packet.format === 'v1.5');
    assert.deepEqual([...packet.message], [1, 2, 3]);
  });

  for (const suite of [CIPHER_SUITE_3, CIPHER_SUITE_17]) {
    it(`seals and unseals with cipher suite ${suite.id}: pad to 4, next header 07, AuthCode of ${suite.authCodeLength}`, () => {
      const keys = deriveSessionKeys(suite, randomBytes(suite.hash === 'sha1' ? 20 : 32));
      for (let length = 0; length < 40; length++) {
        const payload = randomBytes(length);
        const datagram = encodeV20Packet(
          { payloadType: PayloadType.IPMI, sessionId: 0x01020304, sequence: 7, payload },
          keys,
        );
        // Auth type through next header is a multiple of 4 bytes.
        assert.equal((datagram.length - 4 - suite.authCodeLength) % 4, 0);
        assert.equal(datagram[datagram.length - suite.authCodeLength - 1], 0x07);
        const packet = parsePacket(datagram);
        assert.ok(packet.format === 'v2.0' && packet.authenticated && packet.encrypted);
        assert.deepEqual(unsealPayload(packet, keys), payload);
        // Any flipped bit breaks the AuthCode.
        const tampered = Buffer.from(datagram);
        tampered[4 + ((length * 7) % (tampered.length - 4))]! ^= 0x10;
        assert.throws(() => {
          const parsed = parsePacket(tampered);
          if (parsed.format !== 'v2.0') throw new Error('format changed');
          unsealPayload(parsed, keys);
        }, IpmiError);
      }
    });
  }

  it('pads AES-CBC plaintext with 1, 2, 3, … and the pad length', () => {
    const key = randomBytes(16);
    const iv = randomBytes(16);
    for (const length of [0, 1, 14, 15, 16, 17, 31]) {
      const data = randomBytes(length);
      const sealed = encryptPayload(key, data, iv);
      assert.deepEqual(sealed.subarray(0, 16), iv);
      const raw = createDecipheriv('aes-128-cbc', key, iv).setAutoPadding(false);
      const plain = Buffer.concat([raw.update(sealed.subarray(16)), raw.final()]);
      const pad = (15 - (length % 16) + 16) % 16;
      assert.equal(plain.length, length + pad + 1);
      assert.deepEqual(
        [...plain.subarray(length)],
        [...Array.from({ length: pad }, (_, i) => i + 1), pad],
      );
      assert.deepEqual(decryptPayload(key, sealed), data);
    }
  });
});

describe('session setup messages', () => {
  it('round-trips Open Session Request/Response and RAKP 1–4', () => {
    const open = { tag: 5, privilege: 4, consoleSessionId: 0xdeadbeef, algorithms };
    assert.deepEqual(decodeOpenSessionRequest(encodeOpenSessionRequest(open)), open);
    const response = {
      tag: 5,
      status: 0,
      maxPrivilege: 4,
      consoleSessionId: 0xdeadbeef,
      bmcSessionId: 0x11223344,
      algorithms: { auth: 3, integrity: 4, confidentiality: 1 },
    };
    assert.deepEqual(decodeOpenSessionResponse(encodeOpenSessionResponse(response)), response);
    const refused = decodeOpenSessionResponse(Buffer.from([5, 0x11]));
    assert.equal(refused.status, 0x11);

    const rakp1 = {
      tag: 1,
      bmcSessionId: 9,
      consoleRandom: randomBytes(16),
      role: 0x14,
      username: Buffer.from('admin'),
    };
    assert.deepEqual(decodeRakp1(encodeRakp1(rakp1)), rakp1);
    const rakp2 = {
      tag: 1,
      status: 0,
      consoleSessionId: 8,
      bmcRandom: randomBytes(16),
      bmcGuid: randomBytes(16),
      authCode: randomBytes(20),
    };
    assert.deepEqual(decodeRakp2(encodeRakp2(rakp2)), rakp2);
    assert.deepEqual(decodeRakp2(encodeRakp2({ tag: 2, status: 0x0d, consoleSessionId: 8 })), {
      tag: 2,
      status: 0x0d,
      consoleSessionId: 8,
    });
    const rakp3 = { tag: 3, status: 0, bmcSessionId: 9, authCode: randomBytes(32) };
    assert.deepEqual(decodeRakp3(encodeRakp3(rakp3)), rakp3);
    const rakp4 = { tag: 3, status: 0, consoleSessionId: 8, integrityCheckValue: randomBytes(16) };
    assert.deepEqual(decodeRakp4(encodeRakp4(rakp4)), rakp4);
  });

  it('lists cipher suites 3 and 17 as ipmitool reads them', () => {
    const data = channelCipherSuitesResponse(Buffer.from([0x0e, 0x00, 0x80]), [
      CIPHER_SUITE_3,
      CIPHER_SUITE_17,
    ]);
    assert.equal(data?.toString('hex'), '01c0030141 81c0110344 81'.replace(/ /g, ''));
    assert.deepEqual(cipherSuiteIds(data.subarray(1)), [3, 17]);
    assert.equal(
      channelCipherSuitesResponse(Buffer.from([0x0e, 0x00, 0x81]), [CIPHER_SUITE_3])?.length,
      1,
    );
  });
});

describe('sequence window', () => {
  it('takes new numbers, a few late ones once, and refuses replays, 0 and wild jumps', () => {
    const window = new SequenceWindow(8, 16);
    assert.equal(window.accept(0), false);
    assert.equal(window.accept(10), true);
    assert.equal(window.accept(10), false);
    assert.equal(window.accept(12), true);
    assert.equal(window.accept(11), true);
    assert.equal(window.accept(11), false);
    assert.equal(window.accept(4), false);
    assert.equal(window.accept(40), false);
    assert.equal(window.accept(28), true);
    const wrapping = new SequenceWindow(8, 16);
    assert.equal(wrapping.accept(0xfffffffe), true);
    assert.equal(wrapping.accept(3), true);
    assert.equal(wrapping.accept(0xffffffff), true);
  });
});

/**
 * Every parser, fed random and mutated packets, either returns or throws an
 * IpmiError of kind 'protocol': never a RangeError, TypeError or a crash.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IpmiError, IpmiErrorKind } from '../types.ts';
import { CIPHER_SUITE_17, CIPHER_SUITE_3 } from './cipher-suites.ts';
import { decryptPayload } from './confidentiality.ts';
import { PayloadType } from './constants.ts';
import { deriveSessionKeys } from './keys.ts';
import {
  decodeLanRequest,
  decodeLanResponse,
  encodeLanRequest,
  encodeLanResponse,
} from './lan-message.ts';
import { encodeV15Packet, encodeV20Packet, parsePacket, unsealPayload } from './packet.ts';
import { cipherSuiteIds, decodeChannelAuthCapabilities } from './session-commands.ts';
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

function onlyTypedErrors(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof IpmiError, `threw ${String(error)}`);
    assert.equal(error.kind, IpmiErrorKind.PROTOCOL);
  }
}

const keys3 = deriveSessionKeys(CIPHER_SUITE_3, randomBytes(20));
const keys17 = deriveSessionKeys(CIPHER_SUITE_17, randomBytes(32));

const lanRequest = encodeLanRequest({
  netFn: 6,
  command: 1,
  data: Buffer.from([1, 2, 3]),
  rqSeq: 5,
});
const samples: Buffer[] = [
  encodeV15Packet({ sequence: 0, sessionId: 0, message: lanRequest }),
  encodeV20Packet({
    payloadType: PayloadType.IPMI,
    sessionId: 0,
    sequence: 0,
    payload: lanRequest,
  }),
  encodeV20Packet(
    { payloadType: PayloadType.IPMI, sessionId: 7, sequence: 9, payload: lanRequest },
    keys3,
  ),
  encodeV20Packet(
    { payloadType: PayloadType.IPMI, sessionId: 7, sequence: 9, payload: lanRequest },
    keys17,
  ),
  encodeV20Packet({
    payloadType: PayloadType.OPEN_SESSION_REQUEST,
    sessionId: 0,
    sequence: 0,
    payload: encodeOpenSessionRequest({
      tag: 1,
      privilege: 4,
      consoleSessionId: 3,
      algorithms: { auth: 1, integrity: 1, confidentiality: 1 },
    }),
  }),
];

/** Payload decoders with a valid sample each, to mutate. */
const payloadParsers: Array<[string, (bytes: Uint8Array) => unknown, Buffer]> = [
  ['LAN request', decodeLanRequest, lanRequest],
  [
    'LAN response',
    decodeLanResponse,
    encodeLanResponse(decodeLanRequest(lanRequest), 0, Buffer.from([1])),
  ],
  [
    'Open Session Request',
    decodeOpenSessionRequest,
    encodeOpenSessionRequest({
      tag: 1,
      privilege: 4,
      consoleSessionId: 3,
      algorithms: { auth: 3, integrity: 4, confidentiality: 1 },
    }),
  ],
  [
    'Open Session Response',
    decodeOpenSessionResponse,
    encodeOpenSessionResponse({
      tag: 1,
      status: 0,
      maxPrivilege: 4,
      consoleSessionId: 3,
      bmcSessionId: 4,
      algorithms: { auth: 1, integrity: 1, confidentiality: 1 },
    }),
  ],
  [
    'RAKP 1',
    decodeRakp1,
    encodeRakp1({
      tag: 1,
      bmcSessionId: 4,
      consoleRandom: randomBytes(16),
      role: 0x14,
      username: Buffer.from('admin'),
    }),
  ],
  [
    'RAKP 2',
    decodeRakp2,
    encodeRakp2({
      tag: 1,
      status: 0,
      consoleSessionId: 3,
      bmcRandom: randomBytes(16),
      bmcGuid: randomBytes(16),
      authCode: randomBytes(20),
    }),
  ],
  [
    'RAKP 3',
    decodeRakp3,
    encodeRakp3({ tag: 1, status: 0, bmcSessionId: 4, authCode: randomBytes(20) }),
  ],
  [
    'RAKP 4',
    decodeRakp4,
    encodeRakp4({ tag: 1, status: 0, consoleSessionId: 3, integrityCheckValue: randomBytes(12) }),
  ],
  [
    'channel auth capabilities',
    decodeChannelAuthCapabilities,
    Buffer.from([1, 0x80, 4, 2, 0, 0, 0, 0]),
  ],
  ['cipher suite records', cipherSuiteIds, Buffer.from([0xc0, 3, 1, 0x41, 0x81, 0xc1, 0x11])],
  ['AES payload', (bytes) => decryptPayload(keys3.aesKey, bytes), randomBytes(32)],
];

/** A valid sample with some bytes overwritten, some cut off or some appended. */
function mutated(sample: Buffer): fc.Arbitrary<Buffer> {
  return fc.oneof(
    fc
      .array(fc.tuple(fc.nat(sample.length - 1), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      })
      .map((edits) => {
        const copy = Buffer.from(sample);
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      }),
    fc.nat(sample.length).map((length) => Buffer.from(sample.subarray(0, length))),
    fc.uint8Array({ minLength: 1, maxLength: 40 }).map((tail) => Buffer.concat([sample, tail])),
  );
}

const RUNS = 400;

describe('parsers under fuzzing', () => {
  it('parsePacket and unsealPayload: random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        onlyTypedErrors(() => {
          const packet = parsePacket(bytes);
          if (packet.format === 'v2.0') unsealPayload(packet, keys3);
        });
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('parsePacket and unsealPayload: mutated valid packets', () => {
    for (const sample of samples) {
      fc.assert(
        fc.property(mutated(sample), (bytes) => {
          onlyTypedErrors(() => {
            const packet = parsePacket(bytes);
            if (packet.format === 'v2.0') {
              unsealPayload(packet, keys3);
              unsealPayload(packet, keys17);
            }
          });
        }),
        { numRuns: RUNS },
      );
    }
  });

  for (const [name, parse, sample] of payloadParsers) {
    it(`${name}: random and mutated bytes`, () => {
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated(sample)), (bytes) => {
          onlyTypedErrors(() => parse(bytes));
        }),
        { numRuns: RUNS },
      );
    });
  }
});

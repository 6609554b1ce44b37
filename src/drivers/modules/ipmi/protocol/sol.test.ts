import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IpmiError } from '../types.ts';
import {
  activateSolRequest,
  deactivatePayloadRequest,
  decodeActivatePayloadRequest,
  decodeActivatePayloadResponse,
  decodeDeactivatePayloadRequest,
  decodeSolPacket,
  encodeActivatePayloadResponse,
  encodeSolPacket,
  nextSolSequence,
  solAck,
  SolStatus,
} from './sol.ts';

describe('SOL payload and Activate/Deactivate Payload codec', () => {
  it('lays out a data packet and an ack as table 15-2 says', () => {
    const data = encodeSolPacket({
      sequence: 3,
      ackSequence: 0,
      acceptedCount: 0,
      flags: 0,
      data: Buffer.from('hi'),
    });
    assert.deepEqual([...data], [0x03, 0x00, 0x00, 0x00, 0x68, 0x69]);
    assert.deepEqual([...encodeSolPacket(solAck(3, 2))], [0x00, 0x03, 0x02, 0x00]);
    const deactivating = decodeSolPacket(Buffer.from([0x05, 0x00, 0x00, SolStatus.DEACTIVATING]));
    assert.equal(deactivating.sequence, 5);
    assert.equal(deactivating.flags & SolStatus.DEACTIVATING, SolStatus.DEACTIVATING);
  });

  it('round-trips packets, and refuses ack-only packets with characters and short ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 255 }),
        (sequence, ackSequence, acceptedCount, data) => {
          const packet = {
            sequence,
            ackSequence,
            acceptedCount,
            flags: 0,
            data: Buffer.from(data),
          };
          assert.deepEqual(decodeSolPacket(encodeSolPacket(packet)), packet);
        },
      ),
    );
    assert.throws(() => decodeSolPacket(Buffer.from([0, 1, 1, 0, 0x41])), IpmiError);
    assert.throws(() => decodeSolPacket(Buffer.from([1, 0, 0])), IpmiError);
    assert.throws(() => encodeSolPacket({ ...solAck(1, 0), data: Buffer.alloc(256) }), IpmiError);
  });

  it('numbers packets 1…15 and never 0 (ack-only)', () => {
    const seen = [];
    let sequence = 0;
    for (let i = 0; i < 30; i++) seen.push((sequence = nextSolSequence(sequence)));
    assert.ok(!seen.includes(0));
    assert.deepEqual(seen.slice(0, 16), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 1]);
  });

  it('asks for SOL instance 1, encrypted and authenticated, and reads the answer', () => {
    assert.deepEqual([...activateSolRequest()], [0x01, 0x01, 0xc4, 0x00, 0x00, 0x00]);
    assert.deepEqual(decodeActivatePayloadRequest(activateSolRequest()), {
      payloadType: 1,
      instance: 1,
      encrypt: true,
      authenticate: true,
    });
    // ipmitool's own request (startup handshake bit set) parses too.
    assert.equal(
      decodeActivatePayloadRequest(Buffer.from([0x01, 0x01, 0xc6, 0, 0, 0])).encrypt,
      true,
    );
    const answer = { inboundPayloadSize: 200, outboundPayloadSize: 180, port: 623, vlan: 0xffff };
    const bytes = encodeActivatePayloadResponse(answer);
    assert.deepEqual([...bytes], [0, 0, 0, 0, 0xc8, 0x00, 0xb4, 0x00, 0x6f, 0x02, 0xff, 0xff]);
    assert.deepEqual(decodeActivatePayloadResponse(bytes), answer);
    assert.throws(() => decodeActivatePayloadResponse(bytes.subarray(0, 9)), IpmiError);
    assert.deepEqual([...deactivatePayloadRequest()], [0x01, 0x01, 0, 0, 0, 0]);
    assert.deepEqual(decodeDeactivatePayloadRequest(deactivatePayloadRequest()), {
      payloadType: 1,
      instance: 1,
    });
    assert.throws(() => decodeDeactivatePayloadRequest(Buffer.from([1, 1])), IpmiError);
  });

  it('decoders throw only IpmiError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        for (const decode of [
          decodeSolPacket,
          decodeActivatePayloadRequest,
          decodeActivatePayloadResponse,
          decodeDeactivatePayloadRequest,
        ]) {
          try {
            decode(bytes);
          } catch (error) {
            assert.ok(error instanceof IpmiError);
          }
        }
      }),
    );
  });
});

/**
 * Known answers captured from ipmitool 1.8.19 (`-vvv`, user "u", password
 * "p", name-only lookup at administrator = role 0x14): an independent
 * implementation's RAKP HMACs, SIK, K1, K2 and a sealed request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CIPHER_SUITE_17, CIPHER_SUITE_3 } from './cipher-suites.ts';
import type { RakpContext } from './keys.ts';
import {
  deriveSessionKeys,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4IntegrityCheckValue,
  sessionIntegrityKey,
} from './keys.ts';
import { decodeLanRequest, encodeLanRequest } from './lan-message.ts';
import { encodeV15Packet, parsePacket, unsealPayload } from './packet.ts';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const kuid = Buffer.from('p');
const GUID = hex('eee99da9e61b2ce934eb62977d14b047');

describe('RAKP and key derivation known answers (ipmitool)', () => {
  it('cipher suite 3: RAKP-HMAC-SHA1, HMAC-SHA1-96', () => {
    const context: RakpContext = {
      suite: CIPHER_SUITE_3,
      consoleSessionId: 0xa0a2a3a4,
      bmcSessionId: 0x29a10e47,
      consoleRandom: hex('4a399b84e92f2493cca05b27f50403c0'),
      bmcRandom: hex('2638ebd782b8657164fbd014d8a175e0'),
      bmcGuid: GUID,
      role: 0x14,
      username: Buffer.from('u'),
    };
    assert.equal(
      rakp2AuthCode(context, kuid).toString('hex'),
      '9275090a58f6c10d1758e962f5264c5716f2e66b',
    );
    assert.equal(
      rakp3AuthCode(context, kuid).toString('hex'),
      '993b8c1ac4b3d4be930fae346f7a2d470a8a6e92',
    );
    const sik = sessionIntegrityKey(context, kuid);
    assert.equal(sik.toString('hex'), '90613bc555778cf80c63509f3ed0e1382ee58860');
    assert.equal(
      rakp4IntegrityCheckValue(context, sik).toString('hex'),
      'f23c393fcae8aa438dbba0c6',
    );
    const keys = deriveSessionKeys(CIPHER_SUITE_3, sik);
    assert.equal(keys.k1.toString('hex'), '3ae0a1d7da91eddcfba76958da26cee51061b8b5');
    assert.equal(keys.aesKey.toString('hex'), '3df42acc9ea0f2a0ddec9304269b57ba');

    // A request ipmitool sealed with these keys: AuthCode and AES-CBC check out.
    const datagram = Buffer.concat([
      hex('0600ff07'),
      hex(`06 c0 47 0e a1 29 03 00 00 00 20 00 3a f6 78 fa
           63 9b 73 bf 60 81 63 2b 27 0a e0 16 ba b7 f5 35
           87 ec 95 05 96 96 c5 d9 24 43 6d 10 ff ff 02 07`),
      hex('85515c2df04dbd59c4a773a1'),
    ]);
    const packet = parsePacket(datagram);
    assert.ok(packet.format === 'v2.0');
    assert.equal(packet.sessionId, 0x29a10e47);
    assert.equal(packet.sequence, 3);
    const request = decodeLanRequest(unsealPayload(packet, keys));
    assert.equal(request.rsAddr, 0x20);
    assert.equal(request.rqAddr, 0x81);
    assert.equal(request.netFn, 0x06);
  });

  it('cipher suite 17: RAKP-HMAC-SHA256, HMAC-SHA256-128, 20-byte key constants', () => {
    const context: RakpContext = {
      suite: CIPHER_SUITE_17,
      consoleSessionId: 0xa0a2a3a4,
      bmcSessionId: 0x096e35d6,
      consoleRandom: hex('e6aa4436ee89a4f7560f91c137dc8043'),
      bmcRandom: hex('5eee4ae14436e7eaa31ada6988579dff'),
      bmcGuid: GUID,
      role: 0x14,
      username: Buffer.from('u'),
    };
    assert.equal(
      rakp2AuthCode(context, kuid).toString('hex'),
      '687d7aedcd0284490546910b1381ed48073809f6373f74527ebabf768f4067fe',
    );
    assert.equal(
      rakp3AuthCode(context, kuid).toString('hex'),
      'e1c32d248e763285ef4b6f141ab3701ad2ce57e68df75f61f735253d7f6ea833',
    );
    const sik = sessionIntegrityKey(context, kuid);
    assert.equal(
      sik.toString('hex'),
      'aa338d678ccc1ff5f71667eed25f4c142473eeed867f77ba8d82dedf4c7d5607',
    );
    assert.equal(
      rakp4IntegrityCheckValue(context, sik).toString('hex'),
      '803c60464479cda25b8cf241521c867e',
    );
    const keys = deriveSessionKeys(CIPHER_SUITE_17, sik);
    assert.equal(
      keys.k1.toString('hex'),
      '3e095536f5190f85c5a66443765fb222a45de15e93321015aa4d323d6bf01287',
    );
    assert.equal(keys.aesKey.toString('hex'), 'b2f702169f587e932451ecdd68329b91');
  });
});

describe('framing known answers', () => {
  it('encodes the session-less Get Channel Authentication Capabilities byte for byte', () => {
    const message = encodeLanRequest({ netFn: 0x06, command: 0x38, data: hex('8e04'), rqSeq: 0 });
    assert.equal(message.toString('hex'), '2018c88100388e04b5');
    assert.equal(
      encodeV15Packet({ sequence: 0, sessionId: 0, message }).toString('hex'),
      '0600ff07000000000000000000092018c88100388e04b5',
    );
  });
});

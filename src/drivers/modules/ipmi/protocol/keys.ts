/**
 * RAKP key exchange arithmetic (spec 13.28–13.32), shared by the client and
 * the emulated BMC so both sides compute the same bytes:
 *
 *   RAKP 2 auth code  = HMAC(Kuid, SIDm | SIDc | Rm | Rc | GUIDc | ROLEm | ULENGTHm | UNAMEm)
 *   RAKP 3 auth code  = HMAC(Kuid, Rc | SIDm | ROLEm | ULENGTHm | UNAMEm)
 *   SIK               = HMAC(Kg,   Rm | Rc | ROLEm | ULENGTHm | UNAMEm)   (Kg = Kuid without a BMC key)
 *   RAKP 4 ICV        = HMAC(SIK,  Rm | SIDc | GUIDc), truncated like the integrity AuthCode
 *   K1 = HMAC(SIK, 0x01 × 20), K2 = HMAC(SIK, 0x02 × 20), AES key = K2[0..16)
 *
 * SIDm is the remote console's session ID, SIDc the BMC's; both travel
 * little-endian. The key constants are 20 bytes for SHA-256 suites too:
 * that is what ipmitool and FreeIPMI send, so that is what BMCs expect.
 * Kuid is the password zero-padded to 20 bytes; HMAC pads keys with zeros
 * to the block size anyway, so the unpadded password gives the same MAC.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { asBuffer, u32le } from './bytes.ts';
import type { CipherSuite, HashName } from './cipher-suites.ts';

export function hmac(hash: HashName, key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac(hash, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time comparison of a received MAC with the expected one. */
export function macEquals(received: Uint8Array, expected: Uint8Array): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** What both sides know once RAKP 2 has been sent. */
export interface RakpContext {
  readonly suite: CipherSuite;
  readonly consoleSessionId: number;
  readonly bmcSessionId: number;
  /** Rm, 16 bytes. */
  readonly consoleRandom: Uint8Array;
  /** Rc, 16 bytes. */
  readonly bmcRandom: Uint8Array;
  /** GUIDc, 16 bytes. */
  readonly bmcGuid: Uint8Array;
  /** The whole RAKP 1 role byte (privilege and lookup bit). */
  readonly role: number;
  readonly username: Uint8Array;
}

function roleAndName(context: RakpContext): Buffer {
  return Buffer.concat([
    Buffer.from([context.role & 0xff, context.username.length]),
    asBuffer(context.username),
  ]);
}

export function rakp2AuthCode(context: RakpContext, kuid: Uint8Array): Buffer {
  return hmac(
    context.suite.hash,
    kuid,
    u32le(context.consoleSessionId),
    u32le(context.bmcSessionId),
    context.consoleRandom,
    context.bmcRandom,
    context.bmcGuid,
    roleAndName(context),
  );
}

export function rakp3AuthCode(context: RakpContext, kuid: Uint8Array): Buffer {
  return hmac(
    context.suite.hash,
    kuid,
    context.bmcRandom,
    u32le(context.consoleSessionId),
    roleAndName(context),
  );
}

export function sessionIntegrityKey(context: RakpContext, kg: Uint8Array): Buffer {
  return hmac(
    context.suite.hash,
    kg,
    context.consoleRandom,
    context.bmcRandom,
    roleAndName(context),
  );
}

export function rakp4IntegrityCheckValue(context: RakpContext, sik: Uint8Array): Buffer {
  const full = hmac(
    context.suite.hash,
    sik,
    context.consoleRandom,
    u32le(context.bmcSessionId),
    context.bmcGuid,
  );
  return full.subarray(0, context.suite.authCodeLength);
}

/** The keys of an established session. */
export interface SessionKeys {
  readonly suite: CipherSuite;
  /** Integrity key. */
  readonly k1: Buffer;
  /** AES-CBC-128 key: the first 16 bytes of K2. */
  readonly aesKey: Buffer;
}

const KEY_CONSTANT_LENGTH = 20;

export function deriveSessionKeys(suite: CipherSuite, sik: Uint8Array): SessionKeys {
  const k1 = hmac(suite.hash, sik, Buffer.alloc(KEY_CONSTANT_LENGTH, 0x01));
  const k2 = hmac(suite.hash, sik, Buffer.alloc(KEY_CONSTANT_LENGTH, 0x02));
  return { suite, k1, aesKey: Buffer.from(k2.subarray(0, 16)) };
}

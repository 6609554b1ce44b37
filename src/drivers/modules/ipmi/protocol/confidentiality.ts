/**
 * AES-CBC-128 payload confidentiality (spec 13.29): the payload field holds
 * a random 16-byte IV then the ciphertext of
 *   data | pad bytes 0x01, 0x02, … , N | N
 * where N (0–15) makes the plaintext a whole number of blocks. Node's own
 * PKCS#7 padding is switched off: IPMI's padding is different.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { asBuffer, malformed } from './bytes.ts';

const BLOCK = 16;

export function encryptPayload(key: Uint8Array, data: Uint8Array, iv?: Uint8Array): Buffer {
  const padLength = (BLOCK - ((data.length + 1) % BLOCK)) % BLOCK;
  const pad = Buffer.alloc(padLength + 1);
  for (let i = 0; i < padLength; i++) pad[i] = i + 1;
  pad[padLength] = padLength;
  const vector = iv === undefined ? randomBytes(BLOCK) : asBuffer(iv);
  const cipher = createCipheriv('aes-128-cbc', key, vector).setAutoPadding(false);
  return Buffer.concat([vector, cipher.update(asBuffer(data)), cipher.update(pad), cipher.final()]);
}

export function decryptPayload(key: Uint8Array, payload: Uint8Array): Buffer {
  const buffer = asBuffer(payload);
  if (buffer.length < 2 * BLOCK || buffer.length % BLOCK !== 0) {
    throw malformed('encrypted payload (length)');
  }
  const decipher = createDecipheriv('aes-128-cbc', key, buffer.subarray(0, BLOCK));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(buffer.subarray(BLOCK)), decipher.final()]);
  const padLength = plain[plain.length - 1] ?? 0xff;
  if (padLength >= BLOCK) throw malformed('encrypted payload (pad length)');
  const dataLength = plain.length - 1 - padLength;
  for (let i = 0; i < padLength; i++) {
    if (plain[dataLength + i] !== i + 1) throw malformed('encrypted payload (padding)');
  }
  return Buffer.from(plain.subarray(0, dataLength));
}

/**
 * The RMCP+ cipher suites Ferrite speaks (spec table 22-20): both use AES-CBC-128
 * for confidentiality; they differ in the RAKP and integrity HMACs.
 */

export type HashName = 'sha1' | 'sha256';

export interface CipherSuite {
  readonly id: number;
  /** Authentication (RAKP) algorithm number: 1 RAKP-HMAC-SHA1, 3 RAKP-HMAC-SHA256. */
  readonly authAlgorithm: number;
  /** Integrity algorithm number: 1 HMAC-SHA1-96, 4 HMAC-SHA256-128. */
  readonly integrityAlgorithm: number;
  /** Confidentiality algorithm number: 1 AES-CBC-128. */
  readonly confidentialityAlgorithm: number;
  /** Hash of the RAKP HMACs, the SIK, K1, K2 and the integrity AuthCode. */
  readonly hash: HashName;
  /** Bytes of the integrity AuthCode and of the RAKP 4 integrity check value. */
  readonly authCodeLength: number;
}

export const CIPHER_SUITE_3: CipherSuite = {
  id: 3,
  authAlgorithm: 0x01,
  integrityAlgorithm: 0x01,
  confidentialityAlgorithm: 0x01,
  hash: 'sha1',
  authCodeLength: 12,
};

export const CIPHER_SUITE_17: CipherSuite = {
  id: 17,
  authAlgorithm: 0x03,
  integrityAlgorithm: 0x04,
  confidentialityAlgorithm: 0x01,
  hash: 'sha256',
  authCodeLength: 16,
};

export const SUPPORTED_CIPHER_SUITES: readonly CipherSuite[] = [CIPHER_SUITE_17, CIPHER_SUITE_3];

export function cipherSuiteById(id: number): CipherSuite | undefined {
  return SUPPORTED_CIPHER_SUITES.find((suite) => suite.id === id);
}

export function cipherSuiteByAlgorithms(
  auth: number,
  integrity: number,
  confidentiality: number,
): CipherSuite | undefined {
  return SUPPORTED_CIPHER_SUITES.find(
    (suite) =>
      suite.authAlgorithm === auth &&
      suite.integrityAlgorithm === integrity &&
      suite.confidentialityAlgorithm === confidentiality,
  );
}

/**
 * A Get Channel Cipher Suites record (spec table 22-19): start of record
 * 0xC0, the suite ID, then the algorithms tagged 00b/01b/10b in bits 7:6.
 */
export function cipherSuiteRecord(suite: CipherSuite): Buffer {
  return Buffer.from([
    0xc0,
    suite.id,
    suite.authAlgorithm & 0x3f,
    0x40 | (suite.integrityAlgorithm & 0x3f),
    0x80 | (suite.confidentialityAlgorithm & 0x3f),
  ]);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksumSpec, parseChecksumFile } from './checksum.ts';
import { ImageWriteError, ImageWriteReason } from './errors.ts';

const MD5 = 'a'.repeat(32);
const SHA256 = 'b'.repeat(64);
const SHA512 = 'c'.repeat(128);

describe('choosing the checksum', () => {
  const base = { id: 'img', urls: ['http://h/img.raw'] };

  it('prefers os_hash_algo/os_hash_value to the legacy checksum', () => {
    assert.deepEqual(
      checksumSpec(
        { ...base, checksum: MD5, os_hash_algo: 'SHA512', os_hash_value: SHA512 },
        false,
      ),
      { algorithm: 'sha512', value: SHA512 },
    );
  });

  it('tells the legacy checksum’s algorithm by its length, or later for a URL', () => {
    assert.deepEqual(checksumSpec({ ...base, checksum: SHA256 }, false), {
      algorithm: 'sha256',
      value: SHA256,
    });
    assert.deepEqual(checksumSpec({ ...base, checksum: SHA512 }, false).algorithm, 'sha512');
    assert.deepEqual(checksumSpec({ ...base, checksum: MD5 }, true).algorithm, 'md5');
    assert.deepEqual(checksumSpec({ ...base, checksum: 'https://h/SUMS' }, false), {
      algorithm: undefined,
      value: 'https://h/SUMS',
    });
  });

  it('refuses what it cannot verify, each with its own reason', () => {
    const reason = (fields: Record<string, string>, allowMd5 = false): string => {
      try {
        checksumSpec({ ...base, ...fields }, allowMd5);
      } catch (error) {
        assert.ok(error instanceof ImageWriteError);
        return error.reason;
      }
      return 'accepted';
    };
    assert.equal(reason({}), ImageWriteReason.Checksum);
    assert.equal(reason({ checksum: 'abc' }), ImageWriteReason.Checksum);
    assert.equal(
      reason({ os_hash_algo: 'crc32', os_hash_value: 'abcd' }),
      ImageWriteReason.Checksum,
    );
    assert.equal(reason({ checksum: MD5 }), ImageWriteReason.Md5Refused);
    assert.equal(reason({ os_hash_algo: 'md5', os_hash_value: MD5 }), ImageWriteReason.Md5Refused);
    assert.equal(reason({ os_hash_algo: 'md5', os_hash_value: MD5 }, true), 'accepted');
  });
});

describe('reading a checksum file', () => {
  it('takes a file holding only the hash', () => {
    assert.equal(parseChecksumFile(`${SHA256}\n`, 'disk.img'), SHA256);
  });

  it('picks the line for the image among sha256sum lines, text or binary mode', () => {
    const text = `${'1'.repeat(64)}  other.img\n${SHA256} *disk.img\n${'2'.repeat(64)}  disk.img.bak\n`;
    assert.equal(parseChecksumFile(text, 'disk.img'), SHA256);
    assert.equal(parseChecksumFile(text, 'other.img'), '1'.repeat(64));
    assert.equal(parseChecksumFile(text, 'missing.img'), undefined);
  });

  it('reads BSD-style lines and takes a single line whatever its name', () => {
    assert.equal(
      parseChecksumFile(
        `SHA256 (a.img) = ${'3'.repeat(64)}\nSHA256 (disk.img) = ${SHA256}\n`,
        'disk.img',
      ),
      SHA256,
    );
    assert.equal(parseChecksumFile(`${SHA256}  renamed.img\n`, 'disk.img'), SHA256);
  });
});

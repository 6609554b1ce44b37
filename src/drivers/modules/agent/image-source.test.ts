import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isFerriteError } from '../../../common/errors.ts';
import type { ErrorCode } from '../../../common/errors.ts';
import { agentImageInfo, imageSource } from './image-source.ts';
import { DEFAULT_AGENT_OPTIONS } from './options.ts';

const SHA256 = 'a'.repeat(64);
const options = DEFAULT_AGENT_OPTIONS;

function refusal(fn: () => unknown, code: ErrorCode, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(isFerriteError(error, code), String(error));
    assert.match((error as Error).message, pattern);
    return true;
  });
}

describe('imageSource', () => {
  it('takes an http(s) URL with a checksum, as a value or a file URL, and builds image_info', () => {
    const source = imageSource(
      {
        image_source: 'https://images.example/os.qcow2',
        image_os_hash_algo: 'sha256',
        image_os_hash_value: SHA256,
        image_disk_format: 'qcow2',
      },
      options,
    );
    assert.deepEqual(agentImageInfo(source, source.location), {
      id: 'os.qcow2',
      urls: ['https://images.example/os.qcow2'],
      disk_format: 'qcow2',
      os_hash_algo: 'sha256',
      os_hash_value: SHA256,
      stream_raw_images: true,
      image_type: 'whole-disk',
    });
    const legacy = imageSource(
      { image_source: 'http://i/x.raw', image_checksum: 'http://i/SHA256SUMS' },
      options,
    );
    assert.deepEqual(legacy.checksum, { value: 'http://i/SHA256SUMS' });
    assert.equal(
      imageSource({ image_source: 'http://i/x.raw', image_checksum: 'b'.repeat(128) }, options)
        .checksum.algo,
      'sha512',
    );
  });

  it('refuses what cannot be verified or fetched, saying why', () => {
    refusal(() => imageSource({}, options), 'MissingParameterValue', /image_source is required/);
    refusal(
      () => imageSource({ image_source: 'http://i/x.raw' }, options),
      'MissingParameterValue',
      /checksum is required/,
    );
    refusal(
      () =>
        imageSource({ image_source: 'http://i/x.raw', image_checksum: 'c'.repeat(32) }, options),
      'InvalidParameterValue',
      /MD5 checksums are not accepted/,
    );
    assert.equal(
      imageSource(
        { image_source: 'http://i/x.raw', image_checksum: 'c'.repeat(32) },
        { ...options, allowMd5Checksum: true },
      ).checksum.algo,
      'md5',
    );
    refusal(
      () => imageSource({ image_source: 'http://i/x.raw', image_checksum: 'xyz' }, options),
      'InvalidParameterValue',
      /not an md5, sha256 or sha512/,
    );
    refusal(
      () => imageSource({ image_source: 'http://i/x.raw', image_os_hash_algo: 'sha256' }, options),
      'InvalidParameterValue',
      /go together/,
    );
    refusal(
      () =>
        imageSource(
          {
            image_source: 'http://i/x.raw',
            image_os_hash_algo: 'crc32',
            image_os_hash_value: 'ab',
          },
          options,
        ),
      'InvalidParameterValue',
      /sha256 or sha512/,
    );
    refusal(
      () =>
        imageSource(
          {
            image_source: 'http://i/x.raw',
            image_os_hash_algo: 'sha256',
            image_os_hash_value: 'ab',
          },
          options,
        ),
      'InvalidParameterValue',
      /not a sha256 value/,
    );
    refusal(
      () => imageSource({ image_source: 'ftp://i/x.raw', image_checksum: SHA256 }, options),
      'InvalidParameterValue',
      /http\(s\) URL or a file:\/\/ path/,
    );
    refusal(
      () =>
        imageSource(
          { image_source: 'http://i/x.raw', image_checksum: SHA256, image_disk_format: 'vmdk' },
          options,
        ),
      'InvalidParameterValue',
      /raw or qcow2/,
    );
  });

  it('takes file:// images only under allowed directories, symbolic links resolved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrite-images-'));
    const outside = mkdtempSync(join(tmpdir(), 'ferrite-outside-'));
    try {
      writeFileSync(join(dir, 'ok.raw'), 'x');
      writeFileSync(join(outside, 'secret.raw'), 'x');
      symlinkSync(join(outside, 'secret.raw'), join(dir, 'sneaky.raw'));
      const allowed = { ...options, fileUrlAllowedPaths: [dir] };
      const file = imageSource(
        { image_source: `file://${dir}/ok.raw`, image_checksum: SHA256 },
        allowed,
      );
      assert.equal(file.kind, 'file');
      refusal(
        () =>
          imageSource({ image_source: `file://${dir}/ok.raw`, image_checksum: SHA256 }, options),
        'InvalidParameterValue',
        /not under a directory allowed/,
      );
      refusal(
        () =>
          imageSource(
            { image_source: `file://${dir}/sneaky.raw`, image_checksum: SHA256 },
            allowed,
          ),
        'InvalidParameterValue',
        /not under a directory allowed/,
      );
      refusal(
        () =>
          imageSource(
            { image_source: `file://${dir}/missing.raw`, image_checksum: SHA256 },
            allowed,
          ),
        'InvalidParameterValue',
        /does not exist/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

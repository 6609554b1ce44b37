import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { displayUrl, ImageWriteError, ImageWriteReason, writeImage } from './index.ts';
import type { ImageInfo, WriteImageOptions } from './index.ts';
import {
  allZero,
  md5,
  MIB,
  qemuImgMissing,
  randomImage,
  readDisk,
  serveBytes,
  sha256,
  startServer,
  workspace,
} from './test-support.ts';
import type { TestServer, Workspace } from './test-support.ts';

const DISK_SIZE = 8 * MIB;

let server: TestServer;
let space: Workspace;

before(async () => {
  server = await startServer();
  space = await workspace();
});
after(async () => {
  await server.close();
  await space.cleanup();
});

const options = (device: string, extra: Partial<WriteImageOptions> = {}): WriteImageOptions => ({
  device,
  allowMd5: false,
  signal: new AbortController().signal,
  tmpDir: space.dir,
  ...extra,
});

/** Runs `action`, expecting an ImageWriteError, and returns it. */
async function refused(action: Promise<unknown>): Promise<ImageWriteError> {
  try {
    await action;
  } catch (error) {
    assert.ok(
      error instanceof ImageWriteError,
      `expected an ImageWriteError, got ${String(error)}`,
    );
    return error;
  }
  assert.fail('the write succeeded');
}

async function assertWiped(path: string, size = DISK_SIZE): Promise<void> {
  assert.equal((await stat(path)).size, size, 'the disk keeps its size');
  assert.ok(allZero(await readDisk(path)), 'the disk reads back as zeros');
}

describe('writing a raw image', () => {
  it('streams it to the disk, verified, the rest of the disk untouched', async () => {
    const image = randomImage(3 * MIB + 123);
    server.route('/raw/good.img', serveBytes(image));
    const disk = await space.disk('good.disk', DISK_SIZE);
    const progress: [number, number | undefined][] = [];
    const result = await writeImage(
      {
        id: 'img-good',
        urls: [`${server.base}/raw/good.img`],
        disk_format: 'raw',
        os_hash_algo: 'sha256',
        os_hash_value: sha256(image),
      },
      options(disk, { onProgress: (written, total) => progress.push([written, total]) }),
    );
    assert.deepEqual(result, {
      bytes: image.length,
      algorithm: 'sha256',
      checksum: sha256(image),
      format: 'raw',
      url: `${server.base}/raw/good.img`,
    });
    const written = await readDisk(disk);
    assert.equal(written.length, DISK_SIZE);
    assert.ok(written.subarray(0, image.length).equals(image));
    assert.ok(allZero(written.subarray(image.length)));
    assert.deepEqual(progress.at(-1), [image.length, image.length]);
  });

  it('writes an image sent without Content-Length, and a larger one in several batches', async () => {
    const image = randomImage(20 * MIB + 7);
    server.route('/raw/chunked.img', serveBytes(image, { chunked: true }));
    const disk = await space.disk('chunked.disk', 32 * MIB);
    const result = await writeImage(
      {
        id: 'img-chunked',
        urls: [`${server.base}/raw/chunked.img`],
        os_hash_algo: 'sha512',
        os_hash_value: createHash('sha512').update(image).digest('hex'),
      },
      options(disk),
    );
    assert.equal(result.bytes, image.length);
    assert.equal(result.algorithm, 'sha512');
    assert.equal(result.format, 'raw', 'told from its first bytes');
    const staged = (await readdir(space.dir)).filter((name) => name.startsWith('ferrite-image-'));
    assert.deepEqual(staged, [], 'a raw image is never staged');
    assert.ok((await readDisk(disk)).subarray(0, image.length).equals(image));
  });

  it('refuses a wrong checksum, naming the image and both values, and wipes the disk', async () => {
    const image = randomImage(2 * MIB);
    server.route('/raw/bad.img', serveBytes(image));
    const disk = await space.disk('bad.disk', DISK_SIZE);
    const wrong = sha256(Buffer.from('something else'));
    const error = await refused(
      writeImage(
        {
          id: 'img-bad',
          urls: [`${server.base}/raw/bad.img`],
          disk_format: 'raw',
          checksum: wrong,
        },
        options(disk),
      ),
    );
    assert.equal(error.reason, ImageWriteReason.ChecksumMismatch);
    assert.equal(error.imageId, 'img-bad');
    assert.match(error.message, /img-bad/);
    assert.ok(error.message.includes(wrong), error.message);
    assert.ok(error.message.includes(sha256(image)), error.message);
    assert.match(error.message, /wiped/);
    await assertWiped(disk);
  });

  it('reads the checksum from a checksum file, picking the line for the image', async () => {
    const image = randomImage(MIB + 5);
    server.route('/files/disk.img', serveBytes(image));
    const other = sha256(Buffer.from('another file'));
    server.route(
      '/files/SHA256SUMS',
      serveBytes(
        Buffer.from(`${other}  other.img\n${sha256(image)} *disk.img\n${other}  disk.img.old\n`),
      ),
    );
    server.route('/files/only-hash', serveBytes(Buffer.from(`${sha256(image)}\n`)));
    const disk = await space.disk('sums.disk', DISK_SIZE);
    const byAlgo = await writeImage(
      {
        id: 'img-sums',
        urls: [`${server.base}/files/disk.img`],
        os_hash_algo: 'sha256',
        os_hash_value: `${server.base}/files/SHA256SUMS`,
      },
      options(disk),
    );
    assert.equal(byAlgo.checksum, sha256(image));
    const legacy = await writeImage(
      {
        id: 'img-sums',
        urls: [`${server.base}/files/disk.img`],
        checksum: `${server.base}/files/only-hash`,
      },
      options(disk),
    );
    assert.equal(legacy.algorithm, 'sha256');
    assert.ok((await readDisk(disk)).subarray(0, image.length).equals(image));

    server.route('/files/NOMATCH', serveBytes(Buffer.from(`${other}  a.img\n${other}  b.img\n`)));
    const error = await refused(
      writeImage(
        {
          id: 'img-sums',
          urls: [`${server.base}/files/disk.img`],
          os_hash_algo: 'sha256',
          os_hash_value: `${server.base}/files/NOMATCH`,
        },
        options(disk),
      ),
    );
    assert.equal(error.reason, ImageWriteReason.Checksum);
    assert.match(error.message, /no line for "disk\.img"/);
  });

  it('refuses md5 unless allowed, before downloading anything', async () => {
    const image = randomImage(MIB);
    server.route('/raw/md5.img', serveBytes(image));
    const disk = await space.disk('md5.disk', DISK_SIZE);
    const info: ImageInfo = {
      id: 'img-md5',
      urls: [`${server.base}/raw/md5.img`],
      checksum: md5(image),
    };
    const error = await refused(writeImage(info, options(disk)));
    assert.equal(error.reason, ImageWriteReason.Md5Refused);
    assert.match(error.message, /md5/);
    assert.match(error.message, /does not allow/);
    assert.equal(server.hits.get('/raw/md5.img'), undefined);
    const result = await writeImage(info, options(disk, { allowMd5: true }));
    assert.equal(result.algorithm, 'md5');
    assert.ok((await readDisk(disk)).subarray(0, image.length).equals(image));
    const byAlgo = await refused(
      writeImage(
        { ...info, checksum: undefined, os_hash_algo: 'md5', os_hash_value: md5(image) },
        options(disk),
      ),
    );
    assert.equal(byAlgo.reason, ImageWriteReason.Md5Refused);
  });

  it('refuses an image without checksum or with an unknown format before downloading it', async () => {
    server.route('/raw/unverified.img', serveBytes(randomImage(1024)));
    const disk = await space.disk('unverified.disk', DISK_SIZE);
    const missing = await refused(
      writeImage({ id: 'img-none', urls: [`${server.base}/raw/unverified.img`] }, options(disk)),
    );
    assert.equal(missing.reason, ImageWriteReason.Checksum);
    assert.match(missing.message, /img-none has no checksum/);
    const format = await refused(
      writeImage(
        {
          id: 'img-vmdk',
          urls: [`${server.base}/raw/unverified.img`],
          disk_format: 'vmdk',
          os_hash_algo: 'sha256',
          os_hash_value: sha256(Buffer.alloc(0)),
        },
        options(disk),
      ),
    );
    assert.equal(format.reason, ImageWriteReason.Format);
    assert.match(format.message, /vmdk/);
    assert.equal(server.hits.get('/raw/unverified.img'), undefined);
  });

  it('says which device it cannot open', async () => {
    const image = randomImage(1024);
    server.route('/raw/nodisk.img', serveBytes(image));
    const error = await refused(
      writeImage(
        {
          id: 'img-nodisk',
          urls: [`${server.base}/raw/nodisk.img`],
          os_hash_algo: 'sha256',
          os_hash_value: sha256(image),
        },
        options(join(space.dir, 'no-such.disk')),
      ),
    );
    assert.equal(error.reason, ImageWriteReason.Device);
    assert.match(error.message, /cannot open .*no-such\.disk to write image img-nodisk/);
  });

  it('falls back to the next URL when one refuses connections or answers non-2xx', async () => {
    const image = randomImage(MIB);
    server.route('/raw/mirror.img', serveBytes(image));
    server.route('/raw/broken.img', (_request, response) => response.writeHead(500).end('oops'));
    const closed = await startServer();
    const closedBase = closed.base;
    await closed.close();
    const disk = await space.disk('fallback.disk', DISK_SIZE);
    const result = await writeImage(
      {
        id: 'img-fallback',
        urls: [
          `${closedBase}/x.img`,
          `${server.base}/raw/broken.img`,
          `${server.base}/raw/mirror.img`,
        ],
        os_hash_algo: 'sha256',
        os_hash_value: sha256(image),
      },
      options(disk),
    );
    assert.equal(result.url, `${server.base}/raw/mirror.img`);
    assert.ok((await readDisk(disk)).subarray(0, image.length).equals(image));

    const none = await refused(
      writeImage(
        {
          id: 'img-nowhere',
          urls: [
            `http://user:s3cret@127.0.0.1:${new URL(closedBase).port}/x.img?sig=abc`,
            `${server.base}/raw/gone.img`,
          ],
          os_hash_algo: 'sha256',
          os_hash_value: sha256(image),
        },
        options(disk),
      ),
    );
    assert.equal(none.reason, ImageWriteReason.Download);
    assert.match(none.message, /HTTP 404/);
    assert.ok(!none.message.includes('s3cret') && !none.message.includes('sig=abc'), none.message);
  });

  it('follows redirects to where the image is', async () => {
    const image = randomImage(256 * 1024);
    server.route('/cdn/moved.img', serveBytes(image));
    server.route('/raw/moved.img', (_request, response) =>
      response.writeHead(302, { location: '/cdn/moved.img' }).end(),
    );
    const disk = await space.disk('redirect.disk', DISK_SIZE);
    const result = await writeImage(
      {
        id: 'img-moved',
        urls: [`${server.base}/raw/moved.img`],
        os_hash_algo: 'sha256',
        os_hash_value: sha256(image),
      },
      options(disk),
    );
    assert.equal(result.bytes, image.length);
    assert.ok((await readDisk(disk)).subarray(0, image.length).equals(image));
  });

  it('sends credentials in the URL as Basic authentication, never printing them', async () => {
    const image = randomImage(64 * 1024);
    server.route('/private/disk.img', (request, response) => {
      if (
        request.headers.authorization !== `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`
      ) {
        response.writeHead(401).end();
        return;
      }
      serveBytes(image)(request, response);
    });
    const disk = await space.disk('auth.disk', DISK_SIZE);
    const url = `${server.base.replace('//', '//ops:pa%3Ass@')}/private/disk.img`;
    const result = await writeImage(
      { id: 'img-auth', urls: [url], os_hash_algo: 'sha256', os_hash_value: sha256(image) },
      options(disk),
    );
    assert.equal(result.url, `${server.base}/private/disk.img`);
    assert.equal(
      displayUrl('https://a:b@h.example/x/y.img?temp_url_sig=1'),
      'https://h.example/x/y.img?…',
    );
  });

  it('wipes what was written when the server drops the connection mid-body', async () => {
    const image = randomImage(24 * MIB);
    server.route('/raw/drop.img', (_request, response) => {
      response.writeHead(200, { 'content-length': String(image.length) });
      response.write(image.subarray(0, 18 * MIB), () => response.destroy());
    });
    const disk = await space.disk('drop.disk', 32 * MIB);
    let written = 0;
    const error = await refused(
      writeImage(
        {
          id: 'img-drop',
          urls: [`${server.base}/raw/drop.img`],
          os_hash_algo: 'sha256',
          os_hash_value: sha256(image),
        },
        options(disk, { onProgress: (bytes) => (written = bytes) }),
      ),
    );
    assert.equal(error.reason, ImageWriteReason.Download);
    assert.match(error.message, /img-drop/);
    assert.ok(written > 0, 'part of the image had reached the disk');
    await assertWiped(disk, 32 * MIB);
  });

  it('stops and wipes when the signal aborts mid-write', async () => {
    const image = randomImage(24 * MIB);
    let release: () => void = () => undefined;
    server.route('/raw/slow.img', (_request, response) => {
      response.writeHead(200, { 'content-length': String(image.length) });
      response.write(image.subarray(0, 12 * MIB));
      release = () => response.end(image.subarray(12 * MIB));
    });
    const disk = await space.disk('abort.disk', 32 * MIB);
    const controller = new AbortController();
    const error = await refused(
      writeImage(
        {
          id: 'img-abort',
          urls: [`${server.base}/raw/slow.img`],
          os_hash_algo: 'sha256',
          os_hash_value: sha256(image),
        },
        options(disk, {
          signal: controller.signal,
          onProgress: (bytes) => {
            if (bytes > 0) controller.abort(new Error('operator cancelled'));
          },
        }),
      ),
    );
    release();
    assert.equal(error.reason, ImageWriteReason.Aborted);
    assert.match(error.message, /aborted/);
    await assertWiped(disk, 32 * MIB);
  });

  it('refuses an image larger than the disk, announced or not, leaving nothing of it', async () => {
    const image = randomImage(3 * MIB);
    server.route('/raw/big.img', serveBytes(image));
    server.route('/raw/big-chunked.img', serveBytes(image, { chunked: true }));
    const info = (path: string): ImageInfo => ({
      id: 'img-big',
      urls: [`${server.base}${path}`],
      os_hash_algo: 'sha256',
      os_hash_value: sha256(image),
    });
    const marked = await space.disk('small-marked.disk', 2 * MIB, 0xa5);
    const announced = await refused(writeImage(info('/raw/big.img'), options(marked)));
    assert.equal(announced.reason, ImageWriteReason.TooLarge);
    assert.match(announced.message, /larger than .*small-marked\.disk/);
    // Refused on Content-Length: not one byte of the disk was touched.
    assert.ok((await readDisk(marked)).equals(Buffer.alloc(2 * MIB, 0xa5)));

    const small = await space.disk('small.disk', 2 * MIB);
    const streamed = await refused(writeImage(info('/raw/big-chunked.img'), options(small)));
    assert.equal(streamed.reason, ImageWriteReason.TooLarge);
    await assertWiped(small, 2 * MIB);
  });
});

describe('writing a qcow2 image', () => {
  const skip = qemuImgMissing();

  it(
    'has qemu-img to test with (required under CI=true)',
    { skip: skip !== false && process.env.CI !== 'true' ? skip : false },
    () => {
      assert.equal(skip, false, `${skip}: the qcow2 tests cannot run`);
    },
  );
  let raw: Buffer;
  let qcow2: Buffer;

  before(async () => {
    if (skip !== false) return;
    raw = Buffer.concat([randomImage(MIB), Buffer.alloc(2 * MIB), randomImage(MIB + 512)]);
    const rawPath = join(space.dir, 'source.raw');
    const qcowPath = join(space.dir, 'source.qcow2');
    await writeFile(rawPath, raw);
    const created = spawnSync('qemu-img', ['create', '-f', 'qcow2', qcowPath, String(raw.length)], {
      encoding: 'utf8',
    });
    assert.equal(created.status, 0, created.stderr);
    const converted = spawnSync(
      'qemu-img',
      ['convert', '-n', '-f', 'raw', '-O', 'qcow2', rawPath, qcowPath],
      { encoding: 'utf8' },
    );
    assert.equal(converted.status, 0, converted.stderr);
    qcow2 = await readDisk(qcowPath);
    server.route('/q/disk.qcow2', (request, response) => serveBytes(qcow2)(request, response));
  });

  const stagingLeft = async (): Promise<string[]> =>
    (await readdir(space.dir)).filter((name) => name.startsWith('ferrite-image-'));

  it('converts it onto the disk, declared or detected by its magic', { skip }, async () => {
    for (const disk_format of ['qcow2', undefined]) {
      const disk = await space.disk(`qcow-${disk_format ?? 'detected'}.disk`, DISK_SIZE);
      const result = await writeImage(
        {
          id: 'img-qcow2',
          urls: [`${server.base}/q/disk.qcow2`],
          ...(disk_format === undefined ? {} : { disk_format }),
          os_hash_algo: 'sha256',
          os_hash_value: sha256(qcow2),
        },
        options(disk),
      );
      assert.equal(result.format, 'qcow2');
      assert.equal(result.bytes, raw.length);
      assert.equal(result.checksum, sha256(qcow2));
      const written = await readDisk(disk);
      assert.equal(written.length, DISK_SIZE);
      assert.ok(written.subarray(0, raw.length).equals(raw));
      assert.ok(allZero(written.subarray(raw.length)));
      assert.deepEqual(await stagingLeft(), []);
    }
  });

  it(
    'refuses a qcow2 whose virtual size exceeds the disk, and one with a wrong checksum',
    { skip },
    async () => {
      const small = await space.disk('qcow-small.disk', 2 * MIB, 0x5a);
      const big = await refused(
        writeImage(
          {
            id: 'img-qbig',
            urls: [`${server.base}/q/disk.qcow2`],
            os_hash_algo: 'sha256',
            os_hash_value: sha256(qcow2),
          },
          options(small),
        ),
      );
      assert.equal(big.reason, ImageWriteReason.TooLarge);
      assert.ok(
        (await readDisk(small)).equals(Buffer.alloc(2 * MIB, 0x5a)),
        'the disk is untouched',
      );
      assert.deepEqual(await stagingLeft(), []);

      const disk = await space.disk('qcow-bad.disk', DISK_SIZE);
      const bad = await refused(
        writeImage(
          {
            id: 'img-qbad',
            urls: [`${server.base}/q/disk.qcow2`],
            disk_format: 'qcow2',
            os_hash_algo: 'sha256',
            os_hash_value: sha256(raw),
          },
          options(disk),
        ),
      );
      assert.equal(bad.reason, ImageWriteReason.ChecksumMismatch);
      await assertWiped(disk);
      assert.deepEqual(await stagingLeft(), []);
    },
  );

  it('refuses a declared qcow2 that is not one', { skip }, async () => {
    const notQcow = randomImage(64 * 1024);
    server.route('/q/fake.qcow2', serveBytes(notQcow));
    const disk = await space.disk('qcow-fake.disk', DISK_SIZE);
    const error = await refused(
      writeImage(
        {
          id: 'img-fake',
          urls: [`${server.base}/q/fake.qcow2`],
          disk_format: 'qcow2',
          os_hash_algo: 'sha256',
          os_hash_value: sha256(notQcow),
        },
        options(disk),
      ),
    );
    assert.equal(error.reason, ImageWriteReason.Convert);
    await assertWiped(disk);
    assert.deepEqual(await stagingLeft(), []);
  });
});

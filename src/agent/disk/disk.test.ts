import assert from 'node:assert/strict';
import { open, stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { allZero, MIB, readDisk, workspace } from '../image/test-support.ts';
import type { Workspace } from '../image/test-support.ts';
import { majorMinor, sizeByReading } from './device.ts';
import { eraseDevice, eraseMetadata, ESP_TYPE_GUID, readPartitionUuids } from './index.ts';
import type { EraseProgress } from './index.ts';

let space: Workspace;
before(async () => {
  space = await workspace();
});
after(async () => {
  await space.cleanup();
});

/** A GUID's on-disk bytes from its text: the first three fields little-endian. */
function guidBytes(text: string): Buffer {
  const hex = text.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

interface GptPartition {
  readonly type: string;
  readonly uuid: string;
  readonly first: number;
  readonly last: number;
  readonly name: string;
}

const LINUX_FS = '0fc63daf-8483-4772-8e79-3d69d8477de4';
const DISK_GUID = '5e1a0c7d-2b3f-4c41-9a8e-0123456789ab';
const ESP_UUID = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
const ROOT_UUID = '11223344-5566-4778-899a-aabbccddeeff';

/** A GPT as sgdisk would write it: protective MBR, primary header and entries, and the backup pair at the end. */
function gptImage(size: number, partitions: readonly GptPartition[], sector = 512): Buffer {
  const disk = Buffer.alloc(size);
  const last = size / sector - 1;
  const mbr = disk.subarray(0, 512);
  mbr.writeUInt32LE(0, 440);
  mbr[446 + 4] = 0xee;
  mbr.writeUInt32LE(1, 446 + 8);
  mbr.writeUInt32LE(Math.min(size / 512 - 1, 0xffffffff), 446 + 12);
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  const entries = Buffer.alloc(128 * 128);
  partitions.forEach((partition, index) => {
    const entry = entries.subarray(index * 128, (index + 1) * 128);
    guidBytes(partition.type).copy(entry, 0);
    guidBytes(partition.uuid).copy(entry, 16);
    entry.writeBigUInt64LE(BigInt(partition.first), 32);
    entry.writeBigUInt64LE(BigInt(partition.last), 40);
    entry.write(partition.name, 56, 'utf16le');
  });
  const entrySectors = entries.length / sector;
  const header = (myLba: number, otherLba: number, entriesLba: number): Buffer => {
    const block = Buffer.alloc(sector);
    block.write('EFI PART', 0, 'latin1');
    block.writeUInt32LE(0x00010000, 8);
    block.writeUInt32LE(92, 12);
    block.writeBigUInt64LE(BigInt(myLba), 24);
    block.writeBigUInt64LE(BigInt(otherLba), 32);
    block.writeBigUInt64LE(BigInt(2 + entrySectors), 40);
    block.writeBigUInt64LE(BigInt(last - 1 - entrySectors), 48);
    guidBytes(DISK_GUID).copy(block, 56);
    block.writeBigUInt64LE(BigInt(entriesLba), 72);
    block.writeUInt32LE(128, 80);
    block.writeUInt32LE(128, 84);
    block.writeUInt32LE(crc32(entries), 88);
    block.writeUInt32LE(crc32(block.subarray(0, 92)), 16);
    return block;
  };
  header(1, last, 2).copy(disk, sector);
  entries.copy(disk, 2 * sector);
  entries.copy(disk, (last - entrySectors) * sector);
  header(last, 1, last - entrySectors).copy(disk, last * sector);
  return disk;
}

const PARTITIONS: GptPartition[] = [
  { type: ESP_TYPE_GUID, uuid: ESP_UUID, first: 2048, last: 4095, name: 'EFI System' },
  { type: LINUX_FS, uuid: ROOT_UUID, first: 4096, last: 14335, name: 'root' },
];

async function diskWith(name: string, content: Buffer): Promise<string> {
  const path = await space.disk(name, content.length);
  const handle = await open(path, 'r+');
  await handle.write(content, 0, content.length, 0);
  await handle.close();
  return path;
}

describe('reading the partition table', () => {
  it('reads a GPT: the ESP by its type, every partition, IPA’s disk identifier', async () => {
    const path = await diskWith('gpt.disk', gptImage(8 * MIB, PARTITIONS));
    assert.deepEqual(await readPartitionUuids(path), {
      'root uuid': '0x00000000',
      'efi system partition uuid': ESP_UUID,
      partitions: [
        {
          number: 1,
          uuid: ESP_UUID,
          type: ESP_TYPE_GUID,
          first_lba: 2048,
          last_lba: 4095,
          name: 'EFI System',
        },
        {
          number: 2,
          uuid: ROOT_UUID,
          type: LINUX_FS,
          first_lba: 4096,
          last_lba: 14335,
          name: 'root',
        },
      ],
      'partition table': 'gpt',
      'disk guid': DISK_GUID,
    });
  });

  it('falls back to the backup GPT when the primary header is damaged', async () => {
    const image = gptImage(8 * MIB, PARTITIONS);
    image[512 + 60] = (image[512 + 60] ?? 0) ^ 0xff;
    const path = await diskWith('gpt-backup.disk', image);
    const uuids = await readPartitionUuids(path);
    assert.equal(uuids['partition table'], 'gpt');
    assert.equal(uuids['efi system partition uuid'], ESP_UUID);
    assert.equal(uuids['disk guid'], DISK_GUID);
    assert.equal(uuids.partitions.length, 2);
  });

  it('reads a GPT on 4096-byte sectors', async () => {
    const path = await diskWith('gpt-4k.disk', gptImage(8 * MIB, [PARTITIONS[1]!], 4096));
    const uuids = await readPartitionUuids(path);
    assert.equal(uuids['partition table'], 'gpt');
    assert.equal(uuids['efi system partition uuid'], null);
    assert.deepEqual(
      uuids.partitions.map((p) => p.uuid),
      [ROOT_UUID],
    );
  });

  it('reads an MBR: the signature as IPA prints it, PARTUUIDs, the ESP by type 0xEF', async () => {
    const image = Buffer.alloc(4 * MIB);
    image.writeUInt32LE(0x1234abcd, 440);
    const entry = (
      index: number,
      boot: boolean,
      type: number,
      first: number,
      sectors: number,
    ): void => {
      const at = 446 + index * 16;
      image[at] = boot ? 0x80 : 0;
      image[at + 4] = type;
      image.writeUInt32LE(first, at + 8);
      image.writeUInt32LE(sectors, at + 12);
    };
    entry(0, false, 0xef, 2048, 2048);
    entry(1, true, 0x83, 4096, 4096);
    image[510] = 0x55;
    image[511] = 0xaa;
    const path = await diskWith('mbr.disk', image);
    assert.deepEqual(await readPartitionUuids(path), {
      'root uuid': '0x1234abcd',
      'efi system partition uuid': '1234abcd-01',
      partitions: [
        {
          number: 1,
          uuid: '1234abcd-01',
          type: '0xef',
          first_lba: 2048,
          last_lba: 4095,
          bootable: false,
        },
        {
          number: 2,
          uuid: '1234abcd-02',
          type: '0x83',
          first_lba: 4096,
          last_lba: 8191,
          bootable: true,
        },
      ],
      'partition table': 'msdos',
      'disk guid': null,
    });
  });

  it('gives nulls and no partitions for a disk without a table', async () => {
    const path = await space.disk('blank.disk', 4 * MIB);
    const none = {
      'root uuid': null,
      'efi system partition uuid': null,
      partitions: [],
      'partition table': null,
      'disk guid': null,
    };
    assert.deepEqual(await readPartitionUuids(path), none);
    // A protective MBR whose GPT is gone is no table either.
    const image = gptImage(4 * MIB, PARTITIONS.slice(0, 1));
    image.fill(0, 512);
    assert.deepEqual(await readPartitionUuids(await diskWith('orphan.disk', image)), none);
  });
});

describe('erasing disks', () => {
  it('erases the metadata: the first and last MiB zeroed, the middle kept, the table gone', async () => {
    const image = gptImage(8 * MIB, PARTITIONS);
    image.fill(0x77, 2 * MIB, 6 * MIB);
    const path = await diskWith('meta.disk', image);
    const result = await eraseMetadata(path, new AbortController().signal);
    assert.deepEqual(result, {
      device: path,
      size: 8 * MIB,
      zeroed: [
        { start: 0, end: MIB },
        { start: 7 * MIB, end: 8 * MIB },
      ],
    });
    const after = await readDisk(path);
    assert.equal(after.length, 8 * MIB);
    assert.ok(allZero(after.subarray(0, MIB)) && allZero(after.subarray(7 * MIB)));
    assert.ok(after.subarray(2 * MIB, 6 * MIB).equals(Buffer.alloc(4 * MIB, 0x77)));
    assert.equal((await readPartitionUuids(path))['partition table'], null);
  });

  it('erases the metadata of a disk smaller than 2 MiB in one range', async () => {
    const path = await diskWith('tiny.disk', Buffer.alloc(MIB + 4096, 0x11));
    const result = await eraseMetadata(path, new AbortController().signal);
    assert.deepEqual(result.zeroed, [{ start: 0, end: MIB + 4096 }]);
    assert.ok(allZero(await readDisk(path)));
  });

  it('overwrites the whole disk with random passes and then zeros, reporting progress', async () => {
    const size = 20 * MIB + 4096;
    const path = await diskWith('shred.disk', Buffer.alloc(size, 0x42));
    const progress: EraseProgress[] = [];
    const result = await eraseDevice(
      path,
      { randomPasses: 2, zeroPass: true },
      new AbortController().signal,
      (p) => progress.push(p),
    );
    assert.deepEqual(result, {
      device: path,
      size,
      randomPasses: 2,
      zeroPass: true,
      bytesWritten: 3 * size,
    });
    assert.ok(allZero(await readDisk(path)));
    assert.equal((await stat(path)).size, size);
    assert.deepEqual(progress.at(-1), { pass: 3, passes: 3, done: 3 * size, total: 3 * size });
    const done = progress.map((p) => p.done);
    assert.deepEqual(
      done,
      [...done].sort((a, b) => a - b),
      'progress only goes forward',
    );
    assert.deepEqual([...new Set(progress.map((p) => p.pass))], [1, 2, 3]);
  });

  it('leaves random bytes everywhere after a random pass alone', async () => {
    const size = 9 * MIB;
    const path = await space.disk('random.disk', size);
    await eraseDevice(path, { randomPasses: 1, zeroPass: false }, new AbortController().signal);
    const data = await readDisk(path);
    assert.equal(data.length, size);
    for (let offset = 0; offset < size; offset += 4096) {
      assert.ok(!allZero(data.subarray(offset, offset + 4096)), `4 KiB at ${offset} is not random`);
    }
    const counts = new Array<number>(256).fill(0);
    for (const byte of data) counts[byte] = (counts[byte] ?? 0) + 1;
    const expected = size / 256;
    assert.ok(
      counts.every((c) => Math.abs(c - expected) < expected * 0.05),
      'bytes are evenly spread',
    );
  });

  it('stops with the signal’s reason when aborted', async () => {
    const path = await space.disk('abort.disk', 32 * MIB);
    const controller = new AbortController();
    const reason = new Error('cleaning aborted');
    await assert.rejects(
      eraseDevice(path, { randomPasses: 3, zeroPass: true }, controller.signal, (p) => {
        if (p.done >= 8 * MIB) controller.abort(reason);
      }),
      (error) => error === reason,
    );
    await assert.rejects(eraseMetadata(path, controller.signal), (error) => error === reason);
  });
});

describe('disk devices', () => {
  it('decodes device numbers as glibc does', () => {
    assert.equal(majorMinor(8 * 256), '8:0');
    assert.equal(majorMinor((259 << 8) | 3), '259:3');
    // minor 300 of major 8: the high minor bits sit above bit 20 of the low word.
    assert.equal(majorMinor((8 << 8) | (300 & 0xff) | ((300 & ~0xff) << 12)), '8:300');
  });

  it('finds a size by reading when /sys cannot tell', async () => {
    const path = await diskWith('odd.disk', Buffer.alloc(3 * MIB + 1536, 1));
    const handle = await open(path, 'r');
    try {
      assert.equal(await sizeByReading(handle), 3 * MIB + 1536);
    } finally {
      await handle.close();
    }
  });
});

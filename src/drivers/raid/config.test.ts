import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFerriteError } from '../../common/errors.ts';
import { makeNode } from '../../../test/support/node.ts';
import { filterTargetRaidConfig, updateRaidInfo, validateRaidConfiguration } from './config.ts';
import { LOGICAL_DISK_PROPERTIES } from './schema.ts';

const invalid = (pattern: RegExp) => (error: unknown) =>
  isFerriteError(error, 'InvalidParameterValue') && pattern.test(error.message);

describe('RAID configuration schema', () => {
  it('accepts every documented property', () => {
    validateRaidConfiguration({
      logical_disks: [
        {
          raid_level: '1+0',
          size_gb: 100,
          volume_name: 'root',
          is_root_volume: true,
          share_physical_disks: false,
          disk_type: 'ssd',
          interface_type: 'sas',
          number_of_physical_disks: 4,
          controller: 'RAID.Integrated.1-1',
          physical_disks: ['Disk.0', 'Disk.1', 'Disk.2', 'Disk.3'],
        },
        { raid_level: 'JBOD', size_gb: 'MAX' },
        {
          raid_level: '5',
          size_gb: 0,
          controller: 'c',
          physical_disks: [{ id: 'a' }, { id: 'b' }],
        },
      ],
    });
  });

  it('names the field and the rule a configuration breaks', () => {
    assert.throws(
      () => validateRaidConfiguration({}),
      invalid(
        /RAID config validation error: configuration: 'logical_disks' is a required property/,
      ),
    );
    assert.throws(
      () => validateRaidConfiguration({ logical_disks: [] }),
      invalid(/logical_disks must NOT have fewer than 1 items/),
    );
    assert.throws(
      () => validateRaidConfiguration({ logical_disks: [{ raid_level: '1' }] }),
      invalid(/logical_disks\.0: 'size_gb' is a required property/),
    );
    assert.throws(
      () => validateRaidConfiguration({ logical_disks: [{ raid_level: '7', size_gb: 10 }] }),
      invalid(
        /logical_disks\.0\.raid_level must be one of 'JBOD', '0', '1', '2', '5', '6', '1\+0', '5\+0', '6\+0'/,
      ),
    );
    assert.throws(
      () => validateRaidConfiguration({ logical_disks: [{ raid_level: '1', size_gb: -1 }] }),
      invalid(/logical_disks\.0\.size_gb must be a non-negative integer or 'MAX'/),
    );
    assert.throws(
      () => validateRaidConfiguration({ logical_disks: [{ raid_level: '1', size_gb: 'ALL' }] }),
      invalid(/size_gb must be a non-negative integer or 'MAX'/),
    );
    assert.throws(
      () =>
        validateRaidConfiguration({
          logical_disks: [{ raid_level: '1', size_gb: 1, colour: 'red' }],
        }),
      invalid(/additional property 'colour' is not allowed/),
    );
    assert.throws(
      () =>
        validateRaidConfiguration({
          logical_disks: [{ raid_level: '1', size_gb: 1, physical_disks: ['a'] }],
        }),
      invalid(/'controller' is required when 'physical_disks' is given/),
    );
    assert.throws(
      () =>
        validateRaidConfiguration({
          logical_disks: [{ raid_level: '1', size_gb: 1, number_of_physical_disks: 0 }],
        }),
      invalid(/number_of_physical_disks must be >= 1/),
    );
    assert.throws(
      () =>
        validateRaidConfiguration({
          logical_disks: [
            { raid_level: '1', size_gb: 1, is_root_volume: true },
            { raid_level: '0', size_gb: 1, is_root_volume: true },
          ],
        }),
      invalid(/cannot have more than one root volume\. 2 root volumes were specified/),
    );
  });

  it('describes each logical disk property, required ones saying so', () => {
    assert.match(LOGICAL_DISK_PROPERTIES.raid_level, /Required\.$/);
    assert.match(LOGICAL_DISK_PROPERTIES.size_gb, /Required\.$/);
    assert.match(LOGICAL_DISK_PROPERTIES.controller, /Optional\.$/);
  });
});

describe('recording RAID on a node', () => {
  it('stores the configuration with a timestamp and the root volume in the properties', () => {
    const node = makeNode({ properties: { local_gb: 500, capabilities: 'boot_mode:uefi' } });
    updateRaidInfo(
      node,
      {
        logical_disks: [
          {
            raid_level: '1',
            size_gb: 200,
            is_root_volume: true,
            root_device_hint: { wwn: '0x5000' },
          },
          { raid_level: '5', size_gb: 'MAX' },
        ],
      },
      Date.UTC(2026, 10, 25, 12, 30, 5, 250),
    );
    assert.equal(node.raidConfig['last_updated'], '2026-11-25 12:30:05.250000');
    assert.equal((node.raidConfig['logical_disks'] as unknown[]).length, 2);
    assert.equal(node.properties['local_gb'], 200);
    assert.deepEqual(node.properties['root_device'], { wwn: '0x5000' });
    assert.equal(node.properties['capabilities'], 'boot_mode:uefi,raid_level:1');
  });

  it('leaves local_gb alone for a MAX root volume and the properties alone without one', () => {
    const node = makeNode({ properties: { local_gb: 500 } });
    updateRaidInfo(
      node,
      { logical_disks: [{ raid_level: '0', size_gb: 'MAX', is_root_volume: true }] },
      0,
    );
    assert.equal(node.properties['local_gb'], 500);
    assert.equal(node.raidConfig['last_updated'], '1970-01-01 00:00:00');
    const plain = makeNode({ properties: { local_gb: 9 } });
    updateRaidInfo(plain, { logical_disks: [{ raid_level: '0', size_gb: 5 }] }, 0);
    assert.deepEqual(plain.properties, { local_gb: 9 });
  });

  it('filters the target configuration to root or non-root volumes', () => {
    const node = makeNode({
      targetRaidConfig: {
        logical_disks: [
          { raid_level: '1', size_gb: 100, is_root_volume: true },
          { raid_level: '5', size_gb: 'MAX' },
        ],
      },
    });
    assert.equal(filterTargetRaidConfig(node).logical_disks.length, 2);
    assert.deepEqual(filterTargetRaidConfig(node, { createRootVolume: false }).logical_disks, [
      { raid_level: '5', size_gb: 'MAX' },
    ]);
    assert.deepEqual(filterTargetRaidConfig(node, { createNonrootVolumes: false }).logical_disks, [
      { raid_level: '1', size_gb: 100, is_root_volume: true },
    ]);
    assert.throws(
      () => filterTargetRaidConfig(node, { createRootVolume: false, createNonrootVolumes: false }),
      (e: unknown) =>
        isFerriteError(e, 'MissingParameterValue') &&
        /empty target RAID configuration after skipping root volume and skipping non-root volumes\./.test(
          e.message,
        ),
    );
    assert.throws(
      () => filterTargetRaidConfig(makeNode()),
      (e: unknown) =>
        isFerriteError(e, 'MissingParameterValue') &&
        /has no target RAID configuration/.test(e.message),
    );
  });
});

/**
 * The target RAID configuration schema (`node.target_raid_config`), as
 * Ironic defines it: a list of logical disks, each with a RAID level and a
 * size, plus optional hints for choosing physical disks.
 */
export const RAID_LEVELS = ['JBOD', '0', '1', '2', '5', '6', '1+0', '5+0', '6+0'] as const;
export type RaidLevel = (typeof RAID_LEVELS)[number];

export const DISK_TYPES = ['hdd', 'ssd'] as const;
export const INTERFACE_TYPES = ['sata', 'scsi', 'sas'] as const;

/** Each logical disk property with the description the API shows for it. */
export const LOGICAL_DISK_PROPERTIES = Object.freeze({
  raid_level: `RAID level for the logical disk. Valid values are ${RAID_LEVELS.map((l) => `'${l}'`).join(', ')}. Required.`,
  size_gb:
    "Size in GiB (Integer) for the logical disk. Use 'MAX' as size_gb if this logical disk is supposed to use the rest of the space available. Required.",
  volume_name:
    'Name of the volume to be created. If this is not specified, it will be auto-generated. Optional.',
  is_root_volume:
    'Specifies whether this disk is a root volume. By default, this is False. Optional.',
  share_physical_disks:
    'Specifies whether other logical disks can share physical disks with this logical disk. By default, this is False. Optional.',
  disk_type:
    "The type of disk preferred. Valid values are 'hdd' and 'ssd'. If this is not specified, disk type will not be a selection criterion for choosing backing physical disks. Optional.",
  interface_type:
    "The interface type of disk. Valid values are 'sata', 'scsi' and 'sas'. If this is not specified, interface type will not be a selection criterion for choosing backing physical disks. Optional.",
  number_of_physical_disks:
    'Number of physical disks to use for this logical disk. By default, the driver uses the minimum number of disks required for that RAID level. Optional.',
  controller:
    'Controller to use for this logical disk. If not specified, the driver will choose a suitable RAID controller on the bare metal node. Optional.',
  physical_disks:
    'The physical disks to use for this logical disk. If not specified, the driver will choose suitable physical disks to use. Optional.',
} as const);

/** JSON Schema (draft-07) of a RAID configuration. */
export const RAID_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'raid configuration json schema',
  type: 'object',
  properties: {
    logical_disks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          raid_level: { type: 'string', enum: RAID_LEVELS },
          size_gb: {
            anyOf: [
              { type: 'integer', minimum: 0 },
              { type: 'string', enum: ['MAX'] },
            ],
          },
          volume_name: { type: 'string' },
          is_root_volume: { type: 'boolean' },
          share_physical_disks: { type: 'boolean' },
          disk_type: { type: 'string', enum: DISK_TYPES },
          interface_type: { type: 'string', enum: INTERFACE_TYPES },
          number_of_physical_disks: { type: 'integer', minimum: 1 },
          controller: { type: 'string' },
          physical_disks: {
            anyOf: [
              { type: 'array', items: { type: 'string' } },
              { type: 'array', items: { type: 'object' }, minItems: 2 },
            ],
          },
        },
        required: ['raid_level', 'size_gb'],
        additionalProperties: false,
        dependencies: { physical_disks: ['controller'] },
      },
    },
  },
  required: ['logical_disks'],
  additionalProperties: false,
} as const;

export interface LogicalDisk {
  raid_level: RaidLevel;
  size_gb: number | 'MAX';
  volume_name?: string;
  is_root_volume?: boolean;
  share_physical_disks?: boolean;
  disk_type?: (typeof DISK_TYPES)[number];
  interface_type?: (typeof INTERFACE_TYPES)[number];
  number_of_physical_disks?: number;
  controller?: string;
  physical_disks?: string[] | Record<string, unknown>[];
  /** Set by drivers that report how to find the volume once built. */
  root_device_hint?: Record<string, unknown>;
}

export interface RaidConfig {
  logical_disks: LogicalDisk[];
}

/**
 * The agent's disk-side operations: erasing disks for cleaning and reading
 * the partition table an image left, on block devices or disk image files.
 */
export { eraseDevice, eraseMetadata } from './erase.ts';
export type {
  ByteRange,
  DeviceErasure,
  EraseOptions,
  EraseProgress,
  MetadataErasure,
} from './erase.ts';
export { ESP_MBR_TYPE, ESP_TYPE_GUID, readPartitionUuids } from './partition-table.ts';
export type { PartitionEntry, PartitionUuids } from './partition-table.ts';
export { openDevice } from './device.ts';
export type { OpenDevice } from './device.ts';

/** The Redfish BMC emulator's public surface. */
export { startRedfishEmulator } from './server.ts';
export type { RedfishEmulator, RedfishEmulatorOptions } from './server.ts';
export {
  EmulatedSystem,
  RESET_TYPES,
  BOOT_TARGETS,
  BOOT_ENABLED,
  BOOT_MODES,
  RAID_TYPES,
} from './system.ts';
export type {
  SystemOptions,
  PowerState,
  ResetType,
  BootOverride,
  Drive,
  Volume,
  SystemEvent,
} from './system.ts';
export { SystemFaults } from './faults.ts';
export type { Fault } from './faults.ts';

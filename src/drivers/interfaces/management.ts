import type { BootDevice, BootMode } from '../../common/boot-devices.ts';
import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

export interface BootDeviceState {
  /** Null when the hardware cannot tell. */
  readonly bootDevice: BootDevice | null;
  /** Whether the device persists across boots; null when unknown. */
  readonly persistent: boolean | null;
}

/** One sensor: its reading plus whatever the hardware reports about it. */
export interface SensorReading {
  readonly 'Sensor Reading': string;
  readonly [key: string]: string | number | boolean | null;
}

/**
 * Sensor data grouped by sensor type, then by sensor id — the format
 * telemetry consumers (Ceilometer and friends) read.
 */
export type SensorData = Readonly<Record<string, Readonly<Record<string, SensorReading>>>>;

/** Out-of-band management: boot device, sensors, NMI, boot mode. */
export interface ManagementInterface extends BaseInterface {
  readonly interfaceType: 'management';
  getSupportedBootDevices(task: Task): Promise<BootDevice[]>;
  /** Sets the device for the next boot, or for every boot when `persistent`. */
  setBootDevice(task: Task, device: BootDevice, persistent?: boolean): Promise<void>;
  getBootDevice(task: Task): Promise<BootDeviceState>;
  /** Throws FailedToGetSensorData or FailedToParseSensorData. */
  getSensorsData(task: Task): Promise<SensorData>;
  /** Injects a non-maskable interrupt. Absent when the hardware cannot. */
  injectNmi?(task: Task): Promise<void>;
  getSupportedBootModes?(task: Task): Promise<BootMode[]>;
  setBootMode?(task: Task, mode: BootMode): Promise<void>;
  /** Null when the hardware cannot tell. */
  getBootMode?(task: Task): Promise<BootMode | null>;
  /** Turns UEFI secure boot on or off. Absent when the hardware cannot. */
  setSecureBootState?(task: Task, enabled: boolean): Promise<void>;
  /** Null when the hardware cannot tell. */
  getSecureBootState?(task: Task): Promise<boolean | null>;
}

export abstract class ManagementBase extends InterfaceBase implements ManagementInterface {
  readonly interfaceType = 'management' as const;
  abstract getSupportedBootDevices(task: Task): Promise<BootDevice[]>;
  abstract setBootDevice(task: Task, device: BootDevice, persistent?: boolean): Promise<void>;
  abstract getBootDevice(task: Task): Promise<BootDeviceState>;
  abstract getSensorsData(task: Task): Promise<SensorData>;
}

import { BootDevice, BootMode, isBootMode } from '../../../common/boot-devices.ts';
import { FerriteError } from '../../../common/errors.ts';
import { ManagementBase } from '../../interfaces/management.ts';
import type { BootDeviceState, SensorData } from '../../interfaces/management.ts';
import type { Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';
import { fakeSensorData } from './sensors.ts';

const SUPPORTED_DEVICES: BootDevice[] = [
  BootDevice.PXE,
  BootDevice.DISK,
  BootDevice.CDROM,
  BootDevice.BIOS,
  BootDevice.SAFE,
];

/** driver_internal_info keys where the fake "BMC" keeps its settings. */
export const FAKE_MANAGEMENT_KEYS = {
  bootDevice: 'fake_boot_device',
  persistent: 'fake_boot_device_persistent',
  bootMode: 'fake_boot_mode',
  secureBoot: 'fake_secure_boot',
  nmiCount: 'fake_nmi_count',
} as const;

/** Readings move once a minute of (possibly simulated) time. */
const SENSOR_PERIOD_MS = 60_000;

/**
 * Management for machines that are not there: remembers the boot device,
 * its persistence and the boot mode with the node, counts NMIs, and reports
 * sensors as a real BMC would.
 */
export class FakeManagement extends ManagementBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  async getSupportedBootDevices(_task: Task): Promise<BootDevice[]> {
    return [...SUPPORTED_DEVICES];
  }

  async setBootDevice(task: Task, device: BootDevice, persistent = false): Promise<void> {
    if (!SUPPORTED_DEVICES.includes(device)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot device ${device} specified, supported are ${SUPPORTED_DEVICES.join(', ')}.`,
      });
    }
    await fakeWait(task, this.delay);
    const info = task.node.driverInternalInfo;
    info[FAKE_MANAGEMENT_KEYS.bootDevice] = device;
    info[FAKE_MANAGEMENT_KEYS.persistent] = persistent;
  }

  async getBootDevice(task: Task): Promise<BootDeviceState> {
    await fakeWait(task, this.delay);
    const info = task.node.driverInternalInfo;
    const device = info[FAKE_MANAGEMENT_KEYS.bootDevice];
    const persistent = info[FAKE_MANAGEMENT_KEYS.persistent];
    return {
      bootDevice: SUPPORTED_DEVICES.find((d) => d === device) ?? BootDevice.PXE,
      persistent: typeof persistent === 'boolean' ? persistent : false,
    };
  }

  async getSensorsData(task: Task): Promise<SensorData> {
    await fakeWait(task, this.delay);
    return fakeSensorData(task.node.uuid, Math.floor(task.clock.now() / SENSOR_PERIOD_MS));
  }

  async injectNmi(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    const info = task.node.driverInternalInfo;
    const count = info[FAKE_MANAGEMENT_KEYS.nmiCount];
    info[FAKE_MANAGEMENT_KEYS.nmiCount] = (typeof count === 'number' ? count : 0) + 1;
  }

  async getSupportedBootModes(_task: Task): Promise<BootMode[]> {
    return [BootMode.UEFI, BootMode.LEGACY_BIOS];
  }

  async setBootMode(task: Task, mode: BootMode): Promise<void> {
    if (!isBootMode(mode)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot mode ${String(mode)} specified, supported are uefi, bios.`,
      });
    }
    await fakeWait(task, this.delay);
    task.node.driverInternalInfo[FAKE_MANAGEMENT_KEYS.bootMode] = mode;
  }

  async getBootMode(task: Task): Promise<BootMode | null> {
    const mode = task.node.driverInternalInfo[FAKE_MANAGEMENT_KEYS.bootMode];
    return isBootMode(mode) ? mode : BootMode.UEFI;
  }

  /** Secure boot is a UEFI feature: refused while the fake machine boots the legacy BIOS way. */
  async setSecureBootState(task: Task, enabled: boolean): Promise<void> {
    if (enabled && (await this.getBootMode(task)) !== BootMode.UEFI) {
      throw new FerriteError('InvalidParameterValue', {
        err: 'Secure boot can only be turned on when the node boots in UEFI mode.',
      });
    }
    await fakeWait(task, this.delay);
    task.node.driverInternalInfo[FAKE_MANAGEMENT_KEYS.secureBoot] = enabled;
  }

  async getSecureBootState(task: Task): Promise<boolean | null> {
    return task.node.driverInternalInfo[FAKE_MANAGEMENT_KEYS.secureBoot] === true;
  }
}

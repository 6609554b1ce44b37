import { BootDevice } from '../../../common/boot-devices.ts';
import { FerriteError } from '../../../common/errors.ts';
import { ManagementBase } from '../../interfaces/management.ts';
import type { BootDeviceState, SensorData } from '../../interfaces/management.ts';
import type { Task } from '../../task.ts';

const SUPPORTED: BootDevice[] = [BootDevice.PXE, BootDevice.DISK];

/**
 * `noop` management, for machines whose firmware already boots from the
 * network first and the disk second: nothing needs setting, so setting the
 * boot device only checks it.
 */
export class NoopManagement extends ManagementBase {
  async getSupportedBootDevices(_task: Task): Promise<BootDevice[]> {
    return [...SUPPORTED];
  }

  async setBootDevice(_task: Task, device: BootDevice, _persistent?: boolean): Promise<void> {
    if (!SUPPORTED.includes(device)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot device ${device} specified, supported are ${SUPPORTED.join(', ')}.`,
      });
    }
  }

  async getBootDevice(_task: Task): Promise<BootDeviceState> {
    return { bootDevice: BootDevice.PXE, persistent: true };
  }

  async getSensorsData(task: Task): Promise<SensorData> {
    throw new FerriteError('UnsupportedDriverExtension', {
      driver: task.node.driver,
      extension: 'sensor data',
    });
  }
}

import type { BootDevice as BootDeviceName } from '../../../common/boot-devices.ts';
import { FerriteError } from '../../../common/errors.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { ManagementBase } from '../../interfaces/management.ts';
import type { BootDeviceState, SensorData } from '../../interfaces/management.ts';
import type { Task } from '../../task.ts';
import { PERSISTENT_BOOT_DEVICE, SELECTOR_OF, sendBootDevice } from './boot-flags.ts';
import { getBootFlags } from './commands/boot-options.ts';
import { ChassisAction, chassisControl } from './commands/chassis.ts';
import { readSensors } from './commands/sensors.ts';
import { IPMI_DRIVER_INFO, ipmiNodeInfo } from './driver-info.ts';
import { ipmiCall } from './failures.ts';
import { nodeBmc } from './shared-client.ts';
import { IpmiError } from './types.ts';

const SUPPORTED_DEVICES = Object.keys(SELECTOR_OF) as BootDeviceName[];

/**
 * Management through the BMC: the boot device as System Boot Options
 * parameter 5 (with the EFI flag from the node's boot mode), sensors from
 * the SDR repository, NMI as a chassis diagnostic interrupt.
 */
export class IpmiManagement extends ManagementBase {
  readonly #env: DriverEnvironment;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(IPMI_DRIVER_INFO);
  }

  override async validate(task: Task): Promise<void> {
    ipmiNodeInfo(task);
  }

  async getSupportedBootDevices(_task: Task): Promise<BootDeviceName[]> {
    return [...SUPPORTED_DEVICES];
  }

  async setBootDevice(task: Task, device: BootDeviceName, persistent = false): Promise<void> {
    if (!SUPPORTED_DEVICES.includes(device)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot device ${device} specified, supported are ${SUPPORTED_DEVICES.join(', ')}.`,
      });
    }
    const bmc = nodeBmc(this.#env, task);
    await sendBootDevice(task, bmc, device, persistent);
    const info = task.node.driverInternalInfo;
    if (persistent) info[PERSISTENT_BOOT_DEVICE] = device;
    else Reflect.deleteProperty(info, PERSISTENT_BOOT_DEVICE);
  }

  async getBootDevice(task: Task): Promise<BootDeviceState> {
    const bmc = nodeBmc(this.#env, task);
    const flags = await ipmiCall(task, 'get boot device', () =>
      getBootFlags(bmc.channel, task.signal),
    );
    const device = SUPPORTED_DEVICES.find((d) => SELECTOR_OF[d] === flags.device) ?? null;
    const remembered = task.node.driverInternalInfo[PERSISTENT_BOOT_DEVICE];
    if (bmc.forceBootDevice) {
      // Such a BMC does not keep it; Ferrite does, and sets it at each power on.
      return { bootDevice: device ?? null, persistent: remembered === device && device !== null };
    }
    return {
      // As Ironic reads it: the selector whether or not the valid bit
      // survived (many BMCs clear it by themselves after a while).
      bootDevice: device,
      persistent: flags.persistent,
    };
  }

  async getSensorsData(task: Task): Promise<SensorData> {
    const bmc = nodeBmc(this.#env, task);
    try {
      return await readSensors(bmc.channel, task.signal);
    } catch (error) {
      if (error instanceof IpmiError) {
        throw new FerriteError('FailedToGetSensorData', {
          node: task.node.uuid,
          error: error.message,
        });
      }
      throw error;
    }
  }

  async injectNmi(task: Task): Promise<void> {
    const bmc = nodeBmc(this.#env, task);
    await ipmiCall(task, 'inject NMI', () =>
      chassisControl(bmc.channel, ChassisAction.DIAGNOSTIC_INTERRUPT, task.signal),
    );
  }
}

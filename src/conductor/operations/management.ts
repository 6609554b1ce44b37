import type { BootDevice, BootMode } from '../../common/boot-devices.ts';
import { isBootDevice, isBootMode } from '../../common/boot-devices.ts';
import { FerriteError } from '../../common/errors.ts';
import { requireInterface } from '../../drivers/driver.ts';
import type { BootDeviceState, SensorData } from '../../drivers/interfaces/management.ts';
import type { ConductorContext } from '../context.ts';

/** The node's boot device as its BMC reports it (shared lock). */
export function getBootDevice(ctx: ConductorContext, ident: string): Promise<BootDeviceState> {
  return ctx.tasks.run(ident, { shared: true, purpose: 'reading boot device' }, async (task) => {
    const management = requireInterface(task.driver, 'management');
    await management.validate(task);
    return management.getBootDevice(task);
  });
}

export function getSupportedBootDevices(
  ctx: ConductorContext,
  ident: string,
): Promise<BootDevice[]> {
  return ctx.tasks.run(ident, { shared: true, purpose: 'listing boot devices' }, (task) =>
    requireInterface(task.driver, 'management').getSupportedBootDevices(task),
  );
}

/** Sets the boot device for the next boot, or every boot. */
export function setBootDevice(
  ctx: ConductorContext,
  ident: string,
  device: string,
  persistent = false,
): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'setting boot device' }, async (task) => {
    const management = requireInterface(task.driver, 'management');
    await management.validate(task);
    const supported = await management.getSupportedBootDevices(task);
    if (!isBootDevice(device) || !supported.includes(device)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot device ${device} specified, supported are ${supported.join(', ')}.`,
      });
    }
    await management.setBootDevice(task, device, persistent);
  });
}

export function getSensorsData(ctx: ConductorContext, ident: string): Promise<SensorData> {
  return ctx.tasks.run(ident, { shared: true, purpose: 'reading sensors' }, async (task) => {
    const management = requireInterface(task.driver, 'management');
    await management.validate(task);
    return management.getSensorsData(task);
  });
}

export function injectNmi(ctx: ConductorContext, ident: string): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'injecting NMI' }, async (task) => {
    const management = requireInterface(task.driver, 'management');
    if (!management.injectNmi) {
      throw new FerriteError('UnsupportedDriverExtension', {
        driver: task.node.driver,
        extension: 'inject_nmi',
      });
    }
    await management.validate(task);
    await management.injectNmi(task);
  });
}

export function setBootMode(ctx: ConductorContext, ident: string, mode: string): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'setting boot mode' }, async (task) => {
    const management = requireInterface(task.driver, 'management');
    if (!management.setBootMode || !management.getSupportedBootModes) {
      throw new FerriteError('UnsupportedDriverExtension', {
        driver: task.node.driver,
        extension: 'set_boot_mode',
      });
    }
    const supported: BootMode[] = await management.getSupportedBootModes(task);
    if (!isBootMode(mode) || !supported.includes(mode)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Invalid boot mode ${mode} specified, supported are ${supported.join(', ')}.`,
      });
    }
    await management.setBootMode(task, mode);
    // The node's boot_mode is what the hardware now reports.
    task.node.bootMode = (await management.getBootMode?.(task)) ?? mode;
  });
}

/** Turns secure boot on or off, and records what the hardware then reports. */
export function setSecureBoot(
  ctx: ConductorContext,
  ident: string,
  enabled: boolean,
): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'setting secure boot' }, async (task) => {
    const management = requireInterface(task.driver, 'management');
    if (!management.setSecureBootState) {
      throw new FerriteError('UnsupportedDriverExtension', {
        driver: task.node.driver,
        extension: 'set_secure_boot_state',
      });
    }
    await management.setSecureBootState(task, enabled);
    task.node.secureBoot = (await management.getSecureBootState?.(task)) ?? enabled;
  });
}

import { FerriteError } from '../common/errors.ts';
import { CORE_INTERFACES } from './interface-types.ts';
import type { CoreInterfaceType, InterfaceType, StandardInterfaceType } from './interface-types.ts';
import type { BootInterface } from './interfaces/boot.ts';
import type { ConsoleInterface } from './interfaces/console.ts';
import type { DeployInterface } from './interfaces/deploy.ts';
import type { InspectInterface } from './interfaces/inspect.ts';
import type { ManagementInterface } from './interfaces/management.ts';
import type { NetworkInterface } from './interfaces/network.ts';
import type { PowerInterface } from './interfaces/power.ts';
import type { RaidInterface } from './interfaces/raid.ts';
import type { RescueInterface } from './interfaces/rescue.ts';
import type { StorageInterface } from './interfaces/storage.ts';
import type { VendorInterface } from './interfaces/vendor.ts';

/** The contract each interface type is filled with. */
export interface InterfaceMap {
  power: PowerInterface;
  deploy: DeployInterface;
  boot: BootInterface;
  console: ConsoleInterface;
  inspect: InspectInterface;
  management: ManagementInterface;
  network: NetworkInterface;
  raid: RaidInterface;
  rescue: RescueInterface;
  storage: StorageInterface;
  vendor: VendorInterface;
}

export type AnyInterface = InterfaceMap[InterfaceType];

/** Core interfaces are always present; standard ones may be missing. */
export type DriverInterfaces = { readonly [K in CoreInterfaceType]: InterfaceMap[K] } & {
  readonly [K in StandardInterfaceType]?: InterfaceMap[K];
};

/** A node's driver: one implementation per interface, and the names they were chosen by. */
export type Driver = DriverInterfaces & {
  /** The hardware type the driver was composed for. */
  readonly hardwareType: string;
  /** Implementation name per interface, e.g. `{ power: 'fake', network: 'noop', … }`. */
  readonly implementations: Readonly<Partial<Record<InterfaceType, string>>>;
};

/**
 * Builds a driver from interfaces handed to it, checking that the core ones
 * are there and that each implementation fills the slot it is put in.
 */
export function bareDriver(
  hardwareType: string,
  interfaces: Partial<InterfaceMap>,
  implementations: Readonly<Partial<Record<InterfaceType, string>>> = {},
): Driver {
  for (const core of CORE_INTERFACES) {
    if (!interfaces[core]) {
      throw new FerriteError('DriverLoadError', {
        driver: hardwareType,
        reason: `the core ${core} interface is missing`,
      });
    }
  }
  for (const [slot, impl] of Object.entries(interfaces) as [InterfaceType, AnyInterface][]) {
    if (impl.interfaceType !== slot) {
      throw new FerriteError('DriverLoadError', {
        driver: hardwareType,
        reason: `a ${impl.interfaceType} implementation cannot fill the ${slot} interface`,
      });
    }
  }
  return Object.freeze({ ...(interfaces as DriverInterfaces), hardwareType, implementations });
}

/**
 * The driver's implementation of a standard interface, or
 * UnsupportedDriverExtension when it has none.
 */
export function requireInterface<K extends InterfaceType>(
  driver: Driver,
  type: K,
): InterfaceMap[K] {
  const impl = (driver as Partial<InterfaceMap>)[type];
  if (!impl) {
    throw new FerriteError('UnsupportedDriverExtension', {
      driver: driver.hardwareType,
      extension: type,
    });
  }
  return impl;
}

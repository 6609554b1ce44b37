import type { Clock } from '../common/clock.ts';
import { systemClock } from '../common/clock.ts';
import { InterfaceCatalog } from './catalog.ts';
import type { DriverEnvironment, ImplementationEntry } from './catalog.ts';
import { DriverFactory } from './factory.ts';
import type { DriverFactoryConfig } from './factory.ts';
import type { InterfaceMap } from './driver.ts';
import type { HardwareType } from './hardware-type.ts';
import type { InterfaceType } from './interface-types.ts';
import { FAKE_HARDWARE } from './hardware-types/fake-hardware.ts';
import { MANUAL_MANAGEMENT } from './hardware-types/manual-management.ts';
import { IPMI } from './hardware-types/ipmi.ts';
import { IpmiConsole } from './modules/ipmi/console.ts';
import { IpmiManagement } from './modules/ipmi/management.ts';
import { IpmiPower } from './modules/ipmi/power.ts';
import { IpmiVendor } from './modules/ipmi/vendor.ts';
import { REDFISH } from './hardware-types/redfish.ts';
import { RedfishInspect } from './modules/redfish/inspect.ts';
import { RedfishManagement } from './modules/redfish/management.ts';
import { RedfishPower } from './modules/redfish/power.ts';
import { RedfishRaid } from './modules/redfish/raid.ts';
import { RedfishVirtualMediaBoot } from './modules/redfish/virtual-media-boot.ts';
import { AgentInspect } from './modules/agent/inspect.ts';
import { DirectDeploy } from './modules/agent/direct-deploy.ts';
import { BOOT_FILE_IMPLEMENTATIONS } from './modules/pxe/entries.ts';
import { FakeBoot } from './modules/fake/boot.ts';
import { FakeConsole } from './modules/fake/console.ts';
import { FakeDeploy } from './modules/fake/deploy.ts';
import { FakeInspect } from './modules/fake/inspect.ts';
import { FakeManagement } from './modules/fake/management.ts';
import { fakeOptions } from './modules/fake/options.ts';
import type { FakeDelay, FakeDelayKey } from './modules/fake/options.ts';
import { FakePower } from './modules/fake/power.ts';
import { FakeRaid } from './modules/fake/raid.ts';
import { FakeRescue } from './modules/fake/rescue.ts';
import { FakeStorage } from './modules/fake/storage.ts';
import { FakeVendor } from './modules/fake/vendor.ts';
import { FlatNetwork } from './modules/network/flat.ts';
import { NoConsole } from './modules/noop/console.ts';
import { NoInspect } from './modules/noop/inspect.ts';
import { NoopManagement } from './modules/noop/management.ts';
import { NoopNetwork } from './modules/noop/network.ts';
import { NoRaid } from './modules/noop/raid.ts';
import { NoRescue } from './modules/noop/rescue.ts';
import { NoopStorage } from './modules/noop/storage.ts';
import { NoVendor } from './modules/noop/vendor.ts';

/** A fake implementation, whose delay comes from `options.fake.<interface>`. */
function fake<T extends InterfaceType & FakeDelayKey>(
  interfaceType: T,
  Impl: new (delay?: FakeDelay) => InterfaceMap[T],
): ImplementationEntry<T> {
  return {
    interfaceType,
    name: 'fake',
    description: 'Emulated, for tests and trials',
    create: (env) => new Impl(fakeOptions(env)[interfaceType]),
  };
}

/** An implementation that needs no configuration. */
function plain<T extends InterfaceType>(
  interfaceType: T,
  name: string,
  description: string,
  Impl: new () => InterfaceMap[T],
): ImplementationEntry<T> {
  return { interfaceType, name, description, create: () => new Impl() };
}

/** Every implementation that ships with Ferrite. */
export const BUILTIN_IMPLEMENTATIONS: readonly ImplementationEntry[] = [
  fake('power', FakePower),
  fake('management', FakeManagement),
  {
    interfaceType: 'power',
    name: 'ipmi',
    description: 'IPMI 2.0 chassis power over RMCP+ (Ferrite’s own client)',
    create: (env) => new IpmiPower(env),
  },
  {
    interfaceType: 'management',
    name: 'ipmi',
    description: 'IPMI 2.0 boot device, sensors and NMI over RMCP+',
    create: (env) => new IpmiManagement(env),
  },
  {
    interfaceType: 'vendor',
    name: 'ipmi',
    description: 'IPMI raw requests (send_raw) and BMC resets (bmc_reset)',
    create: (env) => new IpmiVendor(env),
  },
  {
    interfaceType: 'console',
    name: 'ipmi',
    description: 'Serial console over IPMI Serial over LAN, served on a TCP port (socat type)',
    create: (env) => new IpmiConsole(env),
  },
  ...BOOT_FILE_IMPLEMENTATIONS,
  {
    interfaceType: 'deploy',
    name: 'direct',
    description: 'The ramdisk agent streams the image from its URL to the root disk',
    create: (env) => new DirectDeploy(env),
  },
  {
    interfaceType: 'inspect',
    name: 'agent',
    description: 'In-band inspection: the ramdisk agent reports CPUs, memory, disks and NICs',
    create: (env) => new AgentInspect(env),
  },
  {
    interfaceType: 'power',
    name: 'redfish',
    description: 'Redfish ComputerSystem.Reset and PowerState',
    create: (env) => new RedfishPower(env),
  },
  {
    interfaceType: 'inspect',
    name: 'redfish',
    description:
      'Out-of-band inspection from the Redfish system: CPUs, memory, disks, NICs (ports)',
    create: (env) => new RedfishInspect(env),
  },
  {
    interfaceType: 'boot',
    name: 'redfish-virtual-media',
    description: 'Boots an ISO inserted as the BMC’s virtual CD (the deploy ISO for the ramdisk)',
    create: (env) => new RedfishVirtualMediaBoot(env),
  },
  {
    interfaceType: 'raid',
    name: 'redfish',
    description: 'RAID volumes through Redfish Storage, waiting on the BMC’s task monitors',
    create: (env) => new RedfishRaid(env),
  },
  {
    interfaceType: 'management',
    name: 'redfish',
    description: 'Redfish boot source override, boot mode, Thermal and Power sensors, NMI',
    create: (env) => new RedfishManagement(env),
  },
  plain('management', 'noop', 'Boot order preset in firmware; nothing to set', NoopManagement),
  fake('boot', FakeBoot),
  fake('deploy', FakeDeploy),
  fake('console', FakeConsole),
  plain('console', 'no-console', 'No console', NoConsole),
  fake('inspect', FakeInspect),
  plain('inspect', 'no-inspect', 'No inspection', NoInspect),
  plain('network', 'flat', 'One flat provider network; VIFs tracked per port', FlatNetwork),
  plain('network', 'noop', 'Networks not managed', NoopNetwork),
  fake('raid', FakeRaid),
  plain('raid', 'no-raid', 'No RAID', NoRaid),
  fake('rescue', FakeRescue),
  plain('rescue', 'no-rescue', 'No rescue', NoRescue),
  fake('storage', FakeStorage),
  plain('storage', 'noop', 'Local disks only', NoopStorage),
  fake('vendor', FakeVendor),
  plain('vendor', 'no-vendor', 'No vendor extensions', NoVendor),
];

/** Every hardware type that ships with Ferrite. */
export const BUILTIN_HARDWARE_TYPES: readonly HardwareType[] = [
  FAKE_HARDWARE,
  IPMI,
  MANUAL_MANAGEMENT,
  REDFISH,
];

export interface BuiltinFactoryOptions extends DriverFactoryConfig {
  readonly clock?: Clock;
  /** Options per implementation family, e.g. `{ fake: { power: 2 } }`. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A driver factory over Ferrite's own hardware types and implementations. */
export function createDriverFactory(options: BuiltinFactoryOptions = {}): DriverFactory {
  const env: Omit<DriverEnvironment, 'resources'> = {
    clock: options.clock ?? systemClock,
    options: options.options ?? {},
  };
  return new DriverFactory(
    new InterfaceCatalog(BUILTIN_IMPLEMENTATIONS),
    BUILTIN_HARDWARE_TYPES,
    env,
    options,
  );
}

import type { Clock } from '../common/clock.ts';
import { systemClock } from '../common/clock.ts';
import { implementation, InterfaceCatalog } from './catalog.ts';
import type { DriverEnvironment, ImplementationEntry } from './catalog.ts';
import { DriverFactory } from './factory.ts';
import type { DriverFactoryConfig } from './factory.ts';
import type { HardwareType } from './hardware-type.ts';
import { FAKE_HARDWARE } from './hardware-types/fake-hardware.ts';
import { MANUAL_MANAGEMENT } from './hardware-types/manual-management.ts';
import { FakeBoot } from './modules/fake/boot.ts';
import { FakeConsole } from './modules/fake/console.ts';
import { FakeDeploy } from './modules/fake/deploy.ts';
import { FakeInspect } from './modules/fake/inspect.ts';
import { FakeManagement } from './modules/fake/management.ts';
import { fakeOptions } from './modules/fake/options.ts';
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

const FAKE = 'Emulated, for tests and trials';

/** Every implementation that ships with Ferrite. */
export const BUILTIN_IMPLEMENTATIONS: readonly ImplementationEntry[] = [
  implementation({
    interfaceType: 'power',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakePower(fakeOptions(env).power),
  }),
  implementation({
    interfaceType: 'management',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeManagement(fakeOptions(env).management),
  }),
  implementation({
    interfaceType: 'management',
    name: 'noop',
    description: 'Boot order preset in firmware; nothing to set',
    create: () => new NoopManagement(),
  }),
  implementation({
    interfaceType: 'boot',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeBoot(fakeOptions(env).boot),
  }),
  implementation({
    interfaceType: 'deploy',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeDeploy(fakeOptions(env).deploy),
  }),
  implementation({
    interfaceType: 'console',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeConsole(fakeOptions(env).console),
  }),
  implementation({
    interfaceType: 'console',
    name: 'no-console',
    description: 'No console',
    create: () => new NoConsole(),
  }),
  implementation({
    interfaceType: 'inspect',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeInspect(fakeOptions(env).inspect),
  }),
  implementation({
    interfaceType: 'inspect',
    name: 'no-inspect',
    description: 'No inspection',
    create: () => new NoInspect(),
  }),
  implementation({
    interfaceType: 'network',
    name: 'flat',
    description: 'One flat provider network; VIFs tracked per port',
    create: () => new FlatNetwork(),
  }),
  implementation({
    interfaceType: 'network',
    name: 'noop',
    description: 'Networks not managed',
    create: () => new NoopNetwork(),
  }),
  implementation({
    interfaceType: 'raid',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeRaid(fakeOptions(env).raid),
  }),
  implementation({
    interfaceType: 'raid',
    name: 'no-raid',
    description: 'No RAID',
    create: () => new NoRaid(),
  }),
  implementation({
    interfaceType: 'rescue',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeRescue(fakeOptions(env).rescue),
  }),
  implementation({
    interfaceType: 'rescue',
    name: 'no-rescue',
    description: 'No rescue',
    create: () => new NoRescue(),
  }),
  implementation({
    interfaceType: 'storage',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeStorage(fakeOptions(env).storage),
  }),
  implementation({
    interfaceType: 'storage',
    name: 'noop',
    description: 'Local disks only',
    create: () => new NoopStorage(),
  }),
  implementation({
    interfaceType: 'vendor',
    name: 'fake',
    description: FAKE,
    create: (env) => new FakeVendor(fakeOptions(env).vendor),
  }),
  implementation({
    interfaceType: 'vendor',
    name: 'no-vendor',
    description: 'No vendor extensions',
    create: () => new NoVendor(),
  }),
];

/** Every hardware type that ships with Ferrite. */
export const BUILTIN_HARDWARE_TYPES: readonly HardwareType[] = [FAKE_HARDWARE, MANUAL_MANAGEMENT];

export interface BuiltinFactoryOptions extends DriverFactoryConfig {
  readonly clock?: Clock;
  /** Options per implementation family, e.g. `{ fake: { power: 2 } }`. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A driver factory over Ferrite's own hardware types and implementations. */
export function createDriverFactory(options: BuiltinFactoryOptions = {}): DriverFactory {
  const env: DriverEnvironment = {
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

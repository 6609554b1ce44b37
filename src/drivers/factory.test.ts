import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../common/clock.ts';
import { isFerriteError } from '../common/errors.ts';
import { BUILTIN_HARDWARE_TYPES, BUILTIN_IMPLEMENTATIONS, createDriverFactory } from './builtin.ts';
import { InterfaceCatalog } from './catalog.ts';
import { bareDriver, requireInterface } from './driver.ts';
import { DriverFactory } from './factory.ts';
import { defineHardwareType } from './hardware-type.ts';
import { ALL_INTERFACES } from './interface-types.ts';
import { FakeDeploy } from './modules/fake/deploy.ts';
import { FakePower } from './modules/fake/power.ts';

const fails = (code: Parameters<typeof isFerriteError>[1], pattern?: RegExp) => (error: unknown) =>
  isFerriteError(error, code) && (pattern === undefined || pattern.test(error.message));

describe('driver factory', () => {
  it('gives a node without choices each interface’s first enabled supported implementation', () => {
    const factory = createDriverFactory();
    assert.deepEqual(factory.resolveInterfaces({ driver: 'fake-hardware' }), {
      power: 'fake',
      deploy: 'fake',
      boot: 'fake',
      console: 'fake',
      inspect: 'fake',
      management: 'fake',
      network: 'flat',
      raid: 'fake',
      rescue: 'fake',
      storage: 'fake',
      vendor: 'fake',
    });
    const manual = factory.resolveInterfaces({ driver: 'manual-management' });
    assert.equal(manual.management, 'noop');
    assert.equal(manual.power, 'fake');
    assert.equal(manual.console, 'no-console');
  });

  it('uses what the node chooses, and instance_info over the node', () => {
    const factory = createDriverFactory();
    const chosen = factory.resolveInterfaces({
      driver: 'fake-hardware',
      consoleInterface: 'no-console',
      networkInterface: 'noop',
      instanceInfo: { network_interface: 'flat' },
    });
    assert.equal(chosen.console, 'no-console');
    assert.equal(chosen.network, 'flat');
  });

  it('refuses an implementation the hardware type does not support, naming what it does', () => {
    const factory = createDriverFactory();
    assert.throws(
      () =>
        factory.resolveInterfaces({
          driver: 'manual-management',
          managementInterface: 'fake',
          raidInterface: 'fake',
        }),
      fails(
        'IncompatibleInterface',
        /^raid interface implementation 'fake' is not supported by hardware type manual-management\. Supported: no-raid\.$/,
      ),
    );
  });

  it('refuses an implementation that is not enabled, listing the enabled ones', () => {
    const factory = createDriverFactory({ enabledInterfaces: { console: ['no-console'] } });
    assert.throws(
      () => factory.resolveInterfaces({ driver: 'fake-hardware', consoleInterface: 'fake' }),
      fails(
        'InterfaceNotFoundInEntrypoint',
        /^The console interface implementation 'fake' is not enabled\. Valid interfaces are \['no-console'\]\.$/,
      ),
    );
    assert.throws(
      () => factory.resolveInterfaces({ driver: 'fake-hardware', powerInterface: 'ipmitool' }),
      (error: unknown) =>
        isFerriteError(error, 'InterfaceNotFoundInEntrypoint') && error.status === 400,
    );
    // With fake disabled, the default moves to the next supported implementation.
    assert.equal(factory.defaultImplementation('fake-hardware', 'console'), 'no-console');
  });

  it('lets a configured default win over the hardware type’s order', () => {
    const factory = createDriverFactory({
      defaultInterfaces: { network: 'noop', console: 'no-console' },
    });
    assert.equal(factory.defaultImplementation('fake-hardware', 'network'), 'noop');
    assert.equal(factory.defaultImplementation('fake-hardware', 'console'), 'no-console');
  });

  it('fails at start-up when a default cannot be found or a configured one does not fit', () => {
    assert.throws(
      () => createDriverFactory({ enabledInterfaces: { power: [] } }),
      fails(
        'NoValidDefaultForInterface',
        /hardware type 'fake-hardware', no default value found for power interface/,
      ),
    );
    assert.throws(
      () => createDriverFactory({ defaultInterfaces: { raid: 'fake' } }),
      // Types that do not list the fake RAID (ipmi, manual-management) cannot take it as default.
      fails('NoValidDefaultForInterface', /'(ipmi|manual-management)'.*raid interface/),
    );
    assert.throws(
      () => createDriverFactory({ enabledInterfaces: { power: ['fake', 'ipmitool'] } }),
      fails('DriverLoadError', /ipmitool.*no power implementation has this name/),
    );
    assert.throws(
      () => createDriverFactory({ enabledHardwareTypes: ['idrac'] }),
      fails('DriverNotFound', /idrac/),
    );
    assert.throws(
      () => createDriverFactory({ enabledHardwareTypes: [] }),
      fails('NoDriversLoaded'),
    );
  });

  it('names the node when a node has no valid default', () => {
    const factory = createDriverFactory({
      enabledInterfaces: { vendor: ['fake'] },
      enabledHardwareTypes: ['fake-hardware'],
    });
    assert.equal(factory.defaultImplementation('fake-hardware', 'vendor', 'n-1'), 'fake');
    assert.throws(
      () => factory.resolveInterfaces({ driver: 'manual-management' }),
      fails('DriverNotFound', /manual-management/),
    );
  });

  it('refuses an unknown or disabled hardware type with a 404', () => {
    const factory = createDriverFactory({ enabledHardwareTypes: ['fake-hardware'] });
    assert.deepEqual(factory.hardwareTypeNames(), ['fake-hardware']);
    assert.throws(
      () => factory.compose({ driver: 'manual-management' }),
      (error: unknown) => isFerriteError(error, 'DriverNotFound') && error.status === 404,
    );
  });

  it('composes drivers that share one instance per implementation', () => {
    const factory = createDriverFactory();
    const a = factory.compose({ driver: 'fake-hardware', uuid: 'a' });
    const b = factory.compose({
      driver: 'fake-hardware',
      uuid: 'b',
      consoleInterface: 'no-console',
    });
    assert.equal(a.power, b.power);
    assert.notEqual(a.console, b.console);
    assert.equal(a.hardwareType, 'fake-hardware');
    assert.equal(b.implementations.console, 'no-console');
    for (const type of ALL_INTERFACES) assert.equal(a[type]?.interfaceType, type);
  });

  it('merges the properties of a hardware type’s default implementations', () => {
    const factory = createDriverFactory();
    assert.ok('fake_hardware' in factory.driverProperties('fake-hardware'));
    assert.deepEqual(factory.driverProperties('manual-management'), {});
  });

  it('summarises hardware types for `ferrite drivers` and the API', () => {
    const [fake, ...others] = createDriverFactory({
      enabledHardwareTypes: ['fake-hardware'],
    }).summaries();
    assert.ok(fake);
    assert.equal(others.length, 0);
    assert.equal(fake.name, 'fake-hardware');
    assert.deepEqual(fake.interfaces.network, {
      default: 'flat',
      supported: ['flat', 'noop'],
      enabled: ['flat', 'noop'],
    });
    assert.deepEqual(fake.interfaces.console, {
      default: 'fake',
      supported: ['fake', 'no-console'],
      enabled: ['fake', 'no-console'],
    });
  });

  it('refuses a hardware type that names an unregistered implementation', () => {
    const bad = defineHardwareType({
      name: 'bad',
      description: 'x',
      supported: { power: ['ipmitool'], deploy: ['fake'], boot: ['fake'], management: ['fake'] },
    });
    assert.throws(
      () =>
        new DriverFactory(
          new InterfaceCatalog(BUILTIN_IMPLEMENTATIONS),
          [...BUILTIN_HARDWARE_TYPES, bad],
          {
            clock: systemClock,
            options: {},
          },
        ),
      fails('DriverLoadError', /power list names unknown implementations: ipmitool/),
    );
  });

  it('refuses to register the same implementation twice', () => {
    const [first] = BUILTIN_IMPLEMENTATIONS;
    assert.ok(first);
    assert.throws(
      () => new InterfaceCatalog([first, first]),
      fails('DriverLoadError', /already registered/),
    );
  });
});

describe('hardware types and bare drivers', () => {
  it('fill unlisted optional interfaces with their no-op implementations', () => {
    const type = defineHardwareType({
      name: 'minimal',
      description: 'x',
      supported: { power: ['fake'], deploy: ['fake'], boot: ['fake'], management: ['fake'] },
    });
    assert.deepEqual(type.supported.console, ['no-console']);
    assert.deepEqual(type.supported.network, ['flat', 'noop']);
    assert.throws(
      () =>
        defineHardwareType({
          name: 'x',
          description: 'x',
          supported: { power: ['fake'], deploy: ['fake'] },
        }),
      fails('DriverLoadError', /lists no (boot|management) implementation/),
    );
    assert.throws(
      () =>
        defineHardwareType({
          name: 'x',
          description: 'x',
          supported: {
            power: ['fake', 'fake'],
            deploy: ['fake'],
            boot: ['fake'],
            management: ['fake'],
          },
        }),
      fails('DriverLoadError', /names an implementation twice/),
    );
  });

  it('require power and deploy, and each implementation in its own slot', () => {
    assert.throws(
      () => bareDriver('x', { power: new FakePower() }),
      fails('DriverLoadError', /core deploy interface is missing/),
    );
    assert.throws(
      () => bareDriver('x', { power: new FakeDeploy() as never, deploy: new FakeDeploy() }),
      fails('DriverLoadError', /a deploy implementation cannot fill the power interface/),
    );
    const driver = bareDriver('x', { power: new FakePower(), deploy: new FakeDeploy() });
    assert.throws(
      () => requireInterface(driver, 'console'),
      fails('UnsupportedDriverExtension', /^Driver x does not support console/),
    );
    assert.equal(requireInterface(driver, 'power'), driver.power);
  });
});

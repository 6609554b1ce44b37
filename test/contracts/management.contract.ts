import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BOOT_DEVICES,
  BootDevice,
  isBootDevice,
  isBootMode,
} from '../../src/common/boot-devices.ts';
import type { BootMode } from '../../src/common/boot-devices.ts';
import type { ErrorCode } from '../../src/common/errors.ts';
import { isJsonObject } from '../../src/common/json.ts';
import type { ManagementInterface } from '../../src/drivers/interfaces/management.ts';
import { baseContract } from './base.contract.ts';
import { rejectsWith, withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

export interface ManagementContractOptions {
  /**
   * Whether getBootDevice reports what setBootDevice set. False for
   * management that cannot change the boot order (noop: the firmware's order
   * is assumed). Default true.
   */
  readonly bootDeviceReadBack?: boolean;
  /**
   * Whether the hardware has sensors to read. When false, getSensorsData must
   * reject with UnsupportedDriverExtension. Default true.
   */
  readonly sensors?: boolean;
  /**
   * Whether the persistence of a boot device reads back. False for BMCs that
   * keep only the device (OpenIPMI's simulator). Default true.
   */
  readonly persistenceReadBack?: boolean;
  /**
   * The devices whose read-back is checked, when the hardware takes fewer
   * than the implementation supports (the simulator has no "safe"). Default:
   * every supported device.
   */
  readonly readBackDevices?: readonly BootDevice[];
  /**
   * Whether the hardware takes an NMI. When false, an implemented injectNmi
   * must fail with the given error code (the simulator refuses the
   * diagnostic interrupt). Default: it takes one.
   */
  readonly nmiRefusedWith?: ErrorCode;
}

/** Not a boot device at all, as a JSON API could hand it over. */
const BOGUS_DEVICE = 'punched-cards' as unknown as BootDevice;
const BOGUS_MODE = 'openfirmware' as unknown as BootMode;

/**
 * The management interface: boot devices set are boot devices read back,
 * unsupported ones are refused, sensor data has the grouped shape telemetry
 * reads, and the optional NMI and boot mode methods work when present.
 */
export function managementContract(
  subject: ContractSubject<ManagementInterface>,
  options: ManagementContractOptions = {},
): void {
  const readBack = options.bootDeviceReadBack ?? true;
  const sensors = options.sensors ?? true;
  const persistence = options.persistenceReadBack ?? true;

  describe(`management contract: ${subject.name}`, () => {
    baseContract(subject, 'management');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'supports known boot devices, each once, including pxe and disk',
      withFixture(subject, async ({ impl, task, run }) => {
        const devices = await run(impl.getSupportedBootDevices(task));
        for (const device of devices) assert.ok(isBootDevice(device), `unknown device ${device}`);
        assert.equal(new Set(devices).size, devices.length, 'boot devices repeat');
        assert.ok(devices.includes(BootDevice.PXE), 'pxe is not supported');
        assert.ok(devices.includes(BootDevice.DISK), 'disk is not supported');
      }),
    );

    it(
      'reports a supported boot device (or null) and a boolean (or null) persistence',
      withFixture(subject, async ({ impl, task, run }) => {
        const devices = await run(impl.getSupportedBootDevices(task));
        const state = await run(impl.getBootDevice(task));
        assert.deepEqual(Object.keys(state).sort(), ['bootDevice', 'persistent']);
        assert.ok(
          state.bootDevice === null || devices.includes(state.bootDevice),
          `reported boot device ${state.bootDevice} is not a supported one`,
        );
        assert.ok(state.persistent === null || typeof state.persistent === 'boolean');
      }),
    );

    if (readBack) {
      it(
        'reads back every supported boot device, persistent and one-time',
        withFixture(subject, async ({ impl, task, run }) => {
          const devices =
            options.readBackDevices ?? (await run(impl.getSupportedBootDevices(task)));
          for (const device of devices) {
            for (const persistent of [true, false]) {
              await run(impl.setBootDevice(task, device, persistent));
              const state = await run(impl.getBootDevice(task));
              assert.equal(state.bootDevice, device, `set ${device} (persistent ${persistent})`);
              if (persistence && state.persistent !== null) {
                assert.equal(state.persistent, persistent, `persistence of ${device}`);
              }
            }
          }
        }),
      );

      it(
        'sets a one-time boot device when persistence is not given',
        withFixture(subject, async ({ impl, task, run }) => {
          await run(impl.setBootDevice(task, BootDevice.DISK, true));
          await run(impl.setBootDevice(task, BootDevice.PXE));
          const state = await run(impl.getBootDevice(task));
          assert.equal(state.bootDevice, BootDevice.PXE);
          if (persistence && state.persistent !== null) assert.equal(state.persistent, false);
        }),
      );
    } else {
      it(
        'accepts every supported boot device and still reports a supported one',
        withFixture(subject, async ({ impl, task, run }) => {
          const devices = await run(impl.getSupportedBootDevices(task));
          for (const device of devices) {
            await run(impl.setBootDevice(task, device, true));
            await run(impl.setBootDevice(task, device, false));
            const state = await run(impl.getBootDevice(task));
            assert.ok(state.bootDevice === null || devices.includes(state.bootDevice));
          }
        }),
      );
    }

    it(
      'refuses an unsupported boot device with InvalidParameterValue',
      withFixture(subject, async ({ impl, task, run }) => {
        const devices = await run(impl.getSupportedBootDevices(task));
        await run(impl.setBootDevice(task, BootDevice.DISK, true));
        const before = await run(impl.getBootDevice(task));
        for (const device of [...BOOT_DEVICES.filter((d) => !devices.includes(d)), BOGUS_DEVICE]) {
          await rejectsWith(run(impl.setBootDevice(task, device)), 'InvalidParameterValue', {
            what: `boot device ${device}`,
          });
          await rejectsWith(run(impl.setBootDevice(task, device, true)), 'InvalidParameterValue', {
            what: `persistent boot device ${device}`,
          });
        }
        assert.deepEqual(await run(impl.getBootDevice(task)), before, 'a refusal changed it');
      }),
    );

    if (sensors) {
      it(
        'reports sensor data grouped by type, then id, each with a string reading',
        withFixture(subject, async ({ impl, task, run }) => {
          const data = await run(impl.getSensorsData(task));
          assert.ok(isJsonObject(data), 'sensor data must be an object');
          const types = Object.entries(data);
          assert.ok(types.length > 0, 'no sensor types reported');
          for (const [type, group] of types) {
            assert.notEqual(type, '', 'empty sensor type');
            assert.ok(isJsonObject(group), `sensor type ${type} must map ids to readings`);
            const readings = Object.entries(group);
            assert.ok(readings.length > 0, `sensor type ${type} has no sensors`);
            for (const [id, reading] of readings) {
              assert.notEqual(id, '', `empty sensor id under ${type}`);
              assert.ok(isJsonObject(reading), `${type}/${id} must be an object`);
              assert.equal(typeof reading['Sensor Reading'], 'string', `${type}/${id} reading`);
              for (const [key, value] of Object.entries(reading)) {
                assert.ok(
                  value === null || ['string', 'number', 'boolean'].includes(typeof value),
                  `${type}/${id}.${key} must be a scalar`,
                );
              }
            }
          }
        }),
      );
    } else {
      it(
        'refuses to read sensors with UnsupportedDriverExtension',
        withFixture(subject, async ({ impl, task, run }) => {
          await rejectsWith(run(impl.getSensorsData(task)), 'UnsupportedDriverExtension');
        }),
      );
    }

    it(
      'injects an NMI when it can',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if (!impl.injectNmi) {
          t.skip('injectNmi is not implemented');
          return;
        }
        if (options.nmiRefusedWith !== undefined) {
          await rejectsWith(run(impl.injectNmi(task)), options.nmiRefusedWith);
          return;
        }
        await run(impl.injectNmi(task));
      }),
    );

    it(
      'supports known boot modes, each once, when it reports them',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if (!impl.getSupportedBootModes) {
          t.skip('getSupportedBootModes is not implemented');
          return;
        }
        const modes = await run(impl.getSupportedBootModes(task));
        assert.ok(modes.length > 0, 'no boot modes supported');
        for (const mode of modes) assert.ok(isBootMode(mode), `unknown boot mode ${mode}`);
        assert.equal(new Set(modes).size, modes.length, 'boot modes repeat');
      }),
    );

    it(
      'reports a known boot mode (or null)',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if (!impl.getBootMode) {
          t.skip('getBootMode is not implemented');
          return;
        }
        const mode = await run(impl.getBootMode(task));
        assert.ok(mode === null || isBootMode(mode), `unknown boot mode ${mode}`);
      }),
    );

    it(
      'reads back every supported boot mode and refuses an unknown one',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if (!impl.getSupportedBootModes || !impl.setBootMode || !impl.getBootMode) {
          t.skip('boot modes cannot be both set and read');
          return;
        }
        const modes = await run(impl.getSupportedBootModes(task));
        for (const mode of [...modes, ...modes.slice().reverse()]) {
          await run(impl.setBootMode(task, mode));
          assert.equal(await run(impl.getBootMode(task)), mode, `after setting ${mode}`);
        }
        const before = await run(impl.getBootMode(task));
        await rejectsWith(run(impl.setBootMode(task, BOGUS_MODE)), 'InvalidParameterValue');
        assert.equal(await run(impl.getBootMode(task)), before, 'a refusal changed the mode');
      }),
    );
  });
}

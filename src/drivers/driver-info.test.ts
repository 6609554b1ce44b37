import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFerriteError } from '../common/errors.ts';
import { TestTask } from '../../test/support/task.ts';
import { createDriverFactory } from './builtin.ts';
import { checkDriverInfo, checks, describeDriverInfo, secretKeys } from './driver-info.ts';
import type { DriverInfoSpec } from './driver-info.ts';
import { PowerBase } from './interfaces/power.ts';
import type { PowerState } from '../common/states.ts';
import type { Task } from './task.ts';

const SPEC: DriverInfoSpec = {
  bmc_address: { description: 'Address of the BMC.', required: true, check: checks.string },
  bmc_password: { description: 'Password for the BMC.', required: true, secret: true },
  bmc_port: { description: 'UDP port of the BMC.', check: checks.port },
  bmc_mode: { description: 'Protocol.', check: checks.oneOf(['lan', 'lanplus']) },
};

/** A power interface that reads its BMC from driver_info, as real ones do. */
class SpecPower extends PowerBase {
  override getProperties() {
    return describeDriverInfo(SPEC);
  }
  override async validate(task: Task): Promise<void> {
    checkDriverInfo(task, SPEC, 'BMC credentials');
  }
  async getPowerState(): Promise<PowerState> {
    return 'power off';
  }
  async setPowerState(): Promise<void> {}
  async reboot(): Promise<void> {}
}

const driver = createDriverFactory().compose({ driver: 'fake-hardware' });

describe('driver_info specifications', () => {
  it('describe each key as required or optional', () => {
    assert.deepEqual(new SpecPower().getProperties(), {
      bmc_address: 'Address of the BMC. Required.',
      bmc_password: 'Password for the BMC. Required.',
      bmc_port: 'UDP port of the BMC. Optional.',
      bmc_mode: 'Protocol. Optional.',
    });
    assert.deepEqual(secretKeys(SPEC), ['bmc_password']);
  });

  it('make validate raise MissingParameterValue naming every missing required key', async () => {
    const task = new TestTask(driver, { node: { driverInfo: { bmc_address: '' } } });
    await assert.rejects(
      new SpecPower().validate(task),
      (error: unknown) =>
        isFerriteError(error, 'MissingParameterValue') &&
        error.status === 400 &&
        error.message ===
          "Missing the following BMC credentials in node's driver_info: bmc_address, bmc_password.",
    );
  });

  it('make validate raise InvalidParameterValue for a present but malformed value', async () => {
    const base = { bmc_address: '10.0.0.1', bmc_password: 'x' };
    const spec = new SpecPower();
    await spec.validate(
      new TestTask(driver, {
        node: { driverInfo: { ...base, bmc_port: '623', bmc_mode: 'lanplus' } },
      }),
    );
    for (const [key, value, pattern] of [
      ['bmc_port', 70000, /bmc_port must be a port number/],
      ['bmc_port', 'x', /bmc_port must be a port number/],
      ['bmc_mode', 'serial', /bmc_mode must be one of lan, lanplus/],
      ['bmc_address', 42, /bmc_address must be a string/],
    ] as const) {
      const task = new TestTask(driver, { node: { driverInfo: { ...base, [key]: value } } });
      await assert.rejects(
        spec.validate(task),
        (error: unknown) =>
          isFerriteError(error, 'InvalidParameterValue') &&
          !error.is('MissingParameterValue') &&
          pattern.test(error.message),
      );
    }
  });
});

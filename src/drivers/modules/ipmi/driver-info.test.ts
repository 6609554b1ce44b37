import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import { TestTask } from '../../../../test/support/task.ts';
import { createDriverFactory } from '../../builtin.ts';
import { ipmiNodeInfo } from './driver-info.ts';
import { PrivilegeLevel } from './types.ts';

const driver = createDriverFactory().compose({ driver: 'ipmi' });

function taskWith(driverInfo: JsonObject): TestTask {
  return new TestTask(driver, { node: { driver: 'ipmi', driverInfo } });
}

function refusal(driverInfo: JsonObject): string {
  try {
    ipmiNodeInfo(taskWith(driverInfo));
  } catch (error) {
    assert.ok(isFerriteError(error), String(error));
    return `${error.code}: ${error.message}`;
  }
  assert.fail(`accepted ${JSON.stringify(driverInfo)}`);
}

describe('ipmi driver_info', () => {
  it('reads the BMC with Ironic’s defaults: port 623, administrator, negotiated suite', () => {
    const info = ipmiNodeInfo(
      taskWith({ ipmi_address: '10.0.0.5', ipmi_username: 'admin', ipmi_password: 'pw' }),
    );
    assert.deepEqual(info, {
      target: {
        host: '10.0.0.5',
        port: 623,
        username: 'admin',
        password: 'pw',
        privilege: PrivilegeLevel.ADMINISTRATOR,
      },
      forceBootDevice: false,
      disableBootTimeout: true,
    });
  });

  it('takes ports, suites and flags as clients send them, strings included', () => {
    const info = ipmiNodeInfo(
      taskWith({
        ipmi_address: 'bmc.example',
        ipmi_port: '6230',
        ipmi_priv_level: 'OPERATOR',
        ipmi_cipher_suite: '17',
        ipmi_protocol_version: '2.0',
        ipmi_force_boot_device: 'True',
        ipmi_disable_boot_timeout: false,
        ipmi_bridging: 'no',
      }),
    );
    assert.equal(info.target.port, 6230);
    assert.equal(info.target.privilege, PrivilegeLevel.OPERATOR);
    assert.equal(info.target.cipherSuite, 17);
    assert.equal(info.target.username, '');
    assert.equal(info.forceBootDevice, true);
    assert.equal(info.disableBootTimeout, false);
  });

  it('says what is wrong with each bad key, and never echoes the password', () => {
    assert.match(refusal({}), /MissingParameterValue.*ipmi_address/);
    assert.match(refusal({ ipmi_address: 'h', ipmi_port: 70000 }), /ipmi_port must be a port/);
    assert.match(
      refusal({ ipmi_address: 'h', ipmi_priv_level: 'ROOT' }),
      /ipmi_priv_level must be one of/,
    );
    assert.match(
      refusal({ ipmi_address: 'h', ipmi_cipher_suite: 1 }),
      /ipmi_cipher_suite 1 is not supported/,
    );
    assert.match(
      refusal({ ipmi_address: 'h', ipmi_protocol_version: '1.5' }),
      /IPMI 2\.0 \(RMCP\+\) only/,
    );
    assert.match(refusal({ ipmi_address: 'h', ipmi_bridging: 'dual' }), /"dual" is not supported/);
    assert.match(
      refusal({ ipmi_address: 'h', ipmi_target_address: '0x82' }),
      /only used with ipmi_bridging/,
    );
    assert.match(
      refusal({ ipmi_address: 'h', ipmi_force_boot_device: 'maybe' }),
      /must be a boolean/,
    );
    const long = refusal({ ipmi_address: 'h', ipmi_password: 'p'.repeat(21) });
    assert.match(long, /ipmi_password is longer than the 20 bytes/);
    assert.doesNotMatch(long, /ppppp/);
    assert.equal(
      ipmiNodeInfo(taskWith({ ipmi_address: 'h', ipmi_password: 'p'.repeat(20) })).target.password,
      'p'.repeat(20),
    );
    const kg = refusal({ ipmi_address: 'h', ipmi_password: 'hunter2', ipmi_hex_kg_key: 'abcd' });
    assert.match(kg, /ipmi_hex_kg_key is not supported yet/);
    assert.doesNotMatch(kg, /hunter2|abcd/);
  });

  it('is what the ipmi interfaces describe and validate', async () => {
    const properties = driver.power.getProperties();
    assert.match(properties['ipmi_address'] ?? '', /Required\.$/);
    assert.match(properties['ipmi_password'] ?? '', /Optional\.$/);
    assert.deepEqual(
      Object.keys(driver.management?.getProperties() ?? {}),
      Object.keys(properties),
    );
    await assert.rejects(driver.power.validate(taskWith({})), /ipmi_address/);
    await driver.management?.validate(taskWith({ ipmi_address: '127.0.0.1' }));
  });
});

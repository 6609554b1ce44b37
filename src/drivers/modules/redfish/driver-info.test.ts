import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import { TestTask } from '../../../../test/support/task.ts';
import { createDriverFactory } from '../../builtin.ts';
import { redfishNodeInfo } from './driver-info.ts';

// No redfish hardware type yet: driver_info is read off any node.
const driver = createDriverFactory().compose({ driver: 'fake-hardware' });

function infoOf(driverInfo: JsonObject): ReturnType<typeof redfishNodeInfo> {
  return redfishNodeInfo(new TestTask(driver, { node: { driver: 'fake-hardware', driverInfo } }));
}

function refusal(driverInfo: JsonObject): string {
  try {
    infoOf(driverInfo);
  } catch (error) {
    assert.ok(isFerriteError(error), String(error));
    return `${error.code}: ${error.message}`;
  }
  assert.fail(`accepted ${JSON.stringify(driverInfo)}`);
}

describe('redfish driver_info', () => {
  it('reads the BMC with Ironic’s defaults: https, verified, session or basic', () => {
    assert.deepEqual(
      infoOf({
        redfish_address: 'bmc-7.example.net',
        redfish_username: 'root',
        redfish_password: 'pw',
      }),
      {
        target: {
          address: 'https://bmc-7.example.net',
          username: 'root',
          password: 'pw',
          verify: true,
          authType: 'auto',
        },
        systemId: undefined,
      },
    );
    const full = infoOf({
      redfish_address: 'http://127.0.0.1:8000/',
      redfish_system_id: '/redfish/v1/Systems/437XR1138R2',
      redfish_verify_ca: 'False',
      redfish_auth_type: 'basic',
      redfish_if_match: 'false',
    });
    assert.equal(full.target.noIfMatch, true);
    assert.equal(full.target.address, 'http://127.0.0.1:8000');
    assert.equal(full.target.verify, false);
    assert.equal(full.target.authType, 'basic');
    assert.equal(full.systemId, '/redfish/v1/Systems/437XR1138R2');
    assert.equal(
      infoOf({ redfish_address: 'h', redfish_verify_ca: '/etc/ssl/bmc-ca.pem' }).target.verify,
      '/etc/ssl/bmc-ca.pem',
    );
  });

  it('says what is wrong with each bad key, and never echoes the password', () => {
    assert.match(refusal({}), /MissingParameterValue.*redfish_address/);
    assert.match(refusal({ redfish_address: 'ftp://bmc' }), /https or http, not ftp/);
    assert.match(refusal({ redfish_address: 'https://bmc/redfish/v1' }), /without a path/);
    const creds = refusal({ redfish_address: 'https://root:hunter2@bmc' });
    assert.match(creds, /must not hold credentials/);
    assert.doesNotMatch(creds, /hunter2/);
    assert.match(
      refusal({ redfish_address: 'h', redfish_system_id: 'Systems/1' }),
      /under \/redfish\/v1\/Systems\//,
    );
    assert.match(
      refusal({ redfish_address: 'h', redfish_verify_ca: 'maybe' }),
      /true, false or the absolute path/,
    );
    assert.match(
      refusal({ redfish_address: 'h', redfish_auth_type: 'oauth' }),
      /redfish_auth_type must be one of/,
    );
  });
});

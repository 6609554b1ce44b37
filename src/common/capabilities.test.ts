import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFerriteError } from './errors.ts';
import { parseCapabilities, updateCapabilities } from './capabilities.ts';
import { camelCase, snakeCase } from './naming.ts';

describe('capabilities', () => {
  it('updates in place and appends new keys', () => {
    assert.equal(updateCapabilities('', { raid_level: '1' }), 'raid_level:1');
    assert.equal(
      updateCapabilities('boot_mode:uefi,raid_level:0', { raid_level: '1+0', secure_boot: 'true' }),
      'boot_mode:uefi,raid_level:1+0,secure_boot:true',
    );
    assert.equal(updateCapabilities(undefined, { a: 'b' }), 'a:b');
    assert.equal(updateCapabilities({ boot_mode: 'bios' }, { a: 'b' }), 'boot_mode:bios,a:b');
  });

  it('keeps colons inside values and refuses malformed strings', () => {
    assert.equal(parseCapabilities('url:http://x').get('url'), 'http://x');
    assert.throws(
      () => parseCapabilities('no-colon'),
      (e: unknown) => isFerriteError(e, 'InvalidParameterValue'),
    );
    assert.throws(
      () => parseCapabilities(42),
      (e: unknown) => isFerriteError(e, 'InvalidParameterValue'),
    );
  });
});

describe('naming', () => {
  it('converts between method and wire names', () => {
    assert.equal(snakeCase('createConfiguration'), 'create_configuration');
    assert.equal(snakeCase('eraseDevicesMetadata'), 'erase_devices_metadata');
    assert.equal(snakeCase('getHTTPStatus'), 'get_http_status');
    assert.equal(snakeCase('deploy'), 'deploy');
    assert.equal(camelCase('create_nonroot_volumes'), 'createNonrootVolumes');
    assert.equal(camelCase('deploy'), 'deploy');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../../../common/clock.ts';
import { isFerriteError } from '../../../common/errors.ts';
import { SharedResources } from '../../shared-resources.ts';
import { DEFAULT_IPMI_OPTIONS, ipmiOptions } from './options.ts';

function read(ipmi: unknown): ReturnType<typeof ipmiOptions> {
  return ipmiOptions({ clock: systemClock, options: { ipmi }, resources: new SharedResources() });
}

function refused(ipmi: unknown, message: RegExp): void {
  assert.throws(
    () => read(ipmi),
    (error) => isFerriteError(error, 'ConfigInvalid') && message.test(error.message),
  );
}

describe('options.ipmi', () => {
  it('takes the defaults, numbers, the console address and its port range', () => {
    assert.deepEqual(read(undefined), DEFAULT_IPMI_OPTIONS);
    const options = read({
      retries: 0,
      requestTimeoutMs: 250,
      consoleHost: '::1',
      consolePortRange: '10000-10100',
    });
    assert.equal(options.retries, 0);
    assert.equal(options.requestTimeoutMs, 250);
    assert.equal(options.consoleHost, '::1');
    assert.deepEqual(options.consolePortRange, { min: 10000, max: 10100 });
    assert.equal(options.powerStateChangeTimeout, DEFAULT_IPMI_OPTIONS.powerStateChangeTimeout);
  });

  it('refuses unknown settings and values of the wrong kind, naming the setting', () => {
    refused('fast', /ipmi: expected an object/);
    refused({ retry: 3 }, /ipmi\.retry: unknown setting; known: .*retries/);
    refused({ constructor: 1 }, /ipmi\.constructor: unknown setting/);
    refused({ retries: -1 }, /ipmi\.retries: expected an integer ≥ 0/);
    refused({ requestTimeoutMs: 0.5 }, /ipmi\.requestTimeoutMs/);
    refused({ consoleHost: '' }, /ipmi\.consoleHost: expected an address/);
    refused({ consolePortRange: '10100-10000' }, /ipmi\.consolePortRange: expected "MIN-MAX"/);
    refused({ consolePortRange: 10000 }, /ipmi\.consolePortRange/);
  });
});

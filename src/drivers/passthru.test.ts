import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulatedClock } from '../common/clock.ts';
import { isFerriteError } from '../common/errors.ts';
import type { JsonObject } from '../common/json.ts';
import { TestTask } from '../../test/support/task.ts';
import { createDriverFactory } from './builtin.ts';
import { VendorBase } from './interfaces/vendor.ts';
import { driverPassthru, findRoute, passthru, passthruMetadata } from './passthru.ts';
import type { PassthruContext } from './passthru.ts';
import type { Task } from './task.ts';

class Bmc extends VendorBase {
  readonly resets: string[] = [];

  @passthru(['POST'], { description: 'Reset the BMC', async: false })
  async resetBmc(task: Task, args: JsonObject): Promise<string> {
    this.resets.push(`${task.node.uuid}:${JSON.stringify(args['mode'])}`);
    return 'reset';
  }

  @passthru(['GET', 'POST'], { method: 'bmc_log', attach: true, requireExclusiveLock: false })
  async readLog(_task: Task, _args: JsonObject): Promise<Uint8Array> {
    return new TextEncoder().encode('log');
  }

  @driverPassthru(['GET'])
  async firmwareCatalogue(_context: PassthruContext, _args: JsonObject): Promise<string[]> {
    return ['1.0', '1.1'];
  }
}

describe('vendor passthru', () => {
  it('describes node and driver methods as the API lists them', () => {
    const bmc = new Bmc();
    assert.deepEqual(passthruMetadata(bmc, 'node'), {
      reset_bmc: {
        http_methods: ['POST'],
        async: false,
        description: 'Reset the BMC',
        attach: false,
        require_exclusive_lock: true,
      },
      bmc_log: {
        http_methods: ['GET', 'POST'],
        async: true,
        description: '',
        attach: true,
        require_exclusive_lock: false,
      },
    });
    assert.deepEqual(passthruMetadata(bmc, 'driver'), {
      firmware_catalogue: { http_methods: ['GET'], async: true, description: '', attach: false },
    });
  });

  it('routes a call to the method, bound to its interface', async () => {
    const bmc = new Bmc();
    const task = new TestTask(createDriverFactory().compose({ driver: 'fake-hardware' }));
    const route = findRoute(bmc, 'node', 'reset_bmc', 'post', 'fake-hardware');
    assert.equal(await route.call(task, { mode: 'cold' }), 'reset');
    assert.deepEqual(bmc.resets, [`${task.node.uuid}:"cold"`]);
    const driverRoute = findRoute(bmc, 'driver', 'firmware_catalogue', 'GET', 'fake-hardware');
    const context = { signal: new AbortController().signal, clock: new SimulatedClock() };
    assert.deepEqual(await driverRoute.call(context, {}), ['1.0', '1.1']);
  });

  it('refuses an unknown method with UnsupportedDriverExtension', () => {
    assert.throws(
      () => findRoute(new Bmc(), 'node', 'format_disks', 'POST', 'fake-hardware'),
      (error: unknown) =>
        isFerriteError(error, 'UnsupportedDriverExtension') &&
        error.status === 400 &&
        /fake-hardware does not support vendor passthru method "format_disks"/.test(error.message),
    );
    // A driver method is not callable as a node method, nor the reverse.
    assert.throws(
      () => findRoute(new Bmc(), 'node', 'firmware_catalogue', 'GET', 'x'),
      (error: unknown) => isFerriteError(error, 'UnsupportedDriverExtension'),
    );
    assert.throws(
      () => findRoute(new Bmc(), 'driver', 'reset_bmc', 'POST', 'x'),
      (error: unknown) => isFerriteError(error, 'UnsupportedDriverExtension'),
    );
  });

  it('refuses the wrong HTTP method with InvalidParameterValue', () => {
    assert.throws(
      () => findRoute(new Bmc(), 'node', 'reset_bmc', 'DELETE', 'fake-hardware'),
      (error: unknown) =>
        isFerriteError(error, 'InvalidParameterValue') &&
        error.message === 'The method reset_bmc does not support HTTP DELETE',
    );
  });

  it('refuses a declaration without HTTP methods or with an unknown one', () => {
    assert.throws(
      () => passthru([]),
      (e: unknown) => isFerriteError(e, 'InvalidParameterValue'),
    );
    assert.throws(
      () => passthru(['FETCH' as never]),
      (e: unknown) => isFerriteError(e, 'InvalidParameterValue') && /FETCH/.test(e.message),
    );
  });
});

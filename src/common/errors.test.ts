import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE } from './error-catalogue.ts';
import { errorCodes, errorSpec, FerriteError, isA, isFerriteError } from './errors.ts';
import type { ErrorCode } from './errors.ts';

describe('error catalogue', () => {
  it('formats the message from the template and keeps code, status, retryability', () => {
    const error = new FerriteError('NodeLocked', { node: 'n1', host: 'conductor-a' });
    assert.equal(
      error.message,
      'Node n1 is locked by host conductor-a, please retry after the current operation is completed.',
    );
    assert.equal(error.code, 'NodeLocked');
    assert.equal(error.name, 'NodeLocked');
    assert.equal(error.status, 409);
    assert.equal(error.retryable, true);
    assert.deepEqual(error.params, { node: 'n1', host: 'conductor-a' });
  });

  it('joins list parameters and keeps the cause', () => {
    const cause = new Error('socket closed');
    const error = new FerriteError(
      'DriverNotFound',
      { driver_name: ['ipmi', 'redfish'] },
      { cause },
    );
    assert.equal(
      error.message,
      'Could not find the following driver(s) or hardware type(s): ipmi, redfish.',
    );
    assert.equal(error.cause, cause);
    assert.equal(error.status, 404);
  });

  it('knows the families: MissingParameterValue is an InvalidParameterValue is an Invalid', () => {
    const error = new FerriteError('MissingParameterValue', { err: 'ipmi_address is missing' });
    assert.ok(error.is('InvalidParameterValue'));
    assert.ok(error.is('Invalid'));
    assert.ok(!error.is('Conflict'));
    assert.ok(isFerriteError(error, 'Invalid'));
    assert.ok(!isFerriteError(new Error('x')));
    assert.ok(isA('NodeLocked', 'Conflict'));
    assert.ok(isA('PowerStateFailure', 'Conflict'));
    assert.ok(isA('NoFreeConductorWorker', 'TemporaryFailure'));
  });

  it('has a coherent entry for every code', () => {
    const statuses = new Set([400, 401, 403, 404, 405, 406, 409, 413, 415, 500, 503]);
    for (const code of errorCodes()) {
      const spec = errorSpec(code);
      assert.ok(statuses.has(spec.status), `${code}: status ${spec.status}`);
      if (spec.parent !== undefined) {
        assert.ok(spec.parent in ERROR_CATALOGUE, `${code}: unknown parent ${spec.parent}`);
        const parent = errorSpec(spec.parent as ErrorCode);
        // A child keeps its family's class of status (4xx stays 4xx).
        assert.equal(Math.floor(spec.status / 100), Math.floor(parent.status / 100), code);
      }
      assert.ok(spec.message.length > 0, code);
    }
  });

  it('covers every error the driver framework and conductor rely on', () => {
    const needed: Record<string, number> = {
      InvalidParameterValue: 400,
      MissingParameterValue: 400,
      UnsupportedDriverExtension: 400,
      NodeCleaningFailure: 500,
      HardwareInspectionFailure: 500,
      FailedToGetSensorData: 500,
      FailedToParseSensorData: 500,
      NetworkError: 500,
      VifAlreadyAttached: 409,
      NoFreePhysicalPorts: 400,
      Conflict: 409,
      FailedToUpdateDHCPOptOnPort: 500,
      NodeLocked: 409,
      NodeNotFound: 404,
      InvalidStateRequested: 400,
      PowerStateFailure: 409,
      IPMIFailure: 500,
      RedfishError: 500,
      NoFreeConductorWorker: 503,
      NotAcceptable: 406,
    };
    for (const [code, status] of Object.entries(needed)) {
      assert.ok(code in ERROR_CATALOGUE, code);
      assert.equal(errorSpec(code as ErrorCode).status, status, code);
    }
  });
});

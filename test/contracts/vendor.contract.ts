import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VendorInterface } from '../../src/drivers/interfaces/vendor.ts';
import { findRoute, HTTP_METHODS, passthruMetadata } from '../../src/drivers/passthru.ts';
import type { PassthruMetadata, PassthruScope } from '../../src/drivers/passthru.ts';
import { assertSnakeCase, rejectsWith, withFixture } from './helpers.ts';
import { baseContract } from './base.contract.ts';
import type { ContractSubject } from './subject.ts';

const SCOPES: readonly PassthruScope[] = ['node', 'driver'];

function assertMetadata(name: string, metadata: PassthruMetadata, scope: PassthruScope): void {
  const what = `${scope} passthru ${name}`;
  assertSnakeCase(name, what);
  const expectedKeys = ['async', 'attach', 'description', 'http_methods'];
  if (scope === 'node') expectedKeys.push('require_exclusive_lock');
  assert.deepEqual(Object.keys(metadata).sort(), expectedKeys.sort(), `${what}: keys`);
  assert.ok(metadata.http_methods.length > 0, `${what}: no HTTP method`);
  for (const method of metadata.http_methods) {
    assert.ok(HTTP_METHODS.includes(method), `${what}: unknown HTTP method ${method}`);
  }
  assert.equal(
    new Set(metadata.http_methods).size,
    metadata.http_methods.length,
    `${what}: repeats`,
  );
  assert.equal(typeof metadata.async, 'boolean', `${what}: async`);
  assert.equal(typeof metadata.attach, 'boolean', `${what}: attach`);
  assert.equal(typeof metadata.description, 'string', `${what}: description`);
  if (scope === 'node') {
    assert.equal(typeof metadata.require_exclusive_lock, 'boolean', `${what}: lock`);
  }
}

/**
 * The vendor interface, whatever its methods: validates the node, declares
 * well-formed passthru routes, and the routes refuse unknown methods
 * (UnsupportedDriverExtension) and HTTP methods they do not take
 * (InvalidParameterValue).
 */
export function vendorContract(subject: ContractSubject<VendorInterface>): void {
  describe(`vendor contract: ${subject.name}`, () => {
    baseContract(subject, 'vendor');

    it(
      'validates the node it was set up with (no method named)',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'declares well-formed node and driver passthru methods',
      withFixture(subject, async ({ impl }) => {
        for (const scope of SCOPES) {
          for (const [name, metadata] of Object.entries(passthruMetadata(impl, scope))) {
            assertMetadata(name, metadata, scope);
          }
        }
      }),
    );

    it(
      'refuses an unknown passthru method with UnsupportedDriverExtension naming the driver',
      withFixture(subject, async ({ impl, task }) => {
        for (const scope of SCOPES) {
          const error = await rejectsWith(
            (async () => findRoute(impl, scope, 'no_such_method', 'POST', task.node.driver))(),
            'UnsupportedDriverExtension',
            { what: `${scope} scope` },
          );
          assert.equal(error.params['driver'], task.node.driver);
          assert.ok(error.message.includes(task.node.driver), error.message);
        }
      }),
    );

    it(
      'refuses an HTTP method a route does not take with InvalidParameterValue',
      withFixture(subject, async ({ impl, task }) => {
        for (const scope of SCOPES) {
          for (const [name, metadata] of Object.entries(passthruMetadata(impl, scope))) {
            for (const method of HTTP_METHODS.filter((m) => !metadata.http_methods.includes(m))) {
              await rejectsWith(
                (async () => findRoute(impl, scope, name, method, task.node.driver))(),
                'InvalidParameterValue',
                { what: `${scope} ${name} over ${method}` },
              );
            }
          }
        }
      }),
    );

    it(
      'routes every declared method for each HTTP method it takes, in any case',
      withFixture(subject, async ({ impl, task }) => {
        for (const scope of SCOPES) {
          for (const [name, metadata] of Object.entries(passthruMetadata(impl, scope))) {
            for (const method of metadata.http_methods) {
              for (const spelled of [method, method.toLowerCase()]) {
                const route = findRoute(impl, scope, name, spelled, task.node.driver);
                assert.equal(route.name, name);
                assert.deepEqual(route.metadata, metadata);
                assert.equal(typeof route.call, 'function');
              }
            }
          }
        }
      }),
    );
  });
}

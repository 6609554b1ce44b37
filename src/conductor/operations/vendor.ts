import type { JsonObject } from '../../common/json.ts';
import { requireInterface } from '../../drivers/driver.ts';
import { findRoute, passthruMetadata } from '../../drivers/passthru.ts';
import type { PassthruMetadata, PassthruResult } from '../../drivers/passthru.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';

export interface PassthruOutcome {
  /** The method's result (undefined for an asynchronous call, which answers 202). */
  readonly result: PassthruResult;
  readonly async: boolean;
  readonly attach: boolean;
}

/**
 * A node vendor passthru call: found by name and HTTP method, validated,
 * run under the lock the method declares, now or in the background.
 */
export function nodeVendorPassthru(
  ctx: ConductorContext,
  ident: string,
  method: string,
  httpMethod: string,
  args: JsonObject,
): Promise<PassthruOutcome> {
  return ctx.tasks.run(
    ident,
    { shared: true, purpose: `vendor passthru ${method}` },
    async (task) => {
      const vendor = requireInterface(task.driver, 'vendor');
      const route = findRoute(vendor, 'node', method, httpMethod, task.node.driver);
      if (route.metadata.require_exclusive_lock !== false) await task.upgradeLock();
      await vendor.validate(task, method, args);
      if (!route.metadata.async) {
        return {
          result: await route.call(task, args),
          async: false,
          attach: route.metadata.attach,
        };
      }
      task.spawn(
        async (t) => {
          await route.call(t, args);
        },
        (t, error) => {
          if (!t.shared)
            t.node.lastError = `Vendor passthru ${method} failed: ${describeError(error)}`;
        },
      );
      return { result: undefined, async: true, attach: route.metadata.attach };
    },
  );
}

/** A driver vendor passthru call, on the hardware type's default vendor interface. */
export async function driverVendorPassthru(
  ctx: ConductorContext,
  hardwareType: string,
  method: string,
  httpMethod: string,
  args: JsonObject,
  pool: { reserve(): (work: () => Promise<void>) => void },
): Promise<PassthruOutcome> {
  const vendor = ctx.factory.instance(
    'vendor',
    ctx.factory.defaultImplementation(hardwareType, 'vendor'),
  );
  const route = findRoute(vendor, 'driver', method, httpMethod, hardwareType);
  await vendor.driverValidate(method, args);
  const context = { signal: new AbortController().signal, clock: ctx.clock };
  if (!route.metadata.async) {
    return { result: await route.call(context, args), async: false, attach: route.metadata.attach };
  }
  pool.reserve()(async () => {
    try {
      await route.call(context, args);
    } catch (error) {
      ctx.logger.warn(
        { driver: hardwareType, method, error: describeError(error) },
        'driver vendor passthru failed',
      );
    }
  });
  return { result: undefined, async: true, attach: route.metadata.attach };
}

export function nodeVendorMethods(
  ctx: ConductorContext,
  ident: string,
): Promise<Record<string, PassthruMetadata>> {
  return ctx.tasks.run(ident, { shared: true, purpose: 'listing vendor methods' }, async (task) =>
    passthruMetadata(requireInterface(task.driver, 'vendor'), 'node'),
  );
}

export function driverVendorMethods(
  ctx: ConductorContext,
  hardwareType: string,
): Record<string, PassthruMetadata> {
  const vendor = ctx.factory.instance(
    'vendor',
    ctx.factory.defaultImplementation(hardwareType, 'vendor'),
  );
  return passthruMetadata(vendor, 'driver');
}

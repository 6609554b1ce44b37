import type { Clock } from '../common/clock.ts';
import { FerriteError } from '../common/errors.ts';
import type { JsonObject, JsonValue } from '../common/json.ts';
import { snakeCase } from '../common/naming.ts';
import { ownMethods } from './declared-methods.ts';
import type { Task } from './task.ts';

/**
 * Vendor passthru: extra methods a vendor interface exposes over the API,
 * either per node (`/v1/nodes/{id}/vendor_passthru?method=…`) or per driver
 * (`/v1/drivers/{name}/vendor_passthru?method=…`).
 */

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What a passthru method may return: JSON, raw bytes for `attach` methods, or nothing. */
export type PassthruResult = JsonValue | Uint8Array | undefined;

export interface PassthruContext {
  readonly signal: AbortSignal;
  readonly clock: Clock;
}

export type NodePassthruMethod = (task: Task, args: JsonObject) => Promise<PassthruResult>;
export type DriverPassthruMethod = (
  context: PassthruContext,
  args: JsonObject,
) => Promise<PassthruResult>;

export interface PassthruOptions {
  /** The name clients call; defaults to the method name in snake_case. */
  readonly method?: string;
  /** Run in the background and answer 202 (true, the default) or answer with the result (false). */
  readonly async?: boolean;
  readonly description?: string;
  /** Return the result as a raw attachment instead of JSON. */
  readonly attach?: boolean;
}

export interface NodePassthruOptions extends PassthruOptions {
  /** Whether the call takes the node's exclusive lock (default true). */
  readonly requireExclusiveLock?: boolean;
}

/** A route's metadata as `GET …/vendor_passthru/methods` shows it. */
export interface PassthruMetadata {
  readonly http_methods: readonly HttpMethod[];
  readonly async: boolean;
  readonly description: string;
  readonly attach: boolean;
  readonly require_exclusive_lock?: boolean;
}

export type PassthruScope = 'node' | 'driver';

interface RouteDeclaration {
  readonly scope: PassthruScope;
  readonly name: string;
  readonly method: string;
  readonly metadata: PassthruMetadata;
}

const declarations = new WeakMap<object, RouteDeclaration>();

function checkHttpMethods(httpMethods: readonly string[]): readonly HttpMethod[] {
  if (httpMethods.length === 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: 'A passthru method must accept at least one HTTP method',
    });
  }
  for (const m of httpMethods) {
    if (!(HTTP_METHODS as readonly string[]).includes(m)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `"${m}" is not an HTTP method a passthru method can accept`,
      });
    }
  }
  return [...new Set(httpMethods)] as HttpMethod[];
}

function declareRoute(scope: PassthruScope, metadata: PassthruMetadata, explicitName?: string) {
  return function (value: object, context: ClassMethodDecoratorContext): void {
    if (typeof context.name !== 'string' || context.private || context.static) {
      throw new TypeError('A passthru method must be a public instance method with a string name');
    }
    declarations.set(value, {
      scope,
      name: explicitName ?? snakeCase(context.name),
      method: context.name,
      metadata,
    });
  };
}

/** Declares a node vendor passthru method, called as `(task, args)`. */
export function passthru(httpMethods: readonly HttpMethod[], options: NodePassthruOptions = {}) {
  const metadata: PassthruMetadata = {
    http_methods: checkHttpMethods(httpMethods),
    async: options.async ?? true,
    description: options.description ?? '',
    attach: options.attach ?? false,
    require_exclusive_lock: options.requireExclusiveLock ?? true,
  };
  const decorate = declareRoute('node', metadata, options.method);
  return (value: NodePassthruMethod, context: ClassMethodDecoratorContext): void => {
    decorate(value, context);
  };
}

/** Declares a driver vendor passthru method, called as `(context, args)`; no node, no lock. */
export function driverPassthru(httpMethods: readonly HttpMethod[], options: PassthruOptions = {}) {
  const metadata: PassthruMetadata = {
    http_methods: checkHttpMethods(httpMethods),
    async: options.async ?? true,
    description: options.description ?? '',
    attach: options.attach ?? false,
  };
  const decorate = declareRoute('driver', metadata, options.method);
  return (value: DriverPassthruMethod, context: ClassMethodDecoratorContext): void => {
    decorate(value, context);
  };
}

export interface Route<M> {
  readonly name: string;
  readonly metadata: PassthruMetadata;
  /** The implementation, bound to its vendor interface. */
  readonly call: M;
}

interface Routes {
  readonly node: ReadonlyMap<string, Route<NodePassthruMethod>>;
  readonly driver: ReadonlyMap<string, Route<DriverPassthruMethod>>;
}

const routeCache = new WeakMap<object, Routes>();

/** The passthru routes an object declares, by wire name. */
export function passthruRoutes(vendor: object): Routes {
  const cached = routeCache.get(vendor);
  if (cached) return cached;
  const node = new Map<string, Route<NodePassthruMethod>>();
  const driver = new Map<string, Route<DriverPassthruMethod>>();
  for (const [, fn] of ownMethods(vendor)) {
    const declared = declarations.get(fn);
    if (!declared) continue;
    const bound = (fn as (...args: never[]) => Promise<PassthruResult>).bind(vendor);
    const { name, metadata } = declared;
    if (declared.scope === 'node') {
      node.set(name, { name, metadata, call: bound as NodePassthruMethod });
    } else {
      driver.set(name, { name, metadata, call: bound as DriverPassthruMethod });
    }
  }
  const routes = { node, driver };
  routeCache.set(vendor, routes);
  return routes;
}

/** `{method: metadata}` for the API's method listing. */
export function passthruMetadata(
  vendor: object,
  scope: PassthruScope,
): Record<string, PassthruMetadata> {
  const routes = passthruRoutes(vendor)[scope];
  const result: Record<string, PassthruMetadata> = {};
  for (const [name, route] of routes) result[name] = route.metadata;
  return result;
}

/**
 * Finds the route a passthru call names. An unknown method is
 * UnsupportedDriverExtension; a known one called with the wrong HTTP method
 * is InvalidParameterValue.
 */
export function findRoute<S extends PassthruScope>(
  vendor: object,
  scope: S,
  method: string,
  httpMethod: string,
  driverName: string,
): S extends 'node' ? Route<NodePassthruMethod> : Route<DriverPassthruMethod> {
  const route = passthruRoutes(vendor)[scope].get(method);
  if (!route) {
    throw new FerriteError('UnsupportedDriverExtension', {
      driver: driverName,
      extension: `vendor passthru method "${method}"`,
    });
  }
  if (!route.metadata.http_methods.includes(httpMethod.toUpperCase() as HttpMethod)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `The method ${method} does not support HTTP ${httpMethod.toUpperCase()}`,
    });
  }
  return route as S extends 'node' ? Route<NodePassthruMethod> : Route<DriverPassthruMethod>;
}

/**
 * Routing: a table of URI templates (`/redfish/v1/Systems/:system`) with a
 * handler per method. A path that matches no template is 404; a template
 * with no handler for the method is 405 with `Allow`, as Redfish asks.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { malformedJson, methodNotAllowed, resourceNotFound } from './errors.ts';
import type { EmulatedSystem } from './system.ts';

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestContext {
  readonly method: string;
  /** The path without query and trailing slash (except `/redfish/v1/` itself). */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The system the path names (through `:system`), or a 404 when it names none. */
  system(): EmulatedSystem;
  /** The body as JSON (400 MalformedJSON when it is not; `{}` when empty). */
  json(): unknown;
}

export type Handler = (context: RequestContext) => Reply;

export interface Route {
  readonly template: string;
  readonly methods: Readonly<Partial<Record<'GET' | 'POST' | 'PATCH' | 'DELETE', Handler>>>;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

/** Trailing slashes are not significant: sushy asks for `/redfish/v1/` and for `/redfish/v1`. */
export function normalizePath(path: string): string {
  const bare = path.split('?')[0] ?? '';
  const trimmed = bare.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** A URI segment decoded; left as it is when its escapes are malformed (it then names nothing). */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchRoute(routes: readonly Route[], path: string): RouteMatch | undefined {
  const segments = path.split('/');
  for (const route of routes) {
    const template = route.template.split('/');
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < template.length; i += 1) {
      const want = template[i] ?? '';
      const got = segments[i] ?? '';
      if (want.startsWith(':')) {
        if (got === '') {
          matched = false;
          break;
        }
        params[want.slice(1)] = safeDecode(got);
      } else if (want !== got) {
        matched = false;
        break;
      }
    }
    if (matched) return { route, params };
  }
  return undefined;
}

/** The handler for `method` on `path`, or the 404/405 RedfishError to throw. */
export function resolveHandler(
  routes: readonly Route[],
  method: string,
  path: string,
): RouteMatch & { handler: Handler } {
  const match = matchRoute(routes, path);
  if (match === undefined) throw resourceNotFound(path);
  const handler = match.route.methods[method as keyof Route['methods']];
  if (handler === undefined) throw methodNotAllowed(method, path, Object.keys(match.route.methods));
  return { ...match, handler };
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw malformedJson();
  }
}

/** `value` as a plain JSON object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `{ "@odata.id": path }`, the shape of every Redfish link. */
export function link(path: string): { '@odata.id': string } {
  return { '@odata.id': path };
}

export function collection(
  path: string,
  type: string,
  name: string,
  members: readonly string[],
): unknown {
  return {
    '@odata.id': path,
    '@odata.type': `#${type}.${type}`,
    Name: name,
    'Members@odata.count': members.length,
    Members: members.map(link),
  };
}

/**
 * The Redfish BMC emulator: one HTTP(S) server answering for many emulated
 * systems, as a rack's BMCs would if they shared an address. Each request
 * goes through the faults of the system it concerns, then authentication,
 * then the route table.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { internalError, noValidSession, RedfishError, resourceNotFound } from './errors.ts';
import { chassisRoutes } from './resources/chassis.ts';
import { managerRoutes } from './resources/managers.ts';
import { serviceRootRoutes } from './resources/service-root.ts';
import { storageRoutes } from './resources/storage.ts';
import { systemRoutes } from './resources/systems.ts';
import { normalizePath, parseJsonBody, resolveHandler, safeDecode } from './router.ts';
import type { Reply, RequestContext, Route } from './router.ts';
import { ROOT } from './service.ts';
import type { RedfishService } from './service.ts';
import { SESSIONS_PATH, SessionStore } from './sessions.ts';
import { EmulatedSystem } from './system.ts';
import type { SystemOptions } from './system.ts';
import { TaskRegistry } from './tasks.ts';

export interface RedfishEmulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** How many systems (with default options), or the options of each. */
  readonly systems: number | readonly SystemOptions[];
  /** The one account (default admin / password). */
  readonly username?: string;
  readonly password?: string;
  /** PEM key and certificate (chain): serve HTTPS. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
}

export interface RedfishEmulator {
  /** `http(s)://host:port`, without a trailing slash. */
  readonly url: string;
  readonly systems: readonly EmulatedSystem[];
  readonly username: string;
  readonly password: string;
  /** The sessions currently open, for tests of logging out. */
  readonly sessions: SessionStore;
  /** Stops the server, cutting hung and idle connections; idempotent. */
  close(): Promise<void>;
}

/** Requests answered without credentials: the service root and logging in. */
function isPublic(method: string, path: string): boolean {
  return (
    (method === 'GET' && (path === ROOT || path === '/redfish' || path === `${ROOT}/odata`)) ||
    (method === 'POST' && path === SESSIONS_PATH)
  );
}

/** The system whose faults apply to a path: by its id in the URI, or by the task it started. */
function systemOfPath(service: RedfishService, path: string): EmulatedSystem | undefined {
  const direct = /^\/redfish\/v1\/(?:Systems|Managers|Chassis)\/([^/]+)/.exec(path)?.[1];
  if (direct !== undefined) return service.systems.get(safeDecode(direct));
  const task = /^\/redfish\/v1\/TaskService\/Tasks\/([^/]+)/.exec(path)?.[1];
  if (task === undefined) return undefined;
  const owner = service.tasks.get(task)?.systemId;
  return owner === undefined ? undefined : service.systems.get(owner);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

function send(response: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'OData-Version': '4.0', ...reply.headers };
  if (reply.body === undefined) {
    response.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  response
    .writeHead(reply.status, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
    })
    .end(text);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startRedfishEmulator(
  options: RedfishEmulatorOptions,
): Promise<RedfishEmulator> {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'password';
  const specs =
    typeof options.systems === 'number'
      ? Array.from({ length: options.systems }, () => ({}))
      : options.systems;
  const systems = specs.map((spec, index) => new EmulatedSystem(index, spec));
  const byId = new Map<string, EmulatedSystem>();
  for (const system of systems) {
    if (byId.has(system.id)) throw new Error(`two emulated systems have the id ${system.id}`);
    byId.set(system.id, system);
  }
  const service: RedfishService = {
    systems: byId,
    sessions: new SessionStore(username, password),
    tasks: new TaskRegistry(),
  };
  const routes: Route[] = [
    ...serviceRootRoutes(service),
    ...systemRoutes(service),
    ...storageRoutes(service),
    ...managerRoutes(service),
    ...chassisRoutes(service),
  ];

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = normalizePath(request.url ?? '/');
    const rawBody = await readBody(request);
    const owner = systemOfPath(service, path);
    if (owner !== undefined) {
      if (owner.faults.latencyMs > 0) await delay(owner.faults.latencyMs);
      const fault = owner.faults.take();
      switch (fault?.kind) {
        case 'hang':
          return; // the connection stays open; close() destroys it
        case 'drop':
          request.socket.destroy();
          return;
        case 'malformed-json':
          response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"@odata.id": "');
          return;
        case 'status':
          send(response, { status: fault.status, body: internalError(fault.status).body() });
          return;
        case undefined:
          break;
      }
    }
    try {
      if (!isPublic(method, path) && !service.sessions.authenticates(request.headers))
        throw noValidSession();
      const { handler, params } = resolveHandler(routes, method, path);
      const context: RequestContext = {
        method,
        path,
        params,
        headers: request.headers,
        rawBody,
        system: () => {
          const system = byId.get(params['system'] ?? '');
          if (system === undefined) throw resourceNotFound(path);
          return system;
        },
        json: () => parseJsonBody(rawBody),
      };
      send(response, handler(context));
    } catch (error) {
      if (error instanceof RedfishError) {
        send(response, { status: error.status, body: error.body(), headers: error.headers });
      } else {
        send(response, { status: 500, body: internalError(500).body() });
      }
    }
  }

  const listener = (request: IncomingMessage, response: ServerResponse): void => {
    handle(request, response).catch(() => request.socket.destroy());
  };
  const server: Server =
    options.tls === undefined
      ? createHttpServer(listener)
      : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://${host}:${address.port}`,
    systems,
    username,
    password,
    sessions: service.sessions,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung requests (fault injection) and keep-alive connections would hold close() forever.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { FerriteError } from '../common/errors.ts';
import { requireAuth } from './auth/require-auth.ts';
import type { ApiContext, ApiOptions } from './context.ts';
import { errorResponse, toErrorResponse } from './error-body.ts';
import {
  formatVersion,
  MAX_HEADER,
  MAX_VERSION,
  MIN_HEADER,
  MIN_VERSION,
  negotiate,
  VERSION_HEADER,
  VERSION_RESPONSE_HEADER,
} from './microversions.ts';
import type { Microversion } from './microversions.ts';
import { registerOpenApi } from './openapi.ts';
import { validateStrictly } from './validation.ts';
import { NodeJsonCache } from './views/node-json-cache.ts';
import { allocationRoutes } from './routes/allocations.ts';
import { bootFileRoutes } from './routes/boot-files.ts';
import { chassisRoutes } from './routes/chassis.ts';
import { conductorRoutes } from './routes/conductors.ts';
import { deployTemplateRoutes } from './routes/deploy-templates.ts';
import { driverRoutes } from './routes/drivers.ts';
import { eventRoutes } from './routes/events.ts';
import { nodeActionRoutes } from './routes/node-actions.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { nodeUpdateRoutes } from './routes/node-update.ts';
import { nodeStateRoutes } from './routes/node-states.ts';
import { nodeTraitRoutes } from './routes/node-traits.ts';
import { nodeVifRoutes } from './routes/node-vifs.ts';
import { ramdiskRoutes } from './routes/ramdisk.ts';
import { nodeBiosRoutes } from './routes/node-bios.ts';
import { nodeHistoryRoutes } from './routes/node-history.ts';
import { nodeInventoryRoutes } from './routes/node-inventory.ts';
import { shardRoutes } from './routes/shards.ts';
import { vendorPassthruRoutes } from './routes/vendor-passthru.ts';
import { portgroupRoutes } from './routes/portgroups.ts';
import { portgroupPortRoutes, portRoutes } from './routes/ports.ts';
import { rootRoutes } from './routes/root.ts';
import { volumeRoutes } from './routes/volume.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The microversion this request speaks. */
    apiVersion: Microversion;
  }
}

/** One schema failure, as Fastify's validator reports it. */
interface SchemaFailure {
  readonly keyword: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The validator's message, naming the offending field where the validator leaves it out. */
function describeFailure(error: unknown, failures: readonly SchemaFailure[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const extra = failures.find((f) => f.keyword === 'additionalProperties')?.params?.[
    'additionalProperty'
  ];
  return typeof extra === 'string' ? `${message}: "${extra}"` : message;
}

/**
 * Builds the /v1 API (without listening): version negotiation on every
 * request, the version headers on every answer, Ironic's error body for
 * every failure, and the routes.
 */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Ironic's URLs work with and without a trailing slash.
    routerOptions: { ignoreTrailingSlash: true },
    // Unknown fields and arguments are refused, never silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: false, allowUnionTypes: true } },
    ...(options.https ? { https: options.https } : {}),
  });
  const ctx: ApiContext = {
    conductor: options.conductor,
    store: options.store,
    nodeJson: new NodeJsonCache(),
  };

  // Bodies are taken as sent (no "5" for 5); query strings are coerced to their types.
  validateStrictly(app);
  app.decorateRequest('apiVersion', { getter: () => MIN_VERSION });

  app.addHook('onRequest', async (request, reply) => {
    // Headers first: even a refused version is answered with the supported range.
    reply.header(MIN_HEADER, formatVersion(MIN_VERSION));
    reply.header(MAX_HEADER, formatVersion(MAX_VERSION));
    const ironic = request.headers[VERSION_HEADER];
    const generic = request.headers['openstack-api-version'];
    const version = negotiate(
      Array.isArray(ironic) ? ironic[0] : ironic,
      Array.isArray(generic) ? generic[0] : generic,
    );
    Object.defineProperty(request, 'apiVersion', { value: version, enumerable: true });
    reply.header(VERSION_RESPONSE_HEADER, formatVersion(version));
  });
  // After the version headers, so that a refusal carries them too.
  if (options.auth) app.addHook('onRequest', requireAuth(options.auth));

  // Clients send a Content-Type on requests without a body (the baremetal CLI
  // sends application/octet-stream with its DELETEs): an empty body of any type
  // is no body; a non-empty one that is not JSON is refused.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    done(new FerriteError('UnsupportedMediaType'), undefined);
  });

  app.setErrorHandler(async (error, _request, reply) => {
    const validation = (error as { validation?: readonly SchemaFailure[] }).validation;
    const response = validation
      ? errorResponse(400, `Invalid input: ${describeFailure(error, validation)}`)
      : toErrorResponse(error);
    return reply.status(response.status).type('application/json').send(response.body);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const response = errorResponse(
      404,
      `The resource could not be found: ${request.method} ${request.url}`,
    );
    return reply.status(404).type('application/json').send(response.body);
  });

  // Before the routes, so that the document describes every one of them.
  await registerOpenApi(app);
  await app.register(async (scope) => rootRoutes(scope, ctx));
  await app.register(async (scope) => driverRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeActionRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeUpdateRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeStateRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeTraitRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeVifRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => vendorPassthruRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => ramdiskRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeHistoryRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeBiosRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => nodeInventoryRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => shardRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => portRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => portgroupRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => portgroupPortRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => chassisRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => volumeRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => conductorRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => eventRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => allocationRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => deployTemplateRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => bootFileRoutes(scope, options.httpRoot));
  return app;
}

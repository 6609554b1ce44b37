import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { PassthruOutcome } from '../../conductor/operations/vendor.ts';
import type { ApiContext } from '../context.ts';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type PassthruRequest = FastifyRequest<{
  Params: { ident?: string; name?: string; method?: string };
  Querystring: { method?: string };
  Body: JsonObject | undefined;
}>;

/** The method named in the path (`…/vendor_passthru/{method}`, as the clients send it) or the query. */
function methodOf(request: PassthruRequest): string {
  const method = request.params.method ?? request.query.method;
  if (method === undefined || method === '') {
    throw new FerriteError('InvalidParameterValue', { err: 'Method not specified' });
  }
  return method;
}

function argsOf(request: PassthruRequest): JsonObject {
  // Any JSON may arrive, whatever the declared type says.
  const body: unknown = request.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new FerriteError('InvalidParameterValue', {
      err: 'Vendor passthru arguments must be a JSON object',
    });
  }
  return body as JsonObject;
}

/**
 * Ironic's answer: 202 for a call that runs in the background, 200 with the
 * method's return value otherwise; a method that `attach`es answers with the
 * raw bytes.
 */
function answer(reply: FastifyReply, outcome: PassthruOutcome): FastifyReply {
  if (outcome.async) return reply.status(202).send();
  const result = outcome.result;
  if (result === undefined || result === null) return reply.status(200).send();
  if (outcome.attach) {
    const bytes = typeof result === 'string' ? Buffer.from(result) : result;
    if (bytes instanceof Uint8Array) {
      return reply.status(200).type('application/octet-stream').send(Buffer.from(bytes));
    }
  }
  if (result instanceof Uint8Array) {
    return reply.status(200).type('application/octet-stream').send(Buffer.from(result));
  }
  return reply.status(200).type('application/json').send(JSON.stringify(result));
}

const QUERY = {
  type: 'object',
  properties: { method: { type: 'string' } },
  // Some clients add their own query arguments to GET calls; the method decides.
  additionalProperties: true,
} as const;

/** Node and driver vendor passthru: the method list, and calls by any HTTP method. */
export async function vendorPassthruRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  app.get<{ Params: { ident: string } }>('/nodes/:ident/vendor_passthru/methods', async (request) =>
    ctx.conductor.nodeVendorMethods(request.params.ident),
  );
  app.get<{ Params: { name: string } }>('/drivers/:name/vendor_passthru/methods', (request) =>
    Promise.resolve(ctx.conductor.driverVendorMethods(request.params.name)),
  );

  const node = async (request: PassthruRequest, reply: FastifyReply) =>
    answer(
      reply,
      await ctx.conductor.nodeVendorPassthru(
        request.params.ident ?? '',
        methodOf(request),
        request.method,
        argsOf(request),
      ),
    );
  const driver = async (request: PassthruRequest, reply: FastifyReply) =>
    answer(
      reply,
      await ctx.conductor.driverVendorPassthru(
        request.params.name ?? '',
        methodOf(request),
        request.method,
        argsOf(request),
      ),
    );

  for (const url of ['/nodes/:ident/vendor_passthru', '/nodes/:ident/vendor_passthru/:method']) {
    app.route({ method: [...HTTP_METHODS], url, schema: { querystring: QUERY }, handler: node });
  }
  for (const url of ['/drivers/:name/vendor_passthru', '/drivers/:name/vendor_passthru/:method']) {
    app.route({ method: [...HTTP_METHODS], url, schema: { querystring: QUERY }, handler: driver });
  }
}

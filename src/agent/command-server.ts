/**
 * The agent's HTTP API, as ironic-python-agent serves it: status, the list
 * of command results, one result (optionally waited for), and running a
 * command. Running one needs the agent token; reading results needs it only
 * when one is given (Ironic's conductor reads them without).
 */
import fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameSecret } from '../common/constant-time.ts';
import { isJsonObject } from '../common/json.ts';
import { AgentCommandError } from './command-runner.ts';
import type { CommandRunner } from './command-runner.ts';

export interface CommandServerOptions {
  readonly runner: CommandRunner;
  /** The token commands must carry; undefined while none is known (standalone agents). */
  readonly token: () => string | undefined;
  readonly version: string;
  readonly startedAt: Date;
}

interface CommandQuery {
  agent_token?: string;
  wait?: string;
}

function checkToken(
  request: FastifyRequest<{ Querystring: CommandQuery }>,
  options: CommandServerOptions,
  required: boolean,
): void {
  const expected = options.token();
  if (expected === undefined) return;
  const given = request.query.agent_token;
  if (given === undefined && !required) return;
  if (given === undefined || !sameSecret(given, expected)) {
    throw new AgentCommandError('Token invalid.', 'Unauthorized', 401);
  }
}

function links(base: string, resource: string) {
  return [
    { href: `${base}/v1/${resource}`, rel: 'self' },
    { href: `${base}/${resource}`, rel: 'bookmark' },
  ];
}

/** Builds the agent API (not listening). */
export function buildCommandServer(options: CommandServerOptions): FastifyInstance {
  const app = fastify({
    routerOptions: { ignoreTrailingSlash: true },
    logger: false,
    bodyLimit: 16 * 1024 * 1024,
  });
  const { runner } = options;

  // IPA reads the body as JSON whatever the Content-Type says.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body === '' ? undefined : (JSON.parse(body as string) as unknown));
    } catch {
      done(new AgentCommandError('The request body is not JSON', 'BadRequest', 400), undefined);
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error instanceof AgentCommandError ? error.code : (error.statusCode ?? 500);
    void reply.status(status).send({
      faultcode: status >= 500 ? 'Server' : 'Client',
      faultstring: error.message,
    });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ faultcode: 'Client', faultstring: `No resource ${request.url}` });
  });

  const base = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
  const version = (request: FastifyRequest) => ({
    id: 'v1',
    links: [{ href: `${base(request)}/v1/`, rel: 'self' }],
  });

  app.get('/', async (request) => ({
    name: 'Ferrite agent API (ironic-python-agent compatible)',
    description: 'The ramdisk agent of Ferrite',
    versions: [version(request)],
    default_version: version(request),
  }));
  app.get('/v1', async (request) => ({
    ...version(request),
    commands: links(base(request), 'commands'),
    status: links(base(request), 'status'),
    media_types: [
      { base: 'application/json', type: 'application/vnd.openstack.ironic-python-agent.v1+json' },
    ],
  }));
  for (const prefix of ['/v1', '']) {
    app.get(`${prefix}/status`, async () => ({
      started_at: options.startedAt.getTime() / 1000,
      version: options.version,
    }));
    app.get<{ Querystring: CommandQuery }>(`${prefix}/commands`, async (request) => {
      checkToken(request, options, false);
      return { commands: runner.list() };
    });
    app.get<{ Querystring: CommandQuery; Params: { id: string } }>(
      `${prefix}/commands/:id`,
      async (request) => {
        checkToken(request, options, false);
        const result = runner.get(request.params.id);
        if (!result) {
          throw new AgentCommandError(
            `No command with id ${request.params.id}`,
            'RequestedObjectNotFoundError',
            404,
          );
        }
        if (request.query.wait?.toLowerCase() === 'true') await runner.join(result.id);
        return result;
      },
    );
    app.post<{ Querystring: CommandQuery; Body: unknown }>(
      `${prefix}/commands`,
      async (request) => {
        const body = request.body;
        if (
          !isJsonObject(body) ||
          typeof body['name'] !== 'string' ||
          !isJsonObject(body['params'])
        ) {
          throw new AgentCommandError('Missing or invalid name or params', 'BadRequest', 400);
        }
        checkToken(request, options, true);
        const result = await runner.execute(body['name'], body['params']);
        if (request.query.wait?.toLowerCase() === 'true') await runner.join(result.id);
        return result;
      },
    );
  }
  return app;
}

import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { formatVersion, MAX_VERSION } from './microversions.ts';

/** Where the API describes itself. */
export const OPENAPI_PATH = '/v1/openapi.json';

/**
 * Describes the API as an OpenAPI 3.1 document (3.1 because route schemas
 * are JSON Schema, with `type: [..., 'null']`). Registered before the
 * routes: the document is built from every route added afterwards, with
 * its request schemas, so new routes appear without anyone listing them.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ferrite',
        description:
          'Bare-metal provisioning: the OpenStack Bare Metal (Ironic) compatible /v1 API.',
        // The newest microversion this document's routes speak.
        version: formatVersion(MAX_VERSION),
      },
    },
  });
  app.get(OPENAPI_PATH, async () => app.swagger());
}

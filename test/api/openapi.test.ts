import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { startApi } from '../support/api.ts';
import type { ApiHarness } from '../support/api.ts';

interface Operation {
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
}

/**
 * Every route Fastify registered, as `METHOD /path` in OpenAPI's path
 * syntax, read from its route tree. HEAD routes are Fastify's automatic
 * twins of GET routes and are left out of the document.
 */
function registeredRoutes(api: FastifyInstance): string[] {
  const routes: string[] = [];
  const segments: string[] = [];
  for (const line of api.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    segments.length = depth;
    segments.push(match[2] ?? '');
    const path = segments.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== '' && method !== 'HEAD') routes.push(`${method} ${path}`);
    }
  }
  return routes.sort();
}

describe('OpenAPI document', () => {
  let t: ApiHarness;
  let doc: OpenApiDocument;

  before(async () => {
    t = await startApi();
    const res = await t.api.inject({ method: 'GET', url: '/v1/openapi.json' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    doc = res.json<OpenApiDocument>();
  });
  after(() => t.close());

  it('is an OpenAPI 3.x document describing Ferrite', () => {
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(doc.info.title, 'Ferrite');
    assert.match(doc.info.version, /^1\.\d+$/);
  });

  it('lists every registered route with its method, and nothing else', () => {
    const routes = registeredRoutes(t.api);
    assert.ok(routes.includes('GET /v1/nodes'), routes.join('\n'));
    assert.ok(routes.includes('PUT /v1/nodes/{ident}/states/provision'), routes.join('\n'));
    const documented = Object.entries(doc.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    assert.deepEqual(documented, routes);
  });

  it('describes request bodies with the route schemas', () => {
    const bodies = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => op.requestBody !== undefined)
        .map(([method, op]) => ({ route: `${method} ${path}`, body: op.requestBody })),
    );
    assert.ok(bodies.length >= 3, JSON.stringify(bodies.map((b) => b.route)));
    for (const { route, body } of bodies) {
      assert.equal(typeof body?.content['application/json']?.schema, 'object', route);
    }
    const create =
      doc.paths['/v1/nodes']?.['post']?.requestBody?.content['application/json']?.schema;
    assert.ok(create);
    assert.deepEqual(create['required'], ['driver']);
    assert.equal(create['additionalProperties'], false);
    const power =
      doc.paths['/v1/nodes/{ident}/states/power']?.['put']?.requestBody?.content['application/json']
        ?.schema;
    assert.ok(power);
    assert.ok(Object.hasOwn(power['properties'] ?? {}, 'target'), JSON.stringify(power));
  });
});

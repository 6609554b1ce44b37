import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiContext } from '../context.ts';
import { baseUrl } from '../context.ts';
import { atLeast, formatVersion, MAX_VERSION, MIN_VERSION } from '../microversions.ts';

/** Ironic's link pair for a resource: the versioned `self` and the unversioned `bookmark`. */
export function resourceLinks(
  request: FastifyRequest,
  path: string,
): { href: string; rel: string }[] {
  const base = baseUrl(request);
  return [
    { href: `${base}/v1/${path}`, rel: 'self' },
    { href: `${base}/${path}`, rel: 'bookmark' },
  ];
}

function versionDocument(request: FastifyRequest): Record<string, unknown> {
  return {
    id: 'v1',
    links: [{ href: `${baseUrl(request)}/v1/`, rel: 'self' }],
    status: 'CURRENT',
    min_version: formatVersion(MIN_VERSION),
    version: formatVersion(MAX_VERSION),
  };
}

/** The resources /v1 lists, with the microversion each appeared at. */
const RESOURCES: readonly (readonly [name: string, minor: number])[] = [
  ['chassis', 1],
  ['nodes', 1],
  ['ports', 1],
  ['drivers', 1],
  ['lookup', 22],
  ['heartbeat', 22],
  ['portgroups', 24],
  ['volume', 32],
  ['conductors', 49],
  ['allocations', 52],
  ['events', 54],
  ['deploy_templates', 55],
  ['shards', 82],
];

/** `GET /` and `GET /v1`: what this service is and which versions and resources it offers. */
export async function rootRoutes(app: FastifyInstance, _ctx: ApiContext): Promise<void> {
  app.get('/', async (request) => {
    const version = versionDocument(request);
    return {
      name: 'Ferrite',
      description:
        'Ferrite provisions bare-metal servers. This is its OpenStack Bare Metal (Ironic) compatible API.',
      default_version: version,
      versions: [version],
    };
  });

  app.get('/v1', async (request) => {
    const document: Record<string, unknown> = {
      id: 'v1',
      links: [{ href: `${baseUrl(request)}/v1/`, rel: 'self' }],
      media_types: [{ base: 'application/json', type: 'application/vnd.openstack.ironic.v1+json' }],
    };
    for (const [name, minor] of RESOURCES) {
      if (atLeast(request.apiVersion, minor)) document[name] = resourceLinks(request, name);
    }
    document['version'] = versionDocument(request);
    return document;
  });
}

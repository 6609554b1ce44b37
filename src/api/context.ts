import type { FastifyRequest } from 'fastify';
import type { ServerOptions as HttpsOptions } from 'node:https';
import type { Authenticator } from './auth/authenticator.ts';
import type { Conductor } from '../conductor/conductor.ts';
import type { Store } from '../db/store.ts';
import type { NodeJsonCache } from './views/node-json-cache.ts';

export interface ApiOptions {
  readonly conductor: Conductor;
  readonly store: Store;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Serve HTTPS with this certificate and key (and links then say https). */
  readonly https?: HttpsOptions;
  /** Who may call non-public endpoints; without it anyone may (Ironic's `noauth`). */
  readonly auth?: Authenticator;
  /** The conductor's HTTP boot root, served read-only and without auth at /boot/…; not served when absent. */
  readonly httpRoot?: string;
}

/** What every route module receives. */
export interface ApiContext {
  readonly conductor: Conductor;
  readonly store: Store;
  /** Node views already serialised, by node revision: what makes large listings cheap. */
  readonly nodeJson: NodeJsonCache;
}

/** The base URL the client used, for the links in answers. */
export function baseUrl(request: FastifyRequest): string {
  // Listings ask once per item; Fastify works the host and protocol out anew on each read.
  let url = baseUrls.get(request);
  if (url === undefined) {
    url = `${request.protocol}://${request.host}`;
    baseUrls.set(request, url);
  }
  return url;
}

const baseUrls = new WeakMap<FastifyRequest, string>();

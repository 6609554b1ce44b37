import type { FastifyRequest } from 'fastify';
import { FerriteError } from '../common/errors.ts';
import { atLeast, formatVersion } from './microversions.ts';

/**
 * An onRequest hook for resources that appeared at API 1.`minor`: older
 * clients get 404, as from Ironic, before anything else about the request
 * (its body, its arguments) is looked at.
 */
export function since(minor: number): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (!atLeast(request.apiVersion, minor)) {
      throw new FerriteError('NotFoundAtVersion', {
        err: `${request.url.split('?')[0] ?? request.url} needs API version 1.${minor} or later; the request speaks ${formatVersion(request.apiVersion)}.`,
      });
    }
  };
}

/** The methods of a refused nested path (Ironic answers 403 to any of them). */
export const NESTED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * An onRequest hook for the resources Ironic gates by method (allocations,
 * deploy templates): before 1.`minor` a read is 404, as for a resource that
 * does not exist, while a write is 405, the method not being allowed yet.
 * Either way nothing else about the request is looked at.
 */
export function sinceByMethod(
  minor: number,
  what: string,
): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if (atLeast(request.apiVersion, minor)) return;
    const err = `The API version does not allow ${what}`;
    if (request.method === 'GET' || request.method === 'HEAD') {
      throw new FerriteError('NotFoundAtVersion', { err });
    }
    throw new FerriteError('MethodNotAllowedAtVersion', { err });
  };
}

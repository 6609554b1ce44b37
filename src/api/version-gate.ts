import type { FastifyRequest } from 'fastify';
import { FerriteError } from '../common/errors.ts';
import { atLeast } from './microversions.ts';

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

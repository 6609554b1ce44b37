import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorResponse } from '../error-body.ts';
import type { Authenticator } from './authenticator.ts';
import { isPublicPath } from './public-paths.ts';

/**
 * An onRequest hook that lets public endpoints through and answers every
 * other request without valid credentials with Ironic's error body: 401
 * with the challenge, or 400 for a header that cannot be read. Unknown
 * paths are refused too, so that probing reveals nothing.
 */
export function requireAuth(
  authenticator: Authenticator,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  return async (request, reply) => {
    if (isPublicPath(request.url)) return undefined;
    const outcome = await authenticator.authenticate(request.headers.authorization);
    if (outcome.ok) return undefined;
    const response = errorResponse(outcome.status, outcome.message);
    if (outcome.status === 401) reply.header('WWW-Authenticate', authenticator.challenge);
    // Returning the reply tells Fastify the request is answered: no route runs.
    return reply.status(response.status).type('application/json').send(response.body);
  };
}

import { FerriteError, isFerriteError } from '../common/errors.ts';

/** A failure as the API answers it: status and Ironic's error body. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: { readonly error_message: string };
}

/**
 * Ironic's error body: the fault serialised as a JSON string inside
 * `error_message` (clients parse it twice). 4xx faults are the client's,
 * 5xx the server's; no debug information leaves the service.
 */
export function errorResponse(status: number, faultstring: string): ErrorResponse {
  return {
    status,
    body: {
      error_message: JSON.stringify({
        faultstring,
        faultcode: status < 500 ? 'Client' : 'Server',
        debuginfo: null,
      }),
    },
  };
}

/** The response for anything thrown by a route: catalogue errors keep their status and message. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (isFerriteError(error)) return errorResponse(error.status, error.message);
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return errorResponse(status, (error as Error).message);
  }
  return errorResponse(500, new FerriteError('InternalError').message);
}

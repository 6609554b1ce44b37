/** The API refused a request: its faultstring and HTTP status. */
export class ApiError extends Error {
  readonly status: number;

  constructor(message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** The API could not be reached at all (refused, unresolvable, TLS failure, …). */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** The command line itself is wrong: exit code 2, with a hint to `--help`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A `--wait` that ended badly: a failure state or the timeout. */
export class WaitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitError';
  }
}

function faultOfObject(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const fault = (value as Record<string, unknown>)['faultstring'];
  return typeof fault === 'string' ? fault : undefined;
}

/**
 * The message of an error answer. Ironic nests its fault as a JSON string
 * inside `error_message` (`{"error_message": "{\"faultstring\": …}"}`);
 * some proxies and older services send the object itself or plain text.
 */
export function faultOfBody(body: string, status: number): string {
  let outer: unknown;
  try {
    outer = JSON.parse(body);
  } catch {
    const text = body.trim();
    return text === '' ? `the API answered HTTP ${status} with no message` : text;
  }
  if (typeof outer === 'object' && outer !== null) {
    const message = (outer as Record<string, unknown>)['error_message'];
    if (typeof message === 'string') {
      try {
        return faultOfObject(JSON.parse(message)) ?? message;
      } catch {
        return message;
      }
    }
    const direct = faultOfObject(message) ?? faultOfObject(outer);
    if (direct !== undefined) return direct;
  }
  return body.trim();
}

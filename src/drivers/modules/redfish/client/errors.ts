/**
 * Redfish failures: one error class with a kind, for the node's last_error
 * and for retry decisions. Messages name the BMC origin and the resource
 * path, never the password or the session token.
 */

export const RedfishErrorKind = {
  /** No (complete) answer within the per-call timeout. */
  TIMEOUT: 'timeout',
  /** The connection failed: refused, reset, DNS, TLS (certificate) errors. */
  CONNECTION: 'connection',
  /** The BMC answered with an HTTP error status (4xx other than 401/403, 5xx). */
  HTTP: 'http',
  /** 401/403, or the session could not be created. */
  AUTHENTICATION: 'authentication',
  /** An answer that is not what Redfish promises: bad JSON, content type, missing or mistyped property. */
  PROTOCOL: 'protocol',
  /** The caller's AbortSignal fired. */
  ABORTED: 'aborted',
  /** An asynchronous operation's task ended in Exception, Killed or Cancelled. */
  TASK: 'task',
} as const;
export type RedfishErrorKind = (typeof RedfishErrorKind)[keyof typeof RedfishErrorKind];

export interface RedfishErrorDetails {
  /** The HTTP status, when the BMC answered. */
  readonly status?: number;
  /** The BMC's origin (scheme://host:port). */
  readonly origin?: string;
  /** The resource path. */
  readonly path?: string;
  /** The Redfish messages of the error body or the task. */
  readonly messages?: readonly string[];
}

export class RedfishError extends Error {
  readonly kind: RedfishErrorKind;
  readonly status?: number;
  readonly origin?: string;
  readonly path?: string;
  readonly messages: readonly string[];

  constructor(kind: RedfishErrorKind, message: string, details: RedfishErrorDetails = {}) {
    super(message);
    this.name = 'RedfishError';
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.origin !== undefined) this.origin = details.origin;
    if (details.path !== undefined) this.path = details.path;
    this.messages = details.messages ?? [];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The readable messages of a Redfish Message array (ExtendedInfo or a Task's Messages). */
export function messagesOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const text = entry.Message;
    const id = entry.MessageId;
    if (typeof text === 'string' && text !== '') out.push(text);
    else if (typeof id === 'string' && id !== '') out.push(id);
  }
  return out;
}

/**
 * The messages of a Redfish error body:
 * `{"error": {"code", "message", "@Message.ExtendedInfo": [{"Message"}]}}`.
 * The extended messages come first (they are the specific ones), then
 * `error.message` when it says something they do not.
 */
export function errorBodyMessages(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const error = body.error;
  if (!isRecord(error)) return messagesOf(body['@Message.ExtendedInfo']);
  const out = messagesOf(error['@Message.ExtendedInfo']);
  const message = error.message;
  if (typeof message === 'string' && message !== '' && !out.includes(message)) {
    out.push(message);
  } else if (out.length === 0 && typeof error.code === 'string' && error.code !== '') {
    out.push(error.code);
  }
  return out;
}

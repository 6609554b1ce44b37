/**
 * The seams of Ferrite's IPMI stack, shared by the client (protocol/,
 * client/), the commands (commands/), the driver interfaces and the BMC
 * emulator (src/lab/ipmi/):
 *
 *   driver interfaces → commands → IpmiChannel → session → UDP
 *   UDP → session server → IpmiCommandHandler (the emulated BMC)
 *
 * A command knows bytes, not sessions; a session knows messages, not
 * commands. So commands are tested against the emulator's handler directly
 * (an in-memory channel) and the session layer against any handler.
 */

/** Session privilege levels (IPMI 2.0 table 22-19, the "requested maximum privilege"). */
export const PrivilegeLevel = {
  CALLBACK: 1,
  USER: 2,
  OPERATOR: 3,
  ADMINISTRATOR: 4,
  OEM: 5,
} as const;
export type PrivilegeLevel = (typeof PrivilegeLevel)[keyof typeof PrivilegeLevel];

/** One IPMI request: network function, command, data (the request's bytes after the command byte). */
export interface IpmiRequest {
  readonly netFn: number;
  readonly command: number;
  readonly data?: Uint8Array;
  /** Responder LUN; 0 when omitted. */
  readonly lun?: number;
}

/** One IPMI response: completion code and the bytes after it. */
export interface IpmiResponse {
  readonly completionCode: number;
  readonly data: Uint8Array;
}

/** Carries requests to one BMC and brings its answers back. */
export interface IpmiChannel {
  /**
   * Sends `request` and resolves with the BMC's response, whatever its
   * completion code. Rejects with an IpmiError when no valid answer came
   * (timeout after retries, authentication failure, session lost, aborted).
   */
  request(request: IpmiRequest, signal?: AbortSignal): Promise<IpmiResponse>;
}

/** Where a BMC is and how to log in (from a node's driver_info). */
export interface BmcTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly privilege: PrivilegeLevel;
  /** RMCP+ cipher suite (3 or 17); undefined: the strongest both sides offer. */
  readonly cipherSuite?: number;
}

/** The emulated BMC's side: answers one request of an established session. */
export type IpmiCommandHandler = (request: IpmiRequest) => IpmiResponse | Promise<IpmiResponse>;

/** Why an IPMI exchange failed, for the node's last_error and for retry decisions. */
export const IpmiErrorKind = {
  /** No (valid) answer within the timeout after every retry. */
  TIMEOUT: 'timeout',
  /** Wrong user name or password, or a privilege the user does not have. */
  AUTHENTICATION: 'authentication',
  /** The BMC refused the session (no free slot, unsupported cipher suite, …). */
  SESSION: 'session',
  /** An answer that does not parse or does not belong to the request. */
  PROTOCOL: 'protocol',
  /** A response with a non-zero completion code (raised by commands, not by channels). */
  COMPLETION_CODE: 'completion-code',
  /** The caller's AbortSignal fired. */
  ABORTED: 'aborted',
} as const;
export type IpmiErrorKind = (typeof IpmiErrorKind)[keyof typeof IpmiErrorKind];

/** An IPMI exchange that failed; `message` says what and with which BMC, never with secrets. */
export class IpmiError extends Error {
  readonly kind: IpmiErrorKind;
  /** The completion code, for COMPLETION_CODE. */
  readonly completionCode?: number;

  constructor(kind: IpmiErrorKind, message: string, completionCode?: number) {
    super(message);
    this.name = 'IpmiError';
    this.kind = kind;
    if (completionCode !== undefined) this.completionCode = completionCode;
  }
}

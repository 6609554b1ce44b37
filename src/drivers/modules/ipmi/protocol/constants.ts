/** Numbers of the IPMI v2.0 LAN interface (spec sections 13 and 22). */

export const RMCP_VERSION = 0x06;
/** RMCP sequence number meaning "no RMCP ACK", used by every IPMI packet. */
export const RMCP_SEQUENCE_NO_ACK = 0xff;
export const RmcpClass = { ASF: 0x06, IPMI: 0x07 } as const;

/** Session header authentication type / format. */
export const AuthType = { NONE: 0x00, RMCP_PLUS: 0x06 } as const;

/** RMCP+ payload types (table 13-16). */
export const PayloadType = {
  IPMI: 0x00,
  SOL: 0x01,
  OEM: 0x02,
  OPEN_SESSION_REQUEST: 0x10,
  OPEN_SESSION_RESPONSE: 0x11,
  RAKP1: 0x12,
  RAKP2: 0x13,
  RAKP3: 0x14,
  RAKP4: 0x15,
} as const;

/** The BMC's IPMB address and the remote console's software ID. */
export const BMC_ADDRESS = 0x20;
export const REMOTE_CONSOLE_ADDRESS = 0x81;

export const NetFn = { CHASSIS: 0x00, APP: 0x06 } as const;

export const AppCommand = {
  GET_DEVICE_ID: 0x01,
  GET_CHANNEL_AUTH_CAPABILITIES: 0x38,
  SET_SESSION_PRIVILEGE_LEVEL: 0x3b,
  CLOSE_SESSION: 0x3c,
  ACTIVATE_PAYLOAD: 0x48,
  DEACTIVATE_PAYLOAD: 0x49,
  GET_CHANNEL_CIPHER_SUITES: 0x54,
} as const;

/** RMCP+ and RAKP message status codes (table 13-15). */
export const RmcpPlusStatus = {
  NO_ERRORS: 0x00,
  INSUFFICIENT_RESOURCES: 0x01,
  INVALID_SESSION_ID: 0x02,
  INVALID_PAYLOAD_TYPE: 0x03,
  INVALID_AUTHENTICATION_ALGORITHM: 0x04,
  INVALID_INTEGRITY_ALGORITHM: 0x05,
  NO_MATCHING_AUTHENTICATION_PAYLOAD: 0x06,
  NO_MATCHING_INTEGRITY_PAYLOAD: 0x07,
  INACTIVE_SESSION_ID: 0x08,
  INVALID_ROLE: 0x09,
  UNAUTHORIZED_ROLE: 0x0a,
  INSUFFICIENT_RESOURCES_FOR_ROLE: 0x0b,
  INVALID_NAME_LENGTH: 0x0c,
  UNAUTHORIZED_NAME: 0x0d,
  UNAUTHORIZED_GUID: 0x0e,
  INVALID_INTEGRITY_CHECK_VALUE: 0x0f,
  INVALID_CONFIDENTIALITY_ALGORITHM: 0x10,
  NO_CIPHER_SUITE_MATCH: 0x11,
  ILLEGAL_PARAMETER: 0x12,
} as const;

/** Statuses that mean "these credentials or this role are not accepted". */
export const AUTHENTICATION_STATUSES: ReadonlySet<number> = new Set([
  RmcpPlusStatus.INVALID_ROLE,
  RmcpPlusStatus.UNAUTHORIZED_ROLE,
  RmcpPlusStatus.INVALID_NAME_LENGTH,
  RmcpPlusStatus.UNAUTHORIZED_NAME,
  RmcpPlusStatus.UNAUTHORIZED_GUID,
  RmcpPlusStatus.INVALID_INTEGRITY_CHECK_VALUE,
]);

/** Statuses that mean "not this cipher suite" (worth trying a weaker one). */
export const ALGORITHM_STATUSES: ReadonlySet<number> = new Set([
  RmcpPlusStatus.INVALID_AUTHENTICATION_ALGORITHM,
  RmcpPlusStatus.INVALID_INTEGRITY_ALGORITHM,
  RmcpPlusStatus.NO_MATCHING_AUTHENTICATION_PAYLOAD,
  RmcpPlusStatus.NO_MATCHING_INTEGRITY_PAYLOAD,
  RmcpPlusStatus.INVALID_CONFIDENTIALITY_ALGORITHM,
  RmcpPlusStatus.NO_CIPHER_SUITE_MATCH,
]);

/** RAKP 1 role byte: look the user up by name only (ipmitool's default). */
export const NAME_ONLY_LOOKUP = 0x10;

/** User names are at most 16 bytes, RMCP+ passwords (Kuid) at most 20. */
export const MAX_USERNAME_LENGTH = 16;
export const MAX_PASSWORD_LENGTH = 20;

/** Completion codes the session layer itself answers with. */
export const CompletionCode = {
  OK: 0x00,
  INVALID_COMMAND: 0xc1,
  REQUEST_DATA_LENGTH_INVALID: 0xc7,
  INVALID_DATA_FIELD: 0xcc,
  UNSPECIFIED: 0xff,
  /** Set Session Privilege Level: above the user's or channel's limit. */
  PRIVILEGE_EXCEEDS_LIMIT: 0x81,
  /** Close Session: no such session. */
  INVALID_SESSION_ID: 0x87,
} as const;

/**
 * Opening an RMCP+ session from the console side (spec 13.15–13.23):
 * Get Channel Authentication Capabilities → Open Session → RAKP 1/2 →
 * RAKP 3/4. The caller provides the exchange (send with retries, wait for
 * the matching answer); this file knows the order, the checks and which
 * failure means what.
 */
import { randomBytes } from 'node:crypto';
import type { CipherSuite } from '../protocol/cipher-suites.ts';
import {
  ALGORITHM_STATUSES,
  AppCommand,
  AUTHENTICATION_STATUSES,
  MAX_PASSWORD_LENGTH,
  MAX_USERNAME_LENGTH,
  NAME_ONLY_LOOKUP,
  NetFn,
  PayloadType,
  RmcpPlusStatus,
} from '../protocol/constants.ts';
import type { RakpContext, SessionKeys } from '../protocol/keys.ts';
import {
  deriveSessionKeys,
  macEquals,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4IntegrityCheckValue,
  sessionIntegrityKey,
} from '../protocol/keys.ts';
import type { LanResponse } from '../protocol/lan-message.ts';
import { encodeLanRequest } from '../protocol/lan-message.ts';
import { encodeV15Packet, encodeV20Packet } from '../protocol/packet.ts';
import {
  channelAuthCapabilitiesRequest,
  channelCipherSuitesRequest,
  cipherSuiteIds,
  isLastCipherSuitePart,
} from '../protocol/session-commands.ts';
import type { Rakp2, Rakp4 } from '../protocol/session-setup.ts';
import {
  decodeOpenSessionResponse,
  decodeRakp2,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
} from '../protocol/session-setup.ts';
import type { BmcTarget } from '../types.ts';
import { IpmiError, IpmiErrorKind } from '../types.ts';

/** A packet from the BMC, as the channel hands it to whoever waits. */
export type Inbound =
  | { readonly kind: 'ipmi'; readonly inSession: boolean; readonly response: LanResponse }
  | { readonly kind: 'setup'; readonly payloadType: number; readonly payload: Buffer };

/** What the handshake needs from its channel. */
export interface HandshakeIo {
  /** "IPMI BMC host:port", for messages. */
  readonly label: string;
  /**
   * Sends `build()` (called again for every retry) until `match` accepts
   * an answer; rejects with 'timeout' or 'aborted'.
   */
  exchange<T>(
    what: string,
    build: () => Uint8Array,
    match: (inbound: Inbound) => T | undefined,
  ): Promise<T>;
  /** Sends once, no answer expected. */
  sendOnce(datagram: Uint8Array): void;
  /** A 6-bit request sequence number not in use; release it afterwards. */
  takeRqSeq(): number;
  releaseRqSeq(rqSeq: number): void;
  /** A console session ID no other session of the client uses. */
  newConsoleSessionId(): number;
  releaseConsoleSessionId(id: number): void;
  /** Marks `id` as the session ID packets of this channel arrive with. */
  expectConsoleSessionId(id: number): void;
}

export interface OpenedSession {
  readonly suite: CipherSuite;
  readonly consoleSessionId: number;
  readonly bmcSessionId: number;
  readonly keys: SessionKeys;
  /** The privilege granted in RAKP (Set Session Privilege Level may still be needed). */
  readonly privilege: number;
}

let tagCounter = 0;
function nextTag(): number {
  tagCounter = (tagCounter + 1) & 0xff;
  return tagCounter;
}

export async function getChannelAuthCapabilities(
  io: HandshakeIo,
  privilege: number,
): Promise<void> {
  const rqSeq = io.takeRqSeq();
  try {
    const message = encodeLanRequest({
      netFn: NetFn.APP,
      command: AppCommand.GET_CHANNEL_AUTH_CAPABILITIES,
      data: channelAuthCapabilitiesRequest(privilege),
      rqSeq,
    });
    // The answer's contents do not change the handshake (Open Session tells
    // whether RMCP+ works); some BMCs want this request before a session.
    await io.exchange(
      'Get Channel Authentication Capabilities',
      () => encodeV15Packet({ sequence: 0, sessionId: 0, message }),
      (inbound) =>
        inbound.kind === 'ipmi' &&
        !inbound.inSession &&
        inbound.response.rqSeq === rqSeq &&
        inbound.response.command === AppCommand.GET_CHANNEL_AUTH_CAPABILITIES
          ? true
          : undefined,
    );
  } finally {
    io.releaseRqSeq(rqSeq);
  }
}

/** Cipher suites a part of the list can hold: enough for any real BMC. */
const MAX_CIPHER_SUITE_PARTS = 8;

/**
 * The cipher suite IDs the BMC lists (Get Channel Cipher Suites, outside a
 * session), or undefined when it does not answer that.
 */
export async function listCipherSuites(io: HandshakeIo): Promise<number[] | undefined> {
  const ids: number[] = [];
  for (let index = 0; index < MAX_CIPHER_SUITE_PARTS; index++) {
    const rqSeq = io.takeRqSeq();
    let answer: LanResponse;
    try {
      const message = encodeLanRequest({
        netFn: NetFn.APP,
        command: AppCommand.GET_CHANNEL_CIPHER_SUITES,
        data: channelCipherSuitesRequest(index),
        rqSeq,
      });
      answer = await io.exchange(
        'Get Channel Cipher Suites',
        () =>
          encodeV20Packet({
            payloadType: PayloadType.IPMI,
            sessionId: 0,
            sequence: 0,
            payload: message,
          }),
        (inbound) =>
          inbound.kind === 'ipmi' &&
          !inbound.inSession &&
          inbound.response.rqSeq === rqSeq &&
          inbound.response.command === AppCommand.GET_CHANNEL_CIPHER_SUITES
            ? inbound.response
            : undefined,
      );
    } catch (error) {
      if (error instanceof IpmiError && error.kind === IpmiErrorKind.TIMEOUT) return undefined;
      throw error;
    } finally {
      io.releaseRqSeq(rqSeq);
    }
    if (answer.completionCode !== 0 || answer.data.length < 1) return undefined;
    const records = answer.data.subarray(1);
    ids.push(...cipherSuiteIds(records));
    if (isLastCipherSuitePart(records.length)) break;
  }
  return ids;
}

/**
 * Opens a session with the first of `suites` the BMC accepts. With more
 * than one suite to choose from, the BMC's list narrows them first, and a
 * refusal (or silence, which is how some BMCs refuse) moves on to the next.
 */
export async function openSession(
  io: HandshakeIo,
  target: BmcTarget,
  suites: readonly CipherSuite[],
): Promise<OpenedSession> {
  const username = Buffer.from(target.username, 'utf8');
  const kuid = Buffer.from(target.password, 'utf8');
  if (username.length > MAX_USERNAME_LENGTH) {
    throw new IpmiError(
      IpmiErrorKind.AUTHENTICATION,
      `${io.label}: user name longer than 16 bytes`,
    );
  }
  if (kuid.length > MAX_PASSWORD_LENGTH) {
    throw new IpmiError(IpmiErrorKind.AUTHENTICATION, `${io.label}: password longer than 20 bytes`);
  }
  await getChannelAuthCapabilities(io, target.privilege);
  let candidates = suites;
  if (suites.length > 1) {
    const listed = await listCipherSuites(io);
    const usable = suites.filter((suite) => listed?.includes(suite.id) ?? true);
    if (usable.length === 0) {
      throw new IpmiError(
        IpmiErrorKind.SESSION,
        `${io.label} offers none of cipher suites ${suites.map((s) => s.id).join(', ')}`,
      );
    }
    candidates = usable;
  }
  for (const [index, suite] of candidates.entries()) {
    const last = index === candidates.length - 1;
    const consoleSessionId = io.newConsoleSessionId();
    let opened: OpenedSession | 'refused';
    try {
      opened = await openWithSuite(io, target, suite, consoleSessionId, username, kuid, !last);
    } catch (error) {
      io.releaseConsoleSessionId(consoleSessionId);
      throw error;
    }
    if (opened !== 'refused') return opened;
    io.releaseConsoleSessionId(consoleSessionId);
    if (last) {
      throw new IpmiError(
        IpmiErrorKind.SESSION,
        `${io.label} refused cipher suite ${candidates.map((s) => s.id).join(' and ')}`,
      );
    }
  }
  throw new IpmiError(IpmiErrorKind.SESSION, `${io.label}: no cipher suite to try`);
}

function statusError(io: HandshakeIo, step: string, status: number): IpmiError {
  const hex = `0x${status.toString(16).padStart(2, '0')}`;
  if (AUTHENTICATION_STATUSES.has(status)) {
    return new IpmiError(
      IpmiErrorKind.AUTHENTICATION,
      `${io.label} rejected the login in ${step} (status ${hex}: unknown user, wrong password or privilege not allowed)`,
    );
  }
  return new IpmiError(
    IpmiErrorKind.SESSION,
    `${io.label} refused the session in ${step} (status ${hex})`,
  );
}

async function openWithSuite(
  io: HandshakeIo,
  target: BmcTarget,
  suite: CipherSuite,
  consoleSessionId: number,
  username: Buffer,
  kuid: Buffer,
  /** Whether no answer to Open Session counts as a refusal (another suite is left to try). */
  silenceRefuses: boolean,
): Promise<OpenedSession | 'refused'> {
  const setup = (payloadType: number, payload: Uint8Array): Buffer =>
    encodeV20Packet({ payloadType, sessionId: 0, sequence: 0, payload });

  const openTag = nextTag();
  const openRequest = encodeOpenSessionRequest({
    tag: openTag,
    privilege: target.privilege,
    consoleSessionId,
    algorithms: {
      auth: suite.authAlgorithm,
      integrity: suite.integrityAlgorithm,
      confidentiality: suite.confidentialityAlgorithm,
    },
  });
  const opened = await io
    .exchange(
      'Open Session',
      () => setup(PayloadType.OPEN_SESSION_REQUEST, openRequest),
      (inbound) => {
        if (inbound.kind !== 'setup' || inbound.payloadType !== PayloadType.OPEN_SESSION_RESPONSE) {
          return undefined;
        }
        const response = decodeOpenSessionResponse(inbound.payload);
        if (response.tag !== openTag) return undefined;
        // Error answers may leave the console ID out; success must carry ours.
        if (
          response.status === RmcpPlusStatus.NO_ERRORS &&
          response.consoleSessionId !== consoleSessionId
        ) {
          return undefined;
        }
        return response;
      },
    )
    .catch((error: unknown) => {
      if (silenceRefuses && error instanceof IpmiError && error.kind === IpmiErrorKind.TIMEOUT) {
        return 'silent' as const;
      }
      throw error;
    });
  if (opened === 'silent' || ALGORITHM_STATUSES.has(opened.status)) return 'refused';
  if (opened.status !== RmcpPlusStatus.NO_ERRORS)
    throw statusError(io, 'Open Session', opened.status);
  const algorithms = opened.algorithms;
  if (
    algorithms?.auth !== suite.authAlgorithm ||
    algorithms.integrity !== suite.integrityAlgorithm ||
    algorithms.confidentiality !== suite.confidentialityAlgorithm
  ) {
    throw new IpmiError(
      IpmiErrorKind.PROTOCOL,
      `${io.label} answered Open Session with other algorithms than cipher suite ${String(suite.id)}`,
    );
  }
  const bmcSessionId = opened.bmcSessionId;

  const role = NAME_ONLY_LOOKUP | (target.privilege & 0x0f);
  const consoleRandom = randomBytes(16);
  const rakp1Tag = nextTag();
  const rakp1 = encodeRakp1({ tag: rakp1Tag, bmcSessionId, consoleRandom, role, username });
  const rakp2: Rakp2 = await io.exchange(
    'RAKP 1',
    () => setup(PayloadType.RAKP1, rakp1),
    (inbound) => {
      if (inbound.kind !== 'setup' || inbound.payloadType !== PayloadType.RAKP2) return undefined;
      const message = decodeRakp2(inbound.payload);
      if (message.tag !== rakp1Tag) return undefined;
      if (
        message.status === RmcpPlusStatus.NO_ERRORS &&
        message.consoleSessionId !== consoleSessionId
      ) {
        return undefined;
      }
      return message;
    },
  );
  if (rakp2.status !== RmcpPlusStatus.NO_ERRORS) throw statusError(io, 'RAKP 2', rakp2.status);
  const context: RakpContext = {
    suite,
    consoleSessionId,
    bmcSessionId,
    consoleRandom,
    bmcRandom: rakp2.bmcRandom ?? Buffer.alloc(16),
    bmcGuid: rakp2.bmcGuid ?? Buffer.alloc(16),
    role,
    username,
  };
  const rakp3Tag = nextTag();
  if (!macEquals(rakp2.authCode ?? Buffer.alloc(0), rakp2AuthCode(context, kuid))) {
    // Tell the BMC, so that it frees the half-open session at once.
    io.sendOnce(
      setup(
        PayloadType.RAKP3,
        encodeRakp3({
          tag: rakp3Tag,
          status: RmcpPlusStatus.INVALID_INTEGRITY_CHECK_VALUE,
          bmcSessionId,
          authCode: Buffer.alloc(0),
        }),
      ),
    );
    throw new IpmiError(
      IpmiErrorKind.AUTHENTICATION,
      `${io.label}: authentication failed (wrong user name or password)`,
    );
  }

  const rakp3 = encodeRakp3({
    tag: rakp3Tag,
    status: RmcpPlusStatus.NO_ERRORS,
    bmcSessionId,
    authCode: rakp3AuthCode(context, kuid),
  });
  // From here the BMC may send session packets; route them to us.
  io.expectConsoleSessionId(consoleSessionId);
  const rakp4: Rakp4 = await io.exchange(
    'RAKP 3',
    () => setup(PayloadType.RAKP3, rakp3),
    (inbound) => {
      if (inbound.kind !== 'setup' || inbound.payloadType !== PayloadType.RAKP4) return undefined;
      const message = decodeRakp4(inbound.payload);
      if (message.tag !== rakp3Tag) return undefined;
      if (
        message.status === RmcpPlusStatus.NO_ERRORS &&
        message.consoleSessionId !== consoleSessionId
      ) {
        return undefined;
      }
      return message;
    },
  );
  if (rakp4.status !== RmcpPlusStatus.NO_ERRORS) throw statusError(io, 'RAKP 4', rakp4.status);
  const sik = sessionIntegrityKey(context, kuid);
  if (!macEquals(rakp4.integrityCheckValue, rakp4IntegrityCheckValue(context, sik))) {
    throw new IpmiError(
      IpmiErrorKind.AUTHENTICATION,
      `${io.label}: RAKP 4 integrity check failed (the BMC expects a different key)`,
    );
  }
  return {
    suite,
    consoleSessionId,
    bmcSessionId,
    keys: deriveSessionKeys(suite, sik),
    privilege: target.privilege,
  };
}

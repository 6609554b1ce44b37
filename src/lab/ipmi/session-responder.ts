/**
 * The BMC side of RMCP+ without the socket: one datagram in, at most one
 * datagram out. It answers the session-less channel queries, runs the
 * Open Session / RAKP handshake, checks and strips the integrity and
 * confidentiality of session requests, answers Set Session Privilege Level
 * and Close Session itself and hands every other command to the emulated
 * BMC's handler. Anything it cannot parse or authenticate is dropped
 * silently, as a BMC does.
 *
 * Serial over LAN: Activate / Deactivate Payload start and stop the one SOL
 * instance on the serial port it was given; SOL packets go to that
 * payload's endpoint, which sends host output on its own (through the
 * `sendLater` function of the console's latest packet), not as replies.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { asBuffer } from '../../drivers/modules/ipmi/protocol/bytes.ts';
import type { CipherSuite } from '../../drivers/modules/ipmi/protocol/cipher-suites.ts';
import { cipherSuiteByAlgorithms } from '../../drivers/modules/ipmi/protocol/cipher-suites.ts';
import {
  AppCommand,
  CompletionCode,
  NetFn,
  PayloadType,
  RmcpPlusStatus,
} from '../../drivers/modules/ipmi/protocol/constants.ts';
import type { RakpContext, SessionKeys } from '../../drivers/modules/ipmi/protocol/keys.ts';
import {
  deriveSessionKeys,
  macEquals,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4IntegrityCheckValue,
  sessionIntegrityKey,
} from '../../drivers/modules/ipmi/protocol/keys.ts';
import type { LanRequest } from '../../drivers/modules/ipmi/protocol/lan-message.ts';
import {
  decodeLanRequest,
  encodeLanResponse,
} from '../../drivers/modules/ipmi/protocol/lan-message.ts';
import type { V20Packet } from '../../drivers/modules/ipmi/protocol/packet.ts';
import {
  ActivatePayloadCompletion,
  decodeActivatePayloadRequest,
  decodeDeactivatePayloadRequest,
  DeactivatePayloadCompletion,
  encodeActivatePayloadResponse,
  SOL_HEADER_LENGTH,
  SOL_INSTANCE,
} from '../../drivers/modules/ipmi/protocol/sol.ts';
import {
  encodeV15Packet,
  encodeV20Packet,
  parsePacket,
  unsealPayload,
} from '../../drivers/modules/ipmi/protocol/packet.ts';
import {
  SequenceWindow,
  nextSequence,
} from '../../drivers/modules/ipmi/protocol/sequence-window.ts';
import {
  channelAuthCapabilitiesResponse,
  channelCipherSuitesResponse,
} from '../../drivers/modules/ipmi/protocol/session-commands.ts';
import {
  decodeOpenSessionRequest,
  decodeRakp1,
  decodeRakp3,
  encodeOpenSessionResponse,
  encodeRakp2,
  encodeRakp4,
} from '../../drivers/modules/ipmi/protocol/session-setup.ts';
import type { IpmiCommandHandler, IpmiResponse } from '../../drivers/modules/ipmi/types.ts';
import { PrivilegeLevel } from '../../drivers/modules/ipmi/types.ts';
import type { SolSerialPort } from './serial-console.ts';
import { SolEndpoint } from './sol-endpoint.ts';

export interface IpmiLanUser {
  readonly name: string;
  readonly password: string;
  /** Highest privilege this user may take (default administrator). */
  readonly maxPrivilege?: PrivilegeLevel;
}

export interface SessionResponderOptions {
  readonly users: readonly IpmiLanUser[];
  readonly cipherSuites: readonly CipherSuite[];
  readonly handler: IpmiCommandHandler;
  /** Idle time after which a session (or a half-done handshake) is forgotten. */
  readonly sessionTimeoutMs: number;
  /** The BMC's GUID (16 bytes), part of the RAKP HMACs. */
  readonly guid: Uint8Array;
  /** Sessions at once; further Open Session requests get "insufficient resources". */
  readonly maxSessions?: number;
  /** The host's serial port, for SOL; without one, Activate Payload answers "disabled". */
  readonly serial?: SolSerialPort;
  /** The UDP port Activate Payload names for SOL (the server's own). */
  readonly payloadPort?: () => number;
  /** Wait for a SOL ack before resending (default 500 ms), and resends (default 4). */
  readonly solRetryMs?: number;
  readonly solRetries?: number;
}

/** Sends a datagram back to where a packet came from, at any later time. */
export type SendLater = (datagram: Buffer) => void;

/** In- and outbound SOL payload size the emulator reports (header included). */
const SOL_PAYLOAD_SIZE = 200;
/** Completion code: the session's privilege is too low for the command. */
const INSUFFICIENT_PRIVILEGE = 0xd4;

/** Replay window of inbound session sequence numbers (spec 6.12.13: 8 back, 16 ahead). */
const WINDOW_BEHIND = 8;
const WINDOW_AHEAD = 16;

interface Handshake {
  readonly context: RakpContext;
  readonly kuid: Buffer;
  /** The RAKP 1 that started it and our RAKP 2, to answer a retransmission identically. */
  readonly rakp1: Buffer;
  readonly rakp2Reply: Buffer;
}

interface ServerSession {
  readonly bmcSessionId: number;
  readonly consoleSessionId: number;
  readonly suite: CipherSuite;
  /** Privilege limit asked for in Open Session (0: none). */
  readonly requestedPrivilege: number;
  readonly openRequest: Buffer;
  readonly openReply: Buffer;
  lastActivity: number;
  handshake?: Handshake;
  active?: ActiveState;
  /** Back to the console's address of its latest authenticated packet. */
  sendTo?: SendLater;
}

interface ActiveSol {
  /** BMC session ID of the session that activated it. */
  readonly owner: number;
  endpoint?: SolEndpoint;
  starting?: NodeJS.Immediate;
}

interface ActiveState {
  readonly keys: SessionKeys;
  readonly rakp3: Buffer;
  readonly rakp4Reply: Buffer;
  /** The role privilege: the highest Set Session Privilege Level may reach. */
  readonly maxPrivilege: number;
  privilege: number;
  readonly inbound: SequenceWindow;
  outbound: number;
}

export class SessionResponder {
  private readonly sessions = new Map<number, ServerSession>();
  private readonly users: ReadonlyMap<string, IpmiLanUser>;
  private sol?: ActiveSol;

  constructor(private readonly options: SessionResponderOptions) {
    this.users = new Map(options.users.map((user) => [user.name, user]));
  }

  /** Sessions open or being opened. */
  sessionCount(): number {
    return this.sessions.size;
  }

  /** Forgets sessions idle for longer than the session timeout. */
  expire(now = Date.now()): void {
    for (const [id, session] of this.sessions) {
      if (now - session.lastActivity > this.options.sessionTimeoutMs) this.forget(id);
    }
  }

  /** Whether a SOL payload is active, and the endpoint once it runs. */
  solState(): { active: boolean; endpoint?: SolEndpoint } {
    const endpoint = this.sol?.endpoint;
    return { active: this.sol !== undefined, ...(endpoint === undefined ? {} : { endpoint }) };
  }

  /** Stops SOL (and its timers); the responder answers nothing SOL afterwards. */
  close(): void {
    this.stopSol(false);
  }

  /**
   * The answer to one datagram, or undefined to stay silent. Never throws.
   * `sendLater` reaches the datagram's sender afterwards (SOL output).
   */
  async respond(datagram: Uint8Array, sendLater?: SendLater): Promise<Buffer | undefined> {
    try {
      return await this.dispatch(datagram, sendLater);
    } catch {
      // Garbage, truncated or forged: a BMC does not answer those.
      return undefined;
    }
  }

  private forget(bmcSessionId: number): void {
    this.sessions.delete(bmcSessionId);
    if (this.sol?.owner === bmcSessionId) this.stopSol(false);
  }

  private async dispatch(
    datagram: Uint8Array,
    sendLater: SendLater | undefined,
  ): Promise<Buffer | undefined> {
    const packet = parsePacket(datagram);
    if (packet.format === 'asf') return undefined;
    if (packet.format === 'v1.5') {
      // Only session-less requests: IPMI 1.5 sessions are not offered.
      if (packet.authType !== 0 || packet.sessionId !== 0) return undefined;
      const request = decodeLanRequest(packet.message);
      const reply = this.sessionless(request);
      if (reply === undefined) return undefined;
      return encodeV15Packet({ sequence: 0, sessionId: 0, message: reply });
    }
    switch (packet.payloadType) {
      case PayloadType.OPEN_SESSION_REQUEST:
        return this.openSession(packet.payload);
      case PayloadType.RAKP1:
        return this.rakp1(packet.payload);
      case PayloadType.RAKP3:
        return this.rakp3(packet.payload);
      case PayloadType.IPMI:
        return packet.sessionId === 0
          ? this.sessionlessV20(packet)
          : this.sessionRequest(packet, sendLater);
      case PayloadType.SOL:
        this.solPacket(packet, sendLater);
        return undefined;
      default:
        return undefined;
    }
  }

  private sessionlessV20(packet: V20Packet): Buffer | undefined {
    if (packet.authenticated || packet.encrypted) return undefined;
    const reply = this.sessionless(decodeLanRequest(packet.payload));
    if (reply === undefined) return undefined;
    return encodeV20Packet({
      payloadType: PayloadType.IPMI,
      sessionId: 0,
      sequence: 0,
      payload: reply,
    });
  }

  /** The commands a BMC answers outside a session (and inside one too). */
  private sessionless(request: Required<LanRequest>): Buffer | undefined {
    if (request.netFn !== NetFn.APP) return undefined;
    if (request.command === AppCommand.GET_CHANNEL_AUTH_CAPABILITIES) {
      if (request.data.length < 2) {
        return encodeLanResponse(
          request,
          CompletionCode.REQUEST_DATA_LENGTH_INVALID,
          Buffer.alloc(0),
        );
      }
      return encodeLanResponse(request, CompletionCode.OK, channelAuthCapabilitiesResponse());
    }
    if (request.command === AppCommand.GET_CHANNEL_CIPHER_SUITES) {
      const data = channelCipherSuitesResponse(request.data, this.options.cipherSuites);
      if (data === undefined) {
        return encodeLanResponse(
          request,
          CompletionCode.REQUEST_DATA_LENGTH_INVALID,
          Buffer.alloc(0),
        );
      }
      return encodeLanResponse(request, CompletionCode.OK, data);
    }
    return undefined;
  }

  private openSession(payload: Buffer): Buffer | undefined {
    const request = decodeOpenSessionRequest(payload);
    // A retransmitted request gets the same answer rather than a second session.
    for (const session of this.sessions.values()) {
      if (session.active === undefined && session.openRequest.equals(payload)) {
        session.lastActivity = Date.now();
        return this.setupPacket(PayloadType.OPEN_SESSION_RESPONSE, session.openReply);
      }
    }
    const refuse = (status: number): Buffer =>
      this.setupPacket(
        PayloadType.OPEN_SESSION_RESPONSE,
        encodeOpenSessionResponse({
          tag: request.tag,
          status,
          maxPrivilege: 0,
          consoleSessionId: request.consoleSessionId,
          bmcSessionId: 0,
        }),
      );
    const { auth, integrity, confidentiality } = request.algorithms;
    const suite = cipherSuiteByAlgorithms(auth, integrity, confidentiality);
    if (suite === undefined || !this.options.cipherSuites.includes(suite)) {
      return refuse(RmcpPlusStatus.NO_CIPHER_SUITE_MATCH);
    }
    if (request.privilege > PrivilegeLevel.OEM) return refuse(RmcpPlusStatus.INVALID_ROLE);
    this.expire();
    if (this.sessions.size >= (this.options.maxSessions ?? 64)) {
      return refuse(RmcpPlusStatus.INSUFFICIENT_RESOURCES);
    }
    let bmcSessionId = 0;
    while (bmcSessionId === 0 || this.sessions.has(bmcSessionId)) {
      bmcSessionId = randomInt(1, 0xffffffff);
    }
    const reply = encodeOpenSessionResponse({
      tag: request.tag,
      status: RmcpPlusStatus.NO_ERRORS,
      maxPrivilege: request.privilege === 0 ? PrivilegeLevel.ADMINISTRATOR : request.privilege,
      consoleSessionId: request.consoleSessionId,
      bmcSessionId,
      algorithms: request.algorithms,
    });
    this.sessions.set(bmcSessionId, {
      bmcSessionId,
      consoleSessionId: request.consoleSessionId,
      suite,
      requestedPrivilege: request.privilege,
      openRequest: Buffer.from(payload),
      openReply: reply,
      lastActivity: Date.now(),
    });
    return this.setupPacket(PayloadType.OPEN_SESSION_RESPONSE, reply);
  }

  private rakp1(payload: Buffer): Buffer | undefined {
    const message = decodeRakp1(payload);
    const session = this.sessions.get(message.bmcSessionId);
    const refuse = (status: number, consoleSessionId: number): Buffer =>
      this.setupPacket(
        PayloadType.RAKP2,
        encodeRakp2({ tag: message.tag, status, consoleSessionId }),
      );
    if (session === undefined) return refuse(RmcpPlusStatus.INVALID_SESSION_ID, 0);
    if (session.active !== undefined) return undefined;
    if (session.handshake?.rakp1.equals(payload) === true) {
      session.lastActivity = Date.now();
      return this.setupPacket(PayloadType.RAKP2, session.handshake.rakp2Reply);
    }
    const privilege = message.role & 0x0f;
    const user = this.users.get(Buffer.from(message.username).toString('utf8'));
    let status: number = RmcpPlusStatus.NO_ERRORS;
    if (privilege < PrivilegeLevel.CALLBACK || privilege > PrivilegeLevel.OEM) {
      status = RmcpPlusStatus.INVALID_ROLE;
    } else if (user === undefined) {
      status = RmcpPlusStatus.UNAUTHORIZED_NAME;
    } else if (
      privilege > (user.maxPrivilege ?? PrivilegeLevel.ADMINISTRATOR) ||
      (session.requestedPrivilege !== 0 && privilege > session.requestedPrivilege)
    ) {
      status = RmcpPlusStatus.UNAUTHORIZED_ROLE;
    }
    if (status !== RmcpPlusStatus.NO_ERRORS || user === undefined) {
      this.sessions.delete(session.bmcSessionId);
      return refuse(status, session.consoleSessionId);
    }
    const context: RakpContext = {
      suite: session.suite,
      consoleSessionId: session.consoleSessionId,
      bmcSessionId: session.bmcSessionId,
      consoleRandom: message.consoleRandom,
      bmcRandom: randomBytes(16),
      bmcGuid: this.options.guid,
      role: message.role,
      username: message.username,
    };
    const kuid = Buffer.from(user.password, 'utf8');
    const reply = encodeRakp2({
      tag: message.tag,
      status: RmcpPlusStatus.NO_ERRORS,
      consoleSessionId: session.consoleSessionId,
      bmcRandom: context.bmcRandom,
      bmcGuid: context.bmcGuid,
      authCode: rakp2AuthCode(context, kuid),
    });
    session.handshake = { context, kuid, rakp1: Buffer.from(payload), rakp2Reply: reply };
    session.lastActivity = Date.now();
    return this.setupPacket(PayloadType.RAKP2, reply);
  }

  private rakp3(payload: Buffer): Buffer | undefined {
    const message = decodeRakp3(payload);
    const session = this.sessions.get(message.bmcSessionId);
    const refuse = (status: number, consoleSessionId: number): Buffer =>
      this.setupPacket(
        PayloadType.RAKP4,
        encodeRakp4({
          tag: message.tag,
          status,
          consoleSessionId,
          integrityCheckValue: Buffer.alloc(0),
        }),
      );
    if (session === undefined) return refuse(RmcpPlusStatus.INVALID_SESSION_ID, 0);
    if (session.active !== undefined) {
      return session.active.rakp3.equals(payload)
        ? this.setupPacket(PayloadType.RAKP4, session.active.rakp4Reply)
        : undefined;
    }
    const handshake = session.handshake;
    if (handshake === undefined) return undefined;
    if (message.status !== RmcpPlusStatus.NO_ERRORS) {
      // The console rejected our RAKP 2 (wrong password on its side): forget it, say nothing.
      this.sessions.delete(session.bmcSessionId);
      return undefined;
    }
    const { context, kuid } = handshake;
    if (!macEquals(message.authCode, rakp3AuthCode(context, kuid))) {
      this.sessions.delete(session.bmcSessionId);
      return refuse(RmcpPlusStatus.INVALID_INTEGRITY_CHECK_VALUE, session.consoleSessionId);
    }
    const sik = sessionIntegrityKey(context, kuid);
    const reply = encodeRakp4({
      tag: message.tag,
      status: RmcpPlusStatus.NO_ERRORS,
      consoleSessionId: session.consoleSessionId,
      integrityCheckValue: rakp4IntegrityCheckValue(context, sik),
    });
    const maxPrivilege = context.role & 0x0f;
    session.active = {
      keys: deriveSessionKeys(session.suite, sik),
      rakp3: Buffer.from(payload),
      rakp4Reply: reply,
      maxPrivilege,
      // Sessions start at User level, or lower when that was all that was asked for.
      privilege: Math.min(PrivilegeLevel.USER, maxPrivilege),
      inbound: new SequenceWindow(WINDOW_BEHIND, WINDOW_AHEAD),
      outbound: 0,
    };
    delete session.handshake;
    session.lastActivity = Date.now();
    return this.setupPacket(PayloadType.RAKP4, reply);
  }

  private async sessionRequest(
    packet: V20Packet,
    sendLater: SendLater | undefined,
  ): Promise<Buffer | undefined> {
    const session = this.sessions.get(packet.sessionId);
    const active = session?.active;
    if (session === undefined || active === undefined) return undefined;
    const payload = unsealPayload(packet, active.keys);
    if (!active.inbound.accept(packet.sequence)) return undefined;
    const request = decodeLanRequest(payload);
    session.lastActivity = Date.now();
    if (sendLater !== undefined) session.sendTo = sendLater;
    const answer = await this.answer(session, active, request);
    active.outbound = nextSequence(active.outbound);
    const reply = encodeV20Packet(
      {
        payloadType: PayloadType.IPMI,
        sessionId: session.consoleSessionId,
        sequence: active.outbound,
        payload: encodeLanResponse(request, answer.completionCode, answer.data),
      },
      active.keys,
    );
    if (answer.closes !== undefined) this.forget(answer.closes);
    return reply;
  }

  private async answer(
    session: ServerSession,
    active: ActiveState,
    request: Required<LanRequest>,
  ): Promise<IpmiResponse & { closes?: number }> {
    if (request.netFn === NetFn.APP) {
      switch (request.command) {
        case AppCommand.ACTIVATE_PAYLOAD:
          return this.activatePayload(session, active, request.data);
        case AppCommand.DEACTIVATE_PAYLOAD:
          return this.deactivatePayload(session, active, request.data);
        case AppCommand.SET_SESSION_PRIVILEGE_LEVEL: {
          const wanted = (request.data[0] ?? -1) & 0x0f;
          if (request.data.length < 1) return reply(CompletionCode.REQUEST_DATA_LENGTH_INVALID);
          if (wanted === 0) return reply(CompletionCode.OK, [active.privilege]);
          if (wanted > PrivilegeLevel.OEM) return reply(CompletionCode.INVALID_DATA_FIELD);
          if (wanted > active.maxPrivilege) return reply(CompletionCode.PRIVILEGE_EXCEEDS_LIMIT);
          active.privilege = wanted;
          return reply(CompletionCode.OK, [wanted]);
        }
        case AppCommand.CLOSE_SESSION: {
          if (request.data.length < 4) return reply(CompletionCode.REQUEST_DATA_LENGTH_INVALID);
          const id = asBuffer(request.data).readUInt32LE(0);
          if (!this.sessions.has(id)) return reply(CompletionCode.INVALID_SESSION_ID);
          return { ...reply(CompletionCode.OK), closes: id };
        }
        case AppCommand.GET_CHANNEL_AUTH_CAPABILITIES:
          return reply(CompletionCode.OK, channelAuthCapabilitiesResponse());
        case AppCommand.GET_CHANNEL_CIPHER_SUITES: {
          const data = channelCipherSuitesResponse(request.data, this.options.cipherSuites);
          return data === undefined
            ? reply(CompletionCode.REQUEST_DATA_LENGTH_INVALID)
            : reply(CompletionCode.OK, data);
        }
        default:
          break;
      }
    }
    try {
      const response = await this.options.handler({
        netFn: request.netFn,
        command: request.command,
        data: request.data,
        lun: request.rsLun,
      });
      return { completionCode: response.completionCode & 0xff, data: response.data };
    } catch {
      // A handler that throws is a BMC with an internal error.
      return reply(CompletionCode.UNSPECIFIED);
    }
  }

  private activatePayload(
    session: ServerSession,
    active: ActiveState,
    data: Uint8Array,
  ): IpmiResponse {
    let request: ReturnType<typeof decodeActivatePayloadRequest>;
    try {
      request = decodeActivatePayloadRequest(data);
    } catch {
      return reply(CompletionCode.REQUEST_DATA_LENGTH_INVALID);
    }
    const serial = this.options.serial;
    if (request.payloadType !== PayloadType.SOL || serial === undefined) {
      return reply(ActivatePayloadCompletion.TYPE_DISABLED);
    }
    if (request.instance !== SOL_INSTANCE) return reply(CompletionCode.INVALID_DATA_FIELD);
    if (active.privilege < PrivilegeLevel.USER) return reply(INSUFFICIENT_PRIVILEGE);
    // Every session here is encrypted, and so is its SOL.
    if (!request.encrypt) return reply(ActivatePayloadCompletion.MUST_ENCRYPT);
    if (this.sol !== undefined) return reply(ActivatePayloadCompletion.ALREADY_ACTIVE);
    const sol: ActiveSol = { owner: session.bmcSessionId };
    this.sol = sol;
    // After the answer has gone out: the host's banner must not overtake it.
    sol.starting = setImmediate(() => {
      sol.starting = undefined;
      if (this.sol !== sol) return;
      sol.endpoint = new SolEndpoint({
        send: (payload) => this.sendSol(session, active, payload),
        serial,
        chunk: SOL_PAYLOAD_SIZE - SOL_HEADER_LENGTH,
        retryMs: this.options.solRetryMs ?? 500,
        retries: this.options.solRetries ?? 4,
      });
    });
    return reply(
      CompletionCode.OK,
      encodeActivatePayloadResponse({
        inboundPayloadSize: SOL_PAYLOAD_SIZE,
        outboundPayloadSize: SOL_PAYLOAD_SIZE,
        port: this.options.payloadPort?.() ?? 623,
        vlan: 0xffff,
      }),
    );
  }

  private deactivatePayload(
    session: ServerSession,
    active: ActiveState,
    data: Uint8Array,
  ): IpmiResponse {
    let request: ReturnType<typeof decodeDeactivatePayloadRequest>;
    try {
      request = decodeDeactivatePayloadRequest(data);
    } catch {
      return reply(CompletionCode.REQUEST_DATA_LENGTH_INVALID);
    }
    if (request.payloadType !== PayloadType.SOL || this.options.serial === undefined) {
      return reply(DeactivatePayloadCompletion.TYPE_DISABLED);
    }
    if (request.instance !== SOL_INSTANCE) return reply(CompletionCode.INVALID_DATA_FIELD);
    if (active.privilege < PrivilegeLevel.USER) return reply(INSUFFICIENT_PRIVILEGE);
    const sol = this.sol;
    if (sol === undefined) return reply(DeactivatePayloadCompletion.ALREADY_DEACTIVATED);
    // Deactivated from another session (`ipmitool sol deactivate`): tell the one that had it.
    this.stopSol(sol.owner !== session.bmcSessionId);
    return reply(CompletionCode.OK);
  }

  private stopSol(notifyOwner: boolean): void {
    const sol = this.sol;
    if (sol === undefined) return;
    this.sol = undefined;
    if (sol.starting !== undefined) clearImmediate(sol.starting);
    sol.endpoint?.stop(notifyOwner);
  }

  private solPacket(packet: V20Packet, sendLater: SendLater | undefined): void {
    const session = this.sessions.get(packet.sessionId);
    const active = session?.active;
    if (session === undefined || active === undefined) return;
    const payload = unsealPayload(packet, active.keys);
    if (!active.inbound.accept(packet.sequence)) return;
    session.lastActivity = Date.now();
    if (sendLater !== undefined) session.sendTo = sendLater;
    if (this.sol?.owner === session.bmcSessionId) this.sol.endpoint?.receive(payload);
  }

  /** A SOL payload to the console of `session`, in the session's next sequence number. */
  private sendSol(session: ServerSession, active: ActiveState, payload: Buffer): void {
    active.outbound = nextSequence(active.outbound);
    const datagram = encodeV20Packet(
      {
        payloadType: PayloadType.SOL,
        sessionId: session.consoleSessionId,
        sequence: active.outbound,
        payload,
      },
      active.keys,
    );
    session.sendTo?.(datagram);
  }

  private setupPacket(payloadType: number, payload: Buffer): Buffer {
    return encodeV20Packet({ payloadType, sessionId: 0, sequence: 0, payload });
  }
}

function reply(completionCode: number, data: Iterable<number> = []): IpmiResponse {
  return { completionCode, data: Buffer.from([...data]) };
}

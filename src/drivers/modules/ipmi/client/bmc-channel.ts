/**
 * One BMC as seen by the client: its session (opened lazily, reopened once
 * when it stops answering, kept alive while idle, closed after a long
 * idle time), its request sequence numbers, its in-flight limit and the
 * waiters that match answers to requests. Packets arrive from the shared
 * UdpTransport through deliver().
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CipherSuite } from '../protocol/cipher-suites.ts';
import { CIPHER_SUITE_17, CIPHER_SUITE_3, cipherSuiteById } from '../protocol/cipher-suites.ts';
import {
  AppCommand,
  BMC_ADDRESS,
  NetFn,
  PayloadType,
  REMOTE_CONSOLE_ADDRESS,
} from '../protocol/constants.ts';
import { decodeLanResponse, encodeLanRequest } from '../protocol/lan-message.ts';
import type { Packet } from '../protocol/packet.ts';
import { encodeV20Packet, unsealPayload } from '../protocol/packet.ts';
import { SequenceWindow, nextSequence } from '../protocol/sequence-window.ts';
import { closeSessionRequest, setSessionPrivilegeRequest } from '../protocol/session-commands.ts';
import type { BmcTarget, IpmiChannel, IpmiRequest, IpmiResponse } from '../types.ts';
import { IpmiError, IpmiErrorKind, PrivilegeLevel } from '../types.ts';
import type { HandshakeIo, Inbound, OpenedSession } from './handshake.ts';
import { openSession } from './handshake.ts';
import { InFlightLimit } from './in-flight-limit.ts';
import type { SessionIdAllocator } from './session-ids.ts';
import type { AddressFamily, Registration, TransportPeer, UdpTransport } from './udp-transport.ts';

export interface ChannelSettings {
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxInFlight: number;
  readonly keepAliveMs: number;
  readonly idleCloseMs: number;
}

interface ActiveSession extends OpenedSession {
  outbound: number;
  readonly inbound: SequenceWindow;
}

/** Who takes the SOL packets of a channel's session (a channel dedicated to one SOL session). */
export interface SolPacketSink {
  /** The plaintext SOL payload of an authenticated, in-window packet. */
  packet(payload: Buffer): void;
  /** The session is gone (timed out or closed): no more packets will come. */
  sessionLost(): void;
}

interface Waiter {
  /** Takes the packet when it answers this waiter. */
  accept(inbound: Inbound): boolean;
  fail(error: IpmiError): void;
}

/** BMC sequence numbers: a late duplicate within 32 is dropped; jumps (lost answers) are fine. */
const REPLAY_WINDOW = 32;
const MAX_SEQUENCE_JUMP = 0x10000;

const GET_DEVICE_ID: IpmiRequest = { netFn: NetFn.APP, command: AppCommand.GET_DEVICE_ID };

function describe(request: IpmiRequest): string {
  const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
  return `netFn ${hex(request.netFn)} command ${hex(request.command)}`;
}

export class BmcChannel implements IpmiChannel, TransportPeer {
  readonly label: string;
  private endpoint?: Promise<{ address: string; family: AddressFamily }>;
  private registration?: Registration;
  private session?: ActiveSession;
  private opening?: Promise<ActiveSession>;
  /** The suite that worked last time, when the target leaves the choice to us. */
  private negotiated?: CipherSuite;
  private expectedSessionId = 0;
  private readonly waiters = new Set<Waiter>();
  private readonly rqSeqsInUse = new Set<number>();
  private lastRqSeq = 0;
  private readonly limit: InFlightLimit;
  private keepAliveTimer?: NodeJS.Timeout;
  private lastUse = Date.now();
  private closing?: Promise<void>;
  /** Set while Close Session goes out during close(), which other exchanges may not. */
  private shuttingDownSession = false;
  private solSink?: SolPacketSink;

  constructor(
    private readonly target: BmcTarget,
    private readonly transport: UdpTransport,
    private readonly sessionIds: SessionIdAllocator,
    private readonly settings: ChannelSettings,
  ) {
    const host = isIP(target.host) === 6 ? `[${target.host}]` : target.host;
    this.label = `IPMI BMC ${host}:${String(target.port)}`;
    this.limit = new InFlightLimit(settings.maxInFlight);
  }

  get consoleSessionId(): number {
    return this.expectedSessionId;
  }

  /** Whether a session is established now. */
  get hasSession(): boolean {
    return this.session !== undefined;
  }

  request(request: IpmiRequest, signal?: AbortSignal): Promise<IpmiResponse> {
    return this.perform(request, signal, { byUser: true, reopen: true });
  }

  /**
   * A request in the current session only: when it stops answering, this
   * fails instead of opening a new session (which would not have what the
   * old one activated, such as a SOL payload).
   */
  requestInSession(request: IpmiRequest, signal?: AbortSignal): Promise<IpmiResponse> {
    return this.perform(request, signal, { byUser: true, reopen: false });
  }

  /** Routes the SOL packets of this channel's session to `sink` (one sink per channel). */
  receiveSol(sink: SolPacketSink): void {
    this.solSink = sink;
  }

  /** Seals `payload` as a SOL packet of the current session and sends it once. */
  sendSol(payload: Uint8Array): void {
    const session = this.session;
    const registration = this.registration;
    if (session === undefined || registration === undefined || this.closing !== undefined) {
      throw new IpmiError(IpmiErrorKind.SESSION, `${this.label}: no session to send SOL data in`);
    }
    session.outbound = nextSequence(session.outbound);
    registration.send(
      encodeV20Packet(
        {
          payloadType: PayloadType.SOL,
          sessionId: session.bmcSessionId,
          sequence: session.outbound,
          payload,
        },
        session.keys,
      ),
    );
  }

  /** Closes the session (best effort) and stops the channel; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  deliver(packet: Packet): boolean {
    let inbound: Inbound;
    try {
      if (packet.format === 'asf') return false;
      if (packet.format === 'v1.5') {
        if (packet.sessionId !== 0) return false;
        inbound = { kind: 'ipmi', inSession: false, response: decodeLanResponse(packet.message) };
      } else if (packet.payloadType === PayloadType.IPMI) {
        if (packet.sessionId === 0) {
          if (packet.authenticated || packet.encrypted) return false;
          inbound = { kind: 'ipmi', inSession: false, response: decodeLanResponse(packet.payload) };
        } else {
          const session = this.session;
          if (session === undefined || packet.sessionId !== session.consoleSessionId) return false;
          const payload = unsealPayload(packet, session.keys);
          // After the integrity check, so that forged packets cannot move the window.
          if (!session.inbound.accept(packet.sequence)) return false;
          inbound = { kind: 'ipmi', inSession: true, response: decodeLanResponse(payload) };
        }
      } else if (packet.payloadType === PayloadType.SOL) {
        const session = this.session;
        const sink = this.solSink;
        if (session === undefined || sink === undefined) return false;
        if (packet.sessionId !== session.consoleSessionId) return false;
        const payload = unsealPayload(packet, session.keys);
        if (!session.inbound.accept(packet.sequence)) return false;
        sink.packet(payload);
        return true;
      } else if (
        packet.sessionId === 0 &&
        !packet.authenticated &&
        (packet.payloadType === PayloadType.OPEN_SESSION_RESPONSE ||
          packet.payloadType === PayloadType.RAKP2 ||
          packet.payloadType === PayloadType.RAKP4)
      ) {
        inbound = { kind: 'setup', payloadType: packet.payloadType, payload: packet.payload };
      } else {
        return false;
      }
    } catch {
      return false;
    }
    for (const waiter of this.waiters) if (waiter.accept(inbound)) return true;
    return false;
  }

  /** A method, not a field test, so that checks after an await are not narrowed away. */
  private isClosing(): boolean {
    return this.closing !== undefined;
  }

  private closedError(): IpmiError {
    return new IpmiError(IpmiErrorKind.SESSION, `${this.label}: the IPMI client is closed`);
  }

  private abortedError(what: string): IpmiError {
    return new IpmiError(IpmiErrorKind.ABORTED, `${this.label}: ${what} aborted`);
  }

  private async perform(
    request: IpmiRequest,
    signal: AbortSignal | undefined,
    mode: { byUser: boolean; reopen: boolean },
  ): Promise<IpmiResponse> {
    if (this.closing !== undefined) throw this.closedError();
    const release = await this.limit.acquire(signal, () => this.abortedError(describe(request)));
    try {
      if (mode.byUser) this.lastUse = Date.now();
      let reopened = !mode.reopen;
      for (;;) {
        const session = await this.established(signal);
        try {
          return await this.inSession(session, request, signal, this.settings.retries + 1);
        } catch (error) {
          const timedOut = error instanceof IpmiError && error.kind === IpmiErrorKind.TIMEOUT;
          if (!timedOut) throw error;
          // A BMC that forgot the session (reboot, session timeout) drops our
          // packets silently: forget it too, and try once with a new one.
          if (this.session === session) this.forgetSession();
          if (reopened || this.isClosing()) throw error;
          reopened = true;
        }
      }
    } finally {
      release();
      if (mode.byUser) this.lastUse = Date.now();
      this.scheduleKeepAlive();
    }
  }

  private established(signal: AbortSignal | undefined): Promise<ActiveSession> {
    if (this.opening === undefined && this.session !== undefined)
      return Promise.resolve(this.session);
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    const opening = this.opening;
    if (signal === undefined) return opening;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(this.abortedError('opening the session'));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      opening.then(
        (session) => {
          signal.removeEventListener('abort', onAbort);
          resolve(session);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  private async open(): Promise<ActiveSession> {
    await this.ensureRegistered();
    const suites = this.suitesToTry();
    const opened = await openSession(this.handshakeIo(), this.target, suites);
    const session: ActiveSession = {
      ...opened,
      outbound: 0,
      inbound: new SequenceWindow(REPLAY_WINDOW, MAX_SEQUENCE_JUMP),
    };
    this.session = session;
    this.expectedSessionId = session.consoleSessionId;
    if (this.target.cipherSuite === undefined) this.negotiated = session.suite;
    // RMCP+ sessions start at User level; ask for more when more is wanted.
    if (this.target.privilege > PrivilegeLevel.USER) {
      let response: IpmiResponse;
      try {
        response = await this.inSession(
          session,
          {
            netFn: NetFn.APP,
            command: AppCommand.SET_SESSION_PRIVILEGE_LEVEL,
            data: setSessionPrivilegeRequest(this.target.privilege),
          },
          undefined,
          this.settings.retries + 1,
        );
      } catch (error) {
        this.forgetSession();
        throw error;
      }
      if (response.completionCode !== 0) {
        await this.closeSession(session);
        throw new IpmiError(
          IpmiErrorKind.AUTHENTICATION,
          `${this.label} refused privilege level ${String(this.target.privilege)} (completion code 0x${response.completionCode.toString(16)})`,
        );
      }
    }
    return session;
  }

  private suitesToTry(): CipherSuite[] {
    const wanted = this.target.cipherSuite;
    if (wanted !== undefined) {
      const suite = cipherSuiteById(wanted);
      if (suite === undefined) {
        throw new IpmiError(
          IpmiErrorKind.SESSION,
          `${this.label}: cipher suite ${String(wanted)} is not supported (3 or 17)`,
        );
      }
      return [suite];
    }
    return this.negotiated !== undefined ? [this.negotiated] : [CIPHER_SUITE_17, CIPHER_SUITE_3];
  }

  private async ensureRegistered(): Promise<void> {
    if (this.registration !== undefined) return;
    this.endpoint ??= resolve(this.target.host).catch((error: unknown) => {
      this.endpoint = undefined;
      throw new IpmiError(
        IpmiErrorKind.SESSION,
        `${this.label}: cannot resolve the host (${error instanceof Error ? error.message : String(error)})`,
      );
    });
    const { address, family } = await this.endpoint;
    if (this.closing !== undefined) throw this.closedError();
    this.registration ??= this.transport.register(address, this.target.port, family, this);
  }

  private handshakeIo(): HandshakeIo {
    return {
      label: this.label,
      exchange: (what, build, match) =>
        this.exchange(what, build, match, undefined, this.settings.retries + 1),
      sendOnce: (datagram) => this.registration?.send(datagram),
      takeRqSeq: () => this.takeRqSeq(),
      releaseRqSeq: (rqSeq) => this.rqSeqsInUse.delete(rqSeq),
      newConsoleSessionId: () => this.sessionIds.take(),
      releaseConsoleSessionId: (id) => {
        this.sessionIds.release(id);
        if (this.expectedSessionId === id) this.expectedSessionId = 0;
      },
      expectConsoleSessionId: (id) => {
        this.expectedSessionId = id;
      },
    };
  }

  private takeRqSeq(): number {
    for (let step = 1; step <= 63; step++) {
      const candidate = ((this.lastRqSeq + step - 1) % 63) + 1;
      if (!this.rqSeqsInUse.has(candidate)) {
        this.lastRqSeq = candidate;
        this.rqSeqsInUse.add(candidate);
        return candidate;
      }
    }
    throw new IpmiError(IpmiErrorKind.PROTOCOL, `${this.label}: no free request sequence number`);
  }

  /** One request in `session`: each retry keeps the rqSeq and takes a new session sequence number. */
  private async inSession(
    session: ActiveSession,
    request: IpmiRequest,
    signal: AbortSignal | undefined,
    attempts: number,
  ): Promise<IpmiResponse> {
    const rqSeq = this.takeRqSeq();
    try {
      const message = encodeLanRequest({
        netFn: request.netFn,
        command: request.command,
        data: request.data ?? new Uint8Array(0),
        rqSeq,
        rsLun: request.lun ?? 0,
      });
      return await this.exchange(
        describe(request),
        () => {
          session.outbound = nextSequence(session.outbound);
          return encodeV20Packet(
            {
              payloadType: PayloadType.IPMI,
              sessionId: session.bmcSessionId,
              sequence: session.outbound,
              payload: message,
            },
            session.keys,
          );
        },
        (inbound) => {
          if (inbound.kind !== 'ipmi' || !inbound.inSession) return undefined;
          const r = inbound.response;
          const ours =
            r.rqSeq === rqSeq &&
            r.netFn === (request.netFn | 1) &&
            r.command === request.command &&
            r.rqAddr === REMOTE_CONSOLE_ADDRESS &&
            r.rsAddr === BMC_ADDRESS;
          return ours ? { completionCode: r.completionCode, data: r.data } : undefined;
        },
        signal,
        attempts,
      );
    } finally {
      this.rqSeqsInUse.delete(rqSeq);
    }
  }

  /**
   * Sends `build()` up to `attempts` times, `timeoutMs` apart, until `match`
   * recognises an answer. A late answer to an earlier attempt counts.
   */
  private exchange<T>(
    what: string,
    build: () => Uint8Array,
    match: (inbound: Inbound) => T | undefined,
    signal: AbortSignal | undefined,
    attempts: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closing !== undefined && !this.shuttingDownSession) {
        reject(this.closedError());
        return;
      }
      if (signal?.aborted === true) {
        reject(this.abortedError(what));
        return;
      }
      let sent = 0;
      let timer: NodeJS.Timeout | undefined;
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const waiter: Waiter = {
        accept: (inbound) => {
          let result: T | undefined;
          try {
            result = match(inbound);
          } catch {
            return false;
          }
          if (result === undefined) return false;
          finish(() => resolve(result));
          return true;
        },
        fail: (error) => finish(() => reject(error)),
      };
      const onAbort = (): void => finish(() => reject(this.abortedError(what)));
      const attempt = (): void => {
        if (sent >= attempts) {
          finish(() =>
            reject(
              new IpmiError(
                IpmiErrorKind.TIMEOUT,
                `${this.label}: no answer to ${what} after ${String(sent)} attempt(s) of ${String(this.settings.timeoutMs)} ms`,
              ),
            ),
          );
          return;
        }
        sent++;
        try {
          const registration = this.registration;
          if (registration === undefined) throw this.closedError();
          registration.send(build());
        } catch (error) {
          finish(() =>
            reject(
              error instanceof IpmiError
                ? error
                : new IpmiError(IpmiErrorKind.PROTOCOL, `${this.label}: cannot send ${what}`),
            ),
          );
          return;
        }
        timer = setTimeout(attempt, this.settings.timeoutMs);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      attempt();
    });
  }

  /** Sends Close Session (one attempt, answer or not) and forgets the session. */
  private async closeSession(session: ActiveSession): Promise<void> {
    this.shuttingDownSession = true;
    try {
      await this.inSession(
        session,
        {
          netFn: NetFn.APP,
          command: AppCommand.CLOSE_SESSION,
          data: closeSessionRequest(session.bmcSessionId),
        },
        undefined,
        1,
      );
    } catch {
      // Best effort: the BMC times the session out anyway.
    } finally {
      this.shuttingDownSession = false;
      if (this.session === session) this.forgetSession();
    }
  }

  private forgetSession(): void {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    this.sessionIds.release(session.consoleSessionId);
    if (this.expectedSessionId === session.consoleSessionId) this.expectedSessionId = 0;
    clearTimeout(this.keepAliveTimer);
    this.solSink?.sessionLost();
  }

  private scheduleKeepAlive(): void {
    clearTimeout(this.keepAliveTimer);
    if (this.closing !== undefined || this.session === undefined) return;
    const untilIdleClose = Math.max(0, this.lastUse + this.settings.idleCloseMs - Date.now());
    this.keepAliveTimer = setTimeout(
      () => void this.keepAlive(),
      Math.min(this.settings.keepAliveMs, untilIdleClose),
    );
    // Keeping a session alive is never a reason to keep the process alive.
    this.keepAliveTimer.unref();
  }

  private async keepAlive(): Promise<void> {
    const session = this.session;
    if (session === undefined || this.closing !== undefined || this.opening !== undefined) return;
    if (Date.now() - this.lastUse >= this.settings.idleCloseMs) {
      await this.closeSession(session);
      return;
    }
    try {
      await this.perform(GET_DEVICE_ID, undefined, { byUser: false, reopen: false });
    } catch {
      // The session is forgotten on timeout; the next request opens a new one.
    }
  }

  private async shutDown(): Promise<void> {
    clearTimeout(this.keepAliveTimer);
    const opening = this.opening;
    if (opening !== undefined) {
      // Do not wait for a handshake to time out: fail it now.
      this.failWaiters();
      await opening.then(
        () => undefined,
        () => undefined,
      );
    }
    const session = this.session;
    if (session !== undefined) await this.closeSession(session);
    this.failWaiters();
    this.registration?.unregister();
    this.registration = undefined;
  }

  private failWaiters(): void {
    for (const waiter of [...this.waiters]) waiter.fail(this.closedError());
  }
}

async function resolve(host: string): Promise<{ address: string; family: AddressFamily }> {
  const literal = isIP(host);
  if (literal !== 0) return { address: normalize(host, literal), family: literal === 6 ? 6 : 4 };
  const found = await lookup(host);
  const family = found.family === 6 ? 6 : 4;
  return { address: normalize(found.address, family), family };
}

/** The textual form the socket reports as a datagram's source, for routing. */
function normalize(address: string, family: number): string {
  return family === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

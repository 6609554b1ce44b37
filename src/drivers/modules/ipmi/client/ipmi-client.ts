/**
 * Ferrite's IPMI v2.0 LAN (RMCP+) client: one channel and one session per
 * BMC and login, all multiplexed over a few shared UDP sockets.
 */
import { createHash } from 'node:crypto';
import type { BmcTarget, IpmiChannel } from '../types.ts';
import { IpmiError, IpmiErrorKind } from '../types.ts';
import type { ChannelSettings } from './bmc-channel.ts';
import { BmcChannel } from './bmc-channel.ts';
import type { OpenSolOptions } from './open-sol.ts';
import { openSolOnChannel } from './open-sol.ts';
import type { SolSession } from './sol-session.ts';
import { SessionIdAllocator } from './session-ids.ts';
import { UdpTransport } from './udp-transport.ts';

export interface IpmiClientOptions {
  /** Time to wait for each attempt's answer (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Retransmissions after the first attempt (default 3). */
  readonly retries?: number;
  /** Requests in flight per BMC; the rest queue (default 2, at most 32). */
  readonly maxInFlightPerBmc?: number;
  /** Idle time after which a session gets a Get Device ID to stay open (default 30 s; BMCs drop sessions after ~60 s). */
  readonly keepAliveMs?: number;
  /** Idle time after which a session is closed (default 5 min). */
  readonly idleCloseMs?: number;
  /** UDP sockets per address family shared by all BMCs (default 4). */
  readonly sockets?: number;
}

export interface IpmiClientStats {
  /** UDP sockets open. */
  readonly sockets: number;
  /** Sessions established now. */
  readonly sessions: number;
  /** Datagrams dropped: garbage, foreign sessions, failed integrity, replays, unmatched answers. */
  readonly droppedPackets: number;
}

const DEFAULTS = {
  timeoutMs: 1_000,
  retries: 3,
  maxInFlightPerBmc: 2,
  keepAliveMs: 30_000,
  idleCloseMs: 300_000,
  sockets: 4,
};

function positive(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `IpmiClient: ${name} must be an integer from ${String(min)} to ${String(max)}`,
    );
  }
  return value;
}

export class IpmiClient {
  private readonly settings: ChannelSettings;
  private readonly transport: UdpTransport;
  private readonly sessionIds = new SessionIdAllocator();
  private readonly channels = new Map<string, BmcChannel>();
  private readonly solSessions = new Set<SolSession>();
  private readonly solOpenings = new Set<BmcChannel>();
  private closing?: Promise<void>;

  constructor(options: IpmiClientOptions = {}) {
    this.settings = {
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? DEFAULTS.timeoutMs, 1),
      retries: positive('retries', options.retries ?? DEFAULTS.retries, 0, 100),
      maxInFlight: positive(
        'maxInFlightPerBmc',
        options.maxInFlightPerBmc ?? DEFAULTS.maxInFlightPerBmc,
        1,
        32,
      ),
      keepAliveMs: positive('keepAliveMs', options.keepAliveMs ?? DEFAULTS.keepAliveMs, 1),
      idleCloseMs: positive('idleCloseMs', options.idleCloseMs ?? DEFAULTS.idleCloseMs, 1),
    };
    this.transport = new UdpTransport(
      positive('sockets', options.sockets ?? DEFAULTS.sockets, 1, 64),
    );
  }

  /** The channel to `target`: the same object for the same BMC, login, privilege and suite. */
  channel(target: BmcTarget): IpmiChannel {
    if (this.closing !== undefined) {
      return {
        request: () =>
          Promise.reject(
            new IpmiError(
              IpmiErrorKind.SESSION,
              `IPMI BMC ${target.host}:${String(target.port)}: the IPMI client is closed`,
            ),
          ),
      };
    }
    // The password is part of the identity (a changed one needs a new session) only as a hash.
    const key = [
      target.host.toLowerCase(),
      target.port,
      target.username,
      target.privilege,
      target.cipherSuite ?? 'auto',
      createHash('sha256').update(target.password).digest('base64'),
    ].join('\u0000');
    let channel = this.channels.get(key);
    if (channel === undefined) {
      channel = new BmcChannel(target, this.transport, this.sessionIds, this.settings);
      this.channels.set(key, channel);
    }
    return channel;
  }

  /**
   * Activates Serial over LAN on `target` in a session of its own (not the
   * BMC's command session, so commands and the console never wait for each
   * other). Rejects with an IpmiError: kind 'session' when SOL is already
   * active elsewhere (pass `force` to deactivate it first).
   */
  async openSol(target: BmcTarget, options: OpenSolOptions = {}): Promise<SolSession> {
    if (this.closing !== undefined) {
      throw new IpmiError(
        IpmiErrorKind.SESSION,
        `IPMI BMC ${target.host}:${String(target.port)}: the IPMI client is closed`,
      );
    }
    // A SOL session lives as long as the console is used: no idle close.
    const channel = new BmcChannel(target, this.transport, this.sessionIds, {
      ...this.settings,
      idleCloseMs: Number.MAX_SAFE_INTEGER,
    });
    this.solOpenings.add(channel);
    let session: SolSession;
    try {
      session = await openSolOnChannel(channel, target, this.settings, options);
    } finally {
      this.solOpenings.delete(channel);
    }
    if (this.isClosing()) {
      await session.close();
      throw new IpmiError(IpmiErrorKind.SESSION, `${channel.label}: the IPMI client is closed`);
    }
    this.solSessions.add(session);
    void session.closed.then(() => this.solSessions.delete(session));
    return session;
  }

  /** A method, not a field test, so that checks after an await are not narrowed away. */
  private isClosing(): boolean {
    return this.closing !== undefined;
  }

  stats(): IpmiClientStats {
    let sessions = 0;
    for (const channel of this.channels.values()) if (channel.hasSession) sessions++;
    return {
      sockets: this.transport.socketCount,
      sessions,
      droppedPackets: this.transport.dropped,
    };
  }

  /** Closes every session (best effort) and the sockets; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // SOL first: deactivating the payload needs its session and the sockets.
      await Promise.all([...this.solSessions].map((session) => session.close()));
      await Promise.all([...this.solOpenings].map((channel) => channel.close()));
      await Promise.all([...this.channels.values()].map((channel) => channel.close()));
      await this.transport.close();
    })();
    return this.closing;
  }
}

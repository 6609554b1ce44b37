/**
 * The remote console's side of an active SOL payload: characters written
 * go out in numbered packets, one outstanding at a time, resent until the
 * BMC acks them (partial acks send the rest in a new packet); characters
 * from the BMC are acked and handed on once, a retransmission the BMC sent
 * because our ack got lost is acked again and dropped.
 */
import type { SolFlight, SolPacket } from '../protocol/sol.ts';
import {
  decodeSolPacket,
  encodeSolPacket,
  MAX_SOL_CHARACTERS,
  nextSolFlight,
  SOL_HEADER_LENGTH,
  solAck,
  SolStatus,
} from '../protocol/sol.ts';
import { IpmiError, IpmiErrorKind } from '../types.ts';

/** How a SOL session ended. */
export interface SolEnd {
  /** closed: by close(); deactivated: by the BMC (another session deactivated it); lost: no answer. */
  readonly reason: 'closed' | 'deactivated' | 'lost';
  readonly error?: IpmiError;
}

/** A serial console of a host, over its BMC's SOL payload. */
export interface SolSession {
  /** Sends characters to the host's serial port; resolves once the BMC accepted them all. */
  write(bytes: Uint8Array | string): Promise<void>;
  /**
   * Calls `listener` with the characters the host sends, in order; returns
   * the unsubscribe function. Characters that arrive while nobody listens
   * are kept (up to 64 KiB) for the first listener.
   */
  onData(listener: (bytes: Buffer) => void): () => void;
  /** Deactivates the payload, then closes the session; idempotent. */
  close(): Promise<void>;
  /** Resolves (never rejects) when the session has ended, however it ended. */
  readonly closed: Promise<SolEnd>;
  readonly isOpen: boolean;
}

/** What a SOL session needs from the RMCP+ session under it. */
export interface SolLink {
  readonly label: string;
  /** Sends one SOL payload, sealed, once. */
  send(payload: Buffer): void;
  /** Deactivate Payload, best effort. */
  deactivate(): Promise<void>;
  /** Closes the RMCP+ session, best effort. */
  closeSession(): Promise<void>;
}

export interface SolSettings {
  /** Time to wait for an ack before resending. */
  readonly retryMs: number;
  /** Resends of a data packet before the session counts as lost. */
  readonly retries: number;
  /** The BMC's inbound payload size from Activate Payload (header included). */
  readonly inboundPayloadSize: number;
}

interface PendingWrite {
  readonly bytes: Buffer;
  offset: number;
  resolve(): void;
  reject(error: IpmiError): void;
}

const UNHEARD_LIMIT = 64 * 1024;

export class ActiveSolSession implements SolSession {
  readonly closed: Promise<SolEnd>;
  private resolveClosed!: (end: SolEnd) => void;
  private ending?: Promise<void>;
  private readonly writes: PendingWrite[] = [];
  private inFlight?: SolFlight;
  private outboundSequence = 0;
  private lastInbound?: { sequence: number; count: number };
  private readonly listeners = new Set<(bytes: Buffer) => void>();
  private unheard: Buffer[] = [];
  private unheardBytes = 0;
  private readonly chunk: number;

  constructor(
    private readonly link: SolLink,
    private readonly settings: SolSettings,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    // Some BMCs report 0 or a tiny size; every BMC takes a few characters.
    const room = settings.inboundPayloadSize - SOL_HEADER_LENGTH;
    this.chunk = Math.max(16, Math.min(MAX_SOL_CHARACTERS, room));
  }

  get isOpen(): boolean {
    return this.ending === undefined;
  }

  write(bytes: Uint8Array | string): Promise<void> {
    if (this.ending !== undefined) return Promise.reject(this.closedError());
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
    if (buffer.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.writes.push({ bytes: buffer, offset: 0, resolve, reject });
      this.pump();
    });
  }

  onData(listener: (bytes: Buffer) => void): () => void {
    this.listeners.add(listener);
    if (this.unheard.length > 0) {
      const kept = Buffer.concat(this.unheard);
      this.unheard = [];
      this.unheardBytes = 0;
      listener(kept);
    }
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.end({ reason: 'closed' }, true);
  }

  /** A SOL payload from the BMC (already authenticated and in the session's window). */
  receive(payload: Buffer): void {
    if (this.ending !== undefined) return;
    let packet: SolPacket;
    try {
      packet = decodeSolPacket(payload);
    } catch {
      return;
    }
    if (packet.ackSequence !== 0) this.acked(packet);
    if (packet.sequence !== 0) this.arrived(packet);
    if ((packet.flags & SolStatus.DEACTIVATING) !== 0) {
      void this.end({ reason: 'deactivated' }, false);
    }
  }

  /** The session under SOL is gone. */
  sessionLost(): void {
    void this.end(
      {
        reason: 'lost',
        error: new IpmiError(IpmiErrorKind.TIMEOUT, `${this.link.label}: the SOL session was lost`),
      },
      false,
    );
  }

  private acked(packet: SolPacket): void {
    const flight = this.inFlight;
    if (flight === undefined || packet.ackSequence !== flight.sequence) return;
    // A NACK (BMC busy) or nothing accepted: leave the packet to its retry timer.
    if ((packet.flags & SolStatus.NACK) !== 0 || packet.acceptedCount === 0) return;
    clearTimeout(flight.timer);
    this.inFlight = undefined;
    const head = this.writes[0];
    if (head !== undefined) {
      head.offset += Math.min(packet.acceptedCount, flight.count);
      if (head.offset >= head.bytes.length) {
        this.writes.shift();
        head.resolve();
      }
    }
    this.pump();
  }

  private arrived(packet: SolPacket): void {
    const count = packet.data.length;
    const last = this.lastInbound;
    // Always ack: when this is a resend, our first ack was lost.
    this.sendQuietly(solAck(packet.sequence, count));
    if (last !== undefined && last.sequence === packet.sequence && last.count === count) return;
    this.lastInbound = { sequence: packet.sequence, count };
    if (count === 0) return;
    if (this.listeners.size === 0) {
      if (this.unheardBytes + count <= UNHEARD_LIMIT) {
        this.unheard.push(packet.data);
        this.unheardBytes += count;
      }
      return;
    }
    for (const listener of this.listeners) listener(packet.data);
  }

  /** Sends the next packet of the oldest write, unless one is outstanding. */
  private pump(): void {
    if (this.inFlight !== undefined || this.ending !== undefined) return;
    const head = this.writes[0];
    if (head === undefined) return;
    const data = head.bytes.subarray(head.offset, head.offset + this.chunk);
    const flight = nextSolFlight(this.outboundSequence, data);
    this.outboundSequence = flight.sequence;
    this.inFlight = flight;
    this.transmit(flight);
  }

  private transmit(flight: SolFlight): void {
    if (flight.attempts > this.settings.retries) {
      void this.end(
        {
          reason: 'lost',
          error: new IpmiError(
            IpmiErrorKind.TIMEOUT,
            `${this.link.label}: SOL data not acknowledged after ${String(flight.attempts)} attempt(s) of ${String(this.settings.retryMs)} ms`,
          ),
        },
        false,
      );
      return;
    }
    flight.attempts++;
    this.sendQuietly(flight.payload);
    flight.timer = setTimeout(() => this.transmit(flight), this.settings.retryMs);
  }

  private sendQuietly(packet: SolPacket | Buffer): void {
    try {
      this.link.send(Buffer.isBuffer(packet) ? packet : encodeSolPacket(packet));
    } catch {
      // The session is going away; sessionLost or close ends this session.
    }
  }

  private closedError(): IpmiError {
    return new IpmiError(IpmiErrorKind.SESSION, `${this.link.label}: the SOL session is closed`);
  }

  private end(how: SolEnd, deactivate: boolean): Promise<void> {
    this.ending ??= (async () => {
      clearTimeout(this.inFlight?.timer);
      this.inFlight = undefined;
      const error = how.error ?? this.closedError();
      for (const write of this.writes.splice(0)) write.reject(error);
      if (deactivate) await this.link.deactivate().catch(() => undefined);
      await this.link.closeSession().catch(() => undefined);
      this.listeners.clear();
      this.resolveClosed(how);
    })();
    return this.ending;
  }
}

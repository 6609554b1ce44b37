/**
 * The BMC's side of one active SOL payload: host output goes to the
 * remote console in numbered packets, one outstanding at a time, resent
 * until acked (and dropped after a few tries, as a BMC with a small buffer
 * does); characters from the console go to the host once, a resend of a
 * packet whose ack was lost is acked again and not delivered twice.
 */
import type { SolFlight, SolPacket } from '../../drivers/modules/ipmi/protocol/sol.ts';
import {
  decodeSolPacket,
  encodeSolPacket,
  MAX_SOL_CHARACTERS,
  nextSolFlight,
  nextSolSequence,
  solAck,
  SolStatus,
} from '../../drivers/modules/ipmi/protocol/sol.ts';
import type { SolSerialPort } from './serial-console.ts';

export interface SolEndpointOptions {
  /** Seals a SOL payload into the owning session and sends it to the console. */
  readonly send: (payload: Buffer) => void;
  readonly serial: SolSerialPort;
  /** Characters per packet at most. */
  readonly chunk: number;
  readonly retryMs: number;
  /** Resends of an unacked packet before it is dropped. */
  readonly retries: number;
}

/** Host output kept while the console is slow; more is dropped, as a BMC's FIFO overflows. */
const OUTPUT_LIMIT = 64 * 1024;

export class SolEndpoint {
  private pending = Buffer.alloc(0);
  private inFlight?: SolFlight;
  private outboundSequence = 0;
  private lastInbound?: { sequence: number; count: number };
  private readonly disconnect: () => void;
  private stopped = false;
  /** Data packets the console sent twice (its ack was lost or late). */
  duplicates = 0;
  /** Packets resent for want of an ack. */
  resends = 0;

  constructor(private readonly options: SolEndpointOptions) {
    this.disconnect = options.serial.connect((bytes) => this.hostOutput(bytes));
  }

  /** A SOL payload from the console (authenticated, in the session's window). */
  receive(payload: Buffer): void {
    if (this.stopped) return;
    let packet: SolPacket;
    try {
      packet = decodeSolPacket(payload);
    } catch {
      return;
    }
    if (packet.ackSequence !== 0) this.acked(packet);
    if (packet.sequence === 0) return;
    const count = packet.data.length;
    this.options.send(encodeSolPacket(solAck(packet.sequence, count)));
    const last = this.lastInbound;
    if (last !== undefined && last.sequence === packet.sequence && last.count === count) {
      this.duplicates++;
      return;
    }
    this.lastInbound = { sequence: packet.sequence, count };
    if (count > 0) this.options.serial.input(packet.data);
  }

  /** Ends SOL; with `notify`, tells the console (status "deactivating") first. */
  stop(notify: boolean): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.inFlight?.timer);
    this.inFlight = undefined;
    this.disconnect();
    if (notify) {
      const sequence = nextSolSequence(this.outboundSequence);
      this.options.send(
        encodeSolPacket({
          sequence,
          ackSequence: 0,
          acceptedCount: 0,
          flags: SolStatus.DEACTIVATING,
          data: Buffer.alloc(0),
        }),
      );
    }
  }

  private hostOutput(bytes: Buffer): void {
    if (this.stopped) return;
    const room = OUTPUT_LIMIT - this.pending.length;
    if (room <= 0) return;
    this.pending = Buffer.concat([this.pending, bytes.subarray(0, room)]);
    this.pump();
  }

  private acked(packet: SolPacket): void {
    const flight = this.inFlight;
    if (flight === undefined || packet.ackSequence !== flight.sequence) return;
    if ((packet.flags & SolStatus.NACK) !== 0 || packet.acceptedCount === 0) return;
    clearTimeout(flight.timer);
    this.inFlight = undefined;
    this.pending = this.pending.subarray(Math.min(packet.acceptedCount, flight.count));
    this.pump();
  }

  private pump(): void {
    if (this.inFlight !== undefined || this.stopped || this.pending.length === 0) return;
    const chunk = Math.max(1, Math.min(MAX_SOL_CHARACTERS, this.options.chunk));
    const data = this.pending.subarray(0, chunk);
    const flight = nextSolFlight(this.outboundSequence, data);
    this.outboundSequence = flight.sequence;
    this.inFlight = flight;
    this.transmit(flight);
  }

  private transmit(flight: SolFlight): void {
    if (this.stopped || this.inFlight !== flight) return;
    if (flight.attempts > this.options.retries) {
      // The console is gone or deaf: drop these characters and go on.
      this.inFlight = undefined;
      this.pending = this.pending.subarray(flight.count);
      this.pump();
      return;
    }
    if (flight.attempts > 0) this.resends++;
    flight.attempts++;
    this.options.send(flight.payload);
    flight.timer = setTimeout(() => this.transmit(flight), this.options.retryMs);
    flight.timer.unref();
  }
}

/**
 * A few UDP sockets shared by every BMC of a client. Each BMC channel is
 * pinned to one socket (round robin); a datagram is routed by its source
 * address and port, then by the RMCP+ session ID, which the client chose
 * and keeps unique. Packets without one (session setup, session-less
 * answers) are offered to each channel of that address until one takes
 * it. So thousands of BMCs need a handful of file descriptors.
 */
import type { Socket } from 'node:dgram';
import { createSocket } from 'node:dgram';
import type { Packet } from '../protocol/packet.ts';
import { parsePacket } from '../protocol/packet.ts';

export type AddressFamily = 4 | 6;

/** What the transport needs from a BMC channel. */
export interface TransportPeer {
  /** The console session ID of its current session (0 when none). */
  readonly consoleSessionId: number;
  /** Offers a packet from the peer's BMC; returns whether it was for this peer. */
  deliver(packet: Packet): boolean;
}

export interface Registration {
  send(datagram: Uint8Array): void;
  unregister(): void;
}

interface SharedSocket {
  readonly socket: Socket;
  readonly peers: Map<string, Set<TransportPeer>>;
}

function endpointKey(address: string, port: number): string {
  return `${address}|${String(port)}`;
}

export class UdpTransport {
  private readonly sockets: Record<AddressFamily, SharedSocket[]> = { 4: [], 6: [] };
  private readonly next: Record<AddressFamily, number> = { 4: 0, 6: 0 };
  private droppedCount = 0;
  private closed = false;

  constructor(private readonly socketsPerFamily: number) {}

  /** Datagrams that were garbage or that no channel recognised. */
  get dropped(): number {
    return this.droppedCount;
  }

  get socketCount(): number {
    return this.sockets[4].length + this.sockets[6].length;
  }

  register(
    address: string,
    port: number,
    family: AddressFamily,
    peer: TransportPeer,
  ): Registration {
    if (this.closed) throw new Error('the IPMI client is closed');
    const shared = this.pick(family);
    const key = endpointKey(address, port);
    let peers = shared.peers.get(key);
    if (peers === undefined) {
      peers = new Set();
      shared.peers.set(key, peers);
    }
    peers.add(peer);
    return {
      send: (datagram) => {
        if (!this.closed) shared.socket.send(datagram, port, address);
      },
      unregister: () => {
        const set = shared.peers.get(key);
        set?.delete(peer);
        if (set?.size === 0) shared.peers.delete(key);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.sockets[4], ...this.sockets[6]];
    await Promise.all(
      all.map(
        ({ socket }) =>
          new Promise<void>((resolve) => {
            try {
              socket.close(() => resolve());
            } catch {
              resolve();
            }
          }),
      ),
    );
  }

  private pick(family: AddressFamily): SharedSocket {
    const pool = this.sockets[family];
    const index = this.next[family]++ % this.socketsPerFamily;
    const existing = pool[index];
    if (existing !== undefined) return existing;
    const shared: SharedSocket = {
      socket: createSocket(family === 6 ? 'udp6' : 'udp4'),
      peers: new Map(),
    };
    shared.socket.on('message', (datagram, from) => this.receive(shared, datagram, from));
    // ICMP port unreachable and the like surface as errors: the retry logic handles loss.
    shared.socket.on('error', () => undefined);
    // Sends issued before the bind completes are queued by Node.
    shared.socket.bind(0);
    // An idle client must not keep the process alive; pending requests hold timers that do.
    shared.socket.unref();
    pool[index] = shared;
    return shared;
  }

  private receive(
    shared: SharedSocket,
    datagram: Buffer,
    from: { address: string; port: number },
  ): void {
    const peers = shared.peers.get(endpointKey(from.address, from.port));
    if (peers === undefined) {
      this.droppedCount++;
      return;
    }
    let packet: Packet;
    try {
      packet = parsePacket(datagram);
    } catch {
      this.droppedCount++;
      return;
    }
    if (packet.format === 'v2.0' && packet.sessionId !== 0) {
      for (const peer of peers) {
        if (peer.consoleSessionId === packet.sessionId) {
          if (!peer.deliver(packet)) this.droppedCount++;
          return;
        }
      }
      this.droppedCount++;
      return;
    }
    for (const peer of peers) if (peer.deliver(packet)) return;
    this.droppedCount++;
  }
}

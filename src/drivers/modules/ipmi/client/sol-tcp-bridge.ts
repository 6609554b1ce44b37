/**
 * A host's serial console on a TCP port (what Ironic's ipmitool-socat
 * console offers): each TCP connection gets a SOL session of its own with
 * the BMC, opened when the client connects and closed when it leaves.
 *
 * One connection at a time, as a BMC has one SOL instance: a second client
 * gets a one-line message and is disconnected (sharing the session would
 * mix two people's keystrokes on one serial line).
 */
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { IpmiError } from '../types.ts';
import type { SolEnd, SolSession } from './sol-session.ts';

export interface SolTcpBridgeOptions {
  /** Address to listen on. */
  readonly host: string;
  /** Ports to try in order; undefined: any free port. */
  readonly ports?: { readonly min: number; readonly max: number };
  /** Opens the SOL session for a new connection (aborted when the client leaves first). */
  readonly open: (signal: AbortSignal) => Promise<SolSession>;
}

interface Connection {
  readonly socket: Socket;
  readonly aborter: AbortController;
  sol?: SolSession;
}

const BUSY_MESSAGE =
  'ferrite: this serial console is in use by another connection (one at a time)\r\n';

function endMessage(end: SolEnd): string {
  if (end.reason === 'closed') return '';
  const why =
    end.reason === 'deactivated'
      ? 'the BMC deactivated SOL (another session took it over)'
      : (end.error?.message ?? 'the BMC stopped answering');
  return `\r\nferrite: the serial console ended: ${why}\r\n`;
}

export class SolTcpBridge {
  private current?: Connection;
  private closing?: Promise<void>;
  /** Every socket still open, so that close() does not wait for clients to leave. */
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly options: SolTcpBridgeOptions,
    readonly port: number,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on the first free port of the range (or any free port). */
  static async start(options: SolTcpBridgeOptions): Promise<SolTcpBridge> {
    const candidates =
      options.ports === undefined
        ? [0]
        : Array.from(
            { length: options.ports.max - options.ports.min + 1 },
            (_, i) => (options.ports?.min ?? 0) + i,
          );
    let lastError: unknown;
    for (const candidate of candidates) {
      const server = createServer({ pauseOnConnect: true });
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(candidate, options.host, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        lastError = error;
        continue;
      }
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : candidate;
      return new SolTcpBridge(server, options, port);
    }
    const range =
      options.ports === undefined
        ? 'a free port'
        : `a port from ${String(options.ports.min)} to ${String(options.ports.max)}`;
    const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
    throw new Error(`cannot listen on ${options.host}, ${range}${reason}`);
  }

  /** Whether a client is connected now. */
  get connected(): boolean {
    return this.current !== undefined;
  }

  /** Stops listening, disconnects the client and closes its SOL session; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      const connection = this.current;
      for (const socket of this.sockets) socket.destroy();
      if (connection !== undefined) {
        connection.aborter.abort();
        connection.socket.destroy();
        await connection.sol?.close();
      }
      await closed;
    })();
    return this.closing;
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.current !== undefined || this.closing !== undefined) {
      socket.end(BUSY_MESSAGE);
      // Read on (and discard), or the client's FIN would never be seen.
      socket.resume();
      return;
    }
    const connection: Connection = { socket, aborter: new AbortController() };
    this.current = connection;
    socket.once('close', () => {
      connection.aborter.abort();
      if (this.current === connection) this.current = undefined;
      void connection.sol?.close();
    });
    void this.bridge(connection);
  }

  private async bridge(connection: Connection): Promise<void> {
    const { socket } = connection;
    let sol: SolSession;
    try {
      sol = await this.options.open(connection.aborter.signal);
    } catch (error) {
      const message = error instanceof IpmiError ? error.message : 'cannot open SOL';
      if (!socket.destroyed) socket.end(`ferrite: cannot open the serial console: ${message}\r\n`);
      return;
    }
    connection.sol = sol;
    if (socket.destroyed || this.closing !== undefined) {
      await sol.close();
      return;
    }
    sol.onData((bytes) => socket.write(bytes));
    void sol.closed.then((end) => {
      if (!socket.destroyed) socket.end(endMessage(end));
    });
    socket.on('data', (chunk: Buffer) => {
      // SOL takes one packet at a time: hold the TCP side until the BMC has it.
      socket.pause();
      sol.write(chunk).then(
        () => socket.resume(),
        () => socket.destroy(),
      );
    });
    socket.resume();
  }
}

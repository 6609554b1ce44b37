/**
 * An emulated BMC's IPMI v2.0 LAN interface: one UDP socket per server,
 * the RMCP+ session layer of session-responder.ts, and a handler that
 * answers the IPMI commands. Many servers run side by side in one process,
 * each on its own port (startIpmiLanServers).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { cipherSuiteById } from '../../drivers/modules/ipmi/protocol/cipher-suites.ts';
import type { IpmiCommandHandler } from '../../drivers/modules/ipmi/types.ts';
import type { SolSerialPort } from './serial-console.ts';
import type { IpmiLanUser } from './session-responder.ts';
import { SessionResponder } from './session-responder.ts';

export type { IpmiLanUser } from './session-responder.ts';

export interface IpmiLanServerOptions {
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** UDP port (default 0: a free one). */
  readonly port?: number;
  readonly users: readonly IpmiLanUser[];
  /** Cipher suites offered (default [3, 17]). */
  readonly cipherSuites?: readonly number[];
  readonly handler: IpmiCommandHandler;
  /** Idle time after which a session is dropped (default 60 s, as on real BMCs). */
  readonly sessionTimeoutMs?: number;
  /** The BMC GUID (16 bytes, default random). */
  readonly guid?: Uint8Array;
  /**
   * For tests that simulate a lossy network: called with every datagram
   * received; returning false drops it unseen.
   */
  readonly inboundFilter?: (datagram: Uint8Array) => boolean;
  /** The host's serial port, offered as SOL (payload type 1, instance 1). */
  readonly serial?: SolSerialPort;
  /** SOL: wait for an ack before resending (default 500 ms). */
  readonly solRetryMs?: number;
}

export interface IpmiLanServer {
  readonly host: string;
  readonly port: number;
  /** Sessions open or being opened. */
  sessionCount(): number;
  close(): Promise<void>;
}

const DEFAULT_SESSION_TIMEOUT_MS = 60_000;

export async function startIpmiLanServer(options: IpmiLanServerOptions): Promise<IpmiLanServer> {
  const host = options.host ?? '127.0.0.1';
  const suites = (options.cipherSuites ?? [3, 17]).map((id) => {
    const suite = cipherSuiteById(id);
    if (suite === undefined) throw new Error(`cipher suite ${String(id)} is not supported`);
    return suite;
  });
  const sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  const responder = new SessionResponder({
    users: options.users,
    cipherSuites: suites,
    handler: options.handler,
    sessionTimeoutMs,
    guid: options.guid ?? randomBytes(16),
    ...(options.serial === undefined ? {} : { serial: options.serial }),
    ...(options.solRetryMs === undefined ? {} : { solRetryMs: options.solRetryMs }),
    payloadPort: () => socket.address().port,
  });
  let closed = false;
  socket.on('error', () => {
    // A send to a vanished peer (ICMP unreachable) is no reason to stop serving.
  });
  socket.on('message', (datagram, peer) => {
    if (options.inboundFilter?.(datagram) === false) return;
    const sendBack = (reply: Buffer): void => {
      if (!closed) socket.send(reply, peer.port, peer.address);
    };
    void responder.respond(datagram, sendBack).then((reply) => {
      if (reply !== undefined) sendBack(reply);
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const sweep = setInterval(
    () => responder.expire(),
    Math.max(50, Math.min(sessionTimeoutMs / 2, 5_000)),
  );
  sweep.unref();
  const port = socket.address().port;
  return {
    host,
    port,
    sessionCount: () => responder.sessionCount(),
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(sweep);
      responder.close();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** `count` servers on distinct free ports, all with the same users and (shared) handler. */
export async function startIpmiLanServers(
  count: number,
  options: Omit<IpmiLanServerOptions, 'port'> | ((index: number) => IpmiLanServerOptions),
): Promise<IpmiLanServer[]> {
  const started = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      startIpmiLanServer(typeof options === 'function' ? options(index) : options),
    ),
  );
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = started.find((result) => result.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(servers.map((server) => server.close()));
    throw failure.reason;
  }
  return servers;
}

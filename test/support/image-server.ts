/**
 * A local HTTP server of images for agent tests: each path answers its
 * bytes, optionally stopping after some of them until the test lets it go
 * on (an agent can then be killed in the middle of a write).
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ServedFile {
  readonly body: Buffer;
  /** Send this many bytes, then hold the rest until `release()`. */
  readonly stallAfter?: number;
}

export interface ImageServer {
  readonly url: string;
  serve(path: string, file: ServedFile): void;
  /** Lets stalled answers finish. */
  release(): void;
  /** How many requests each path received. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startImageServer(): Promise<ImageServer> {
  const files = new Map<string, ServedFile>();
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  let release: () => void = () => {};
  let released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const file = files.get(path);
    if (!file) {
      response.writeHead(404).end('not here');
      return;
    }
    response.writeHead(200, {
      'content-length': file.body.length,
      'content-type': 'application/octet-stream',
    });
    if (file.stallAfter === undefined) {
      response.end(file.body);
      return;
    }
    response.write(file.body.subarray(0, file.stallAfter));
    void released.then(() => response.end(file.body.subarray(file.stallAfter)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    serve: (path, file) => files.set(path, file),
    release: () => {
      release();
      released = new Promise<void>((resolve) => (release = resolve));
    },
    hits,
    close: async () => {
      release();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

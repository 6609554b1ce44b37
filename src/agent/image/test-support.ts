/**
 * What the image and disk tests share: a local HTTP server with routes of
 * the test's choosing, sparse "disks" in a temporary directory, and the
 * rule for tests that need qemu-img (under CI=true its absence is a failure).
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Route = (request: IncomingMessage, response: ServerResponse) => void;

/** A server on 127.0.0.1 and a free port; counts the requests for each path. */
export interface TestServer {
  readonly base: string;
  readonly hits: Map<string, number>;
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const hits = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler === undefined) response.writeHead(404).end('not here');
    else handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    base: `http://127.0.0.1:${address.port}`,
    hits,
    route: (path, handler) => routes.set(path, handler),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Serves `body` with a Content-Length (or chunked, without one). */
export function serveBytes(body: Buffer, options: { chunked?: boolean } = {}): Route {
  return (_request, response) => {
    response.writeHead(
      200,
      options.chunked === true
        ? { 'content-type': 'application/octet-stream' }
        : { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
    );
    response.end(body);
  };
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
export const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');
export const MIB = 1024 * 1024;

/** A temporary directory with sparse disk files in it, removed by cleanup(). */
export interface Workspace {
  readonly dir: string;
  disk(name: string, size: number, fill?: number): Promise<string>;
  cleanup(): Promise<void>;
}

export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'ferrite-agent-test-'));
  return {
    dir,
    disk: async (name, size, fill) => {
      const path = join(dir, name);
      if (fill === undefined) {
        await writeFile(path, '');
        await truncate(path, size);
      } else {
        await writeFile(path, Buffer.alloc(size, fill));
      }
      return path;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export const randomImage = (size: number): Buffer => randomBytes(size);

/** True when every byte of `data` is zero. */
export function allZero(data: Buffer): boolean {
  for (let offset = 0; offset < data.length; offset += 8) {
    if (offset + 8 <= data.length) {
      if (data.readBigUInt64LE(offset) !== 0n) return false;
    } else if (data.subarray(offset).some((byte) => byte !== 0)) return false;
  }
  return true;
}

export const readDisk = (path: string): Promise<Buffer> => readFile(path);

/**
 * Why the qemu-img tests cannot run, or false when they can. Under CI=true
 * a missing qemu-img must fail a test (see the test that checks for it);
 * elsewhere they skip with this reason.
 */
export function qemuImgMissing(): string | false {
  const probe = spawnSync(process.env.FERRITE_QEMU_IMG ?? 'qemu-img', ['--version'], {
    stdio: 'ignore',
  });
  if (probe.error === undefined && probe.status === 0) return false;
  return 'qemu-img is not installed (Debian package qemu-utils; scripts/ensure-agent-peers.sh installs it)';
}

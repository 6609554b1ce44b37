import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorResponse } from '../error-body.ts';

/** Where a GET of the boot files starts. */
export const BOOT_FILES_PREFIX = '/boot';

/** A byte range to send, inclusive of `end`. */
interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The one range of a `Range: bytes=…` header, undefined to send the whole
 * file (no header, another unit, several ranges), or 'unsatisfiable'.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** A path below the root made of plain names: no `.`, `..`, empty segments or NULs. */
function plainSegments(path: string): string[] | undefined {
  const segments = path.split('/');
  const bad = (segment: string): boolean =>
    segment === '' || segment === '.' || segment === '..' || /[\0\\]/.test(segment);
  return segments.some(bad) ? undefined : segments;
}

/**
 * The file a path names, if it is a regular file inside the root: links
 * are followed, then the real path must still lie inside the real root.
 */
async function insideRoot(
  root: string,
  segments: readonly string[],
): Promise<{ file: string; info: Stats } | undefined> {
  try {
    const realRoot = await realpath(root);
    const file = await realpath(join(realRoot, ...segments));
    if (!file.startsWith(realRoot + sep)) return undefined;
    const info = await stat(file);
    return info.isFile() ? { file, info } : undefined;
  } catch {
    return undefined;
  }
}

function fail(reply: FastifyReply, status: number, message: string): FastifyReply {
  const response = errorResponse(status, message);
  return reply.status(status).type('application/json').send(response.body);
}

/**
 * The conductor's HTTP root, read-only at `/boot/…`: what network boot
 * firmware, the ramdisk and BMCs fetch (kernels, ramdisks, boot configs,
 * ISOs). Public, as they hold no credentials; nothing outside the root is
 * ever served, whatever links inside it point at. Byte ranges are served
 * for BMCs that read ISOs piecewise. Nothing is registered without a root.
 */
export async function bootFileRoutes(
  app: FastifyInstance,
  httpRoot: string | undefined,
): Promise<void> {
  if (httpRoot === undefined) return;
  const root = httpRoot;

  app.get<{ Params: { '*': string } }>(
    `${BOOT_FILES_PREFIX}/*`,
    { schema: { summary: 'A file of the conductor’s HTTP boot root (no auth)' } },
    async (request, reply) => {
      const relative = request.params['*'];
      const segments = plainSegments(relative);
      if (segments === undefined) return fail(reply, 400, `Bad boot file path: ${relative}`);
      const missing = (): FastifyReply =>
        fail(reply, 404, `The resource could not be found: ${request.url}`);

      const found = await insideRoot(root, segments);
      if (found === undefined) return missing();
      const { file, info } = found;

      const range = parseRange(request.headers.range, info.size);
      reply
        .header('accept-ranges', 'bytes')
        .header('last-modified', info.mtime.toUTCString())
        .type('application/octet-stream');
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${String(info.size)}`);
        return fail(reply, 416, `Range not satisfiable: ${request.headers.range ?? ''}`);
      }
      const { start, end } = range ?? { start: 0, end: info.size - 1 };
      if (range !== undefined) {
        reply
          .status(206)
          .header('content-range', `bytes ${String(start)}-${String(end)}/${String(info.size)}`);
      }
      reply.header('content-length', String(Math.max(0, end - start + 1)));
      if (info.size === 0) return reply.send('');
      // Also for HEAD: Fastify sends the headers of the GET, Content-Length included, without the body.
      return reply.send(createReadStream(file, { start, end }));
    },
  );
}

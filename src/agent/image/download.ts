/**
 * Downloads over HTTP(S) with undici's dispatch API: each URL in turn until
 * one answers 2xx, credentials in a URL sent as Basic authentication rather
 * than left in it. The body is pushed to a consumer chunk by chunk, with
 * pause and resume for back-pressure: no stream machinery and no copies
 * between the socket and the consumer, which matters at disk speed.
 */
import { Agent, interceptors } from 'undici';
import type { Dispatcher } from 'undici';
import { describe, displayUrl } from './errors.ts';

/** Receives a body's chunks; may pause the download while it catches up. */
export interface BodyConsumer {
  onData(chunk: Buffer): void;
}

/** A response whose headers have arrived and whose body waits for a consumer. */
export interface OpenDownload {
  readonly url: string;
  /** From Content-Length, when the server sent one. */
  readonly length: number | undefined;
  /** Feeds the body to `consumer`; resolves at its end, rejects when it breaks or is aborted. */
  consume(consumer: BodyConsumer): Promise<void>;
  pause(): void;
  resume(): void;
  /** Ends the transfer; consume() rejects with `reason`. */
  abort(reason: Error): void;
}

/** One failed URL, for the message that lists them all. */
export interface DownloadAttempt {
  readonly url: string;
  readonly error: string;
}

/** Image servers redirect (to a CDN, to object storage); undici 7 follows only with the interceptor. */
let dispatcher: Dispatcher | undefined;
function redirecting(): Dispatcher {
  dispatcher ??= new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
  return dispatcher;
}

function target(url: string): { origin: string; path: string; headers: Record<string, string> } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`only http and https URLs are supported, not ${parsed.protocol}`);
  }
  const headers: Record<string, string> = {};
  if (parsed.username !== '' || parsed.password !== '') {
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}`, headers };
}

/** GETs one URL; resolves when the status and headers are in, the body held back. */
function get(
  url: string,
  signal: AbortSignal,
): Promise<{ status: number; download: OpenDownload }> {
  const { origin, path, headers } = target(url);
  return new Promise((resolveStart, rejectStart) => {
    let controller: Dispatcher.DispatchController | undefined;
    let started = false;
    let consumer: BodyConsumer | undefined;
    const early: Buffer[] = [];
    let ended = false;
    let failure: Error | undefined;
    let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
    let wantPaused = false;

    const onAbort = (): void => {
      const reason =
        signal.reason instanceof Error ? signal.reason : new Error('the download was aborted');
      controller?.abort(reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (error?: Error): void => {
      signal.removeEventListener('abort', onAbort);
      if (!started) {
        rejectStart(error ?? new Error('the response ended before its headers'));
        return;
      }
      if (error !== undefined) failure = error;
      else ended = true;
      if (settle !== undefined) {
        if (failure !== undefined) settle.reject(failure);
        else settle.resolve();
      }
    };

    const download = (length: number | undefined): OpenDownload => ({
      url,
      length,
      consume: (next) =>
        new Promise<void>((resolve, reject) => {
          consumer = next;
          for (const chunk of early.splice(0)) next.onData(chunk);
          if (failure !== undefined) reject(failure);
          else if (ended) resolve();
          else {
            settle = { resolve, reject };
            if (!wantPaused) controller?.resume();
          }
        }),
      pause: () => {
        wantPaused = true;
        controller?.pause();
      },
      resume: () => {
        wantPaused = false;
        if (consumer !== undefined) controller?.resume();
      },
      abort: (reason) => controller?.abort(reason),
    });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (c) => {
        controller = c;
        if (signal.aborted) onAbort();
      },
      onResponseStart: (c, statusCode, responseHeaders) => {
        // Held until a consumer attaches (or the caller moves on to another URL).
        c.pause();
        const header = responseHeaders['content-length'];
        const length =
          typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
        started = true;
        resolveStart({ status: statusCode, download: download(length) });
      },
      onResponseData: (_c, chunk) => {
        if (consumer === undefined) early.push(chunk);
        else consumer.onData(chunk);
      },
      onResponseEnd: () => finish(),
      onResponseError: (_c, error) => finish(error),
    };
    try {
      redirecting().dispatch({ origin, path, method: 'GET', headers }, handler);
    } catch (error) {
      signal.removeEventListener('abort', onAbort);
      rejectStart(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * GETs the URLs in turn and returns the first 2xx response. Connection
 * errors and non-2xx answers move on to the next URL; an aborted signal
 * stops at once (throwing its reason).
 */
export async function openFirst(
  urls: readonly string[],
  signal: AbortSignal,
): Promise<{ download?: OpenDownload; attempts: DownloadAttempt[] }> {
  const attempts: DownloadAttempt[] = [];
  for (const url of urls) {
    signal.throwIfAborted();
    try {
      const { status, download } = await get(url, signal);
      if (status >= 200 && status <= 299) return { download, attempts };
      download.abort(new Error(`HTTP ${status}`));
      attempts.push({ url: displayUrl(url), error: `HTTP ${status}` });
    } catch (error) {
      signal.throwIfAborted();
      attempts.push({ url: displayUrl(url), error: describe(error) });
    }
  }
  return { attempts };
}

/** Reads a small text body (a checksum file), refusing more than `limit` bytes. */
export async function readText(download: OpenDownload, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  await download.consume({
    onData: (chunk) => {
      total += chunk.length;
      if (total > limit) download.abort(new Error(`more than ${limit} bytes`));
      else chunks.push(chunk);
    },
  });
  return Buffer.concat(chunks).toString('utf8');
}

import type { AddressInfo } from 'node:net';
import { main } from '../../src/cli/main.ts';
import type { CommandIo } from '../../src/cli/output.ts';
import type { ApiOptions } from '../../src/api/context.ts';
import { buildApi } from '../../src/api/app.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { openStore } from '../../src/db/open.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import { startApi } from '../support/api.ts';
import { startConductor } from '../support/conductor.ts';
import type { ApiHarness } from '../support/api.ts';
import { drive } from '../support/drive.ts';

/** What a command printed and its exit code. */
export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Captures a command's output. */
export function captureIo(): CommandIo & { readonly text: { out: string; err: string } } {
  const text = { out: '', err: '' };
  return {
    text,
    out: { write: (t: string) => void (text.out += t) },
    err: { write: (t: string) => void (text.err += t) },
  };
}

/** Runs `ferrite <argv>` in this process, through main(). */
export async function ferrite(argv: readonly string[]): Promise<CliResult> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.text.out, err: io.text.err };
}

/** Ferrite's API over HTTP on a loopback port, and `ferrite` commands pointed at it. */
export interface CliApi {
  readonly url: string;
  readonly harness: ApiHarness;
  /** `ferrite <argv> --url <url>`, driving the conductor's simulated clock meanwhile. */
  run(...argv: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export async function startCliApi(
  options: Omit<ApiOptions, 'conductor' | 'store'> = {},
): Promise<CliApi> {
  const harness = await startApi(options);
  await harness.api.listen({ host: '127.0.0.1', port: 0 });
  const { port } = harness.api.server.address() as AddressInfo;
  const url = `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url,
    harness,
    run: (...argv) => drive(harness.h.clock, ferrite([...argv, '--url', url])),
    close: () => harness.close(),
  };
}

/** The JSON a command printed, as the type a test expects. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a cast by design
export function parsed<T = Record<string, unknown>>(result: CliResult): T {
  return JSON.parse(result.out) as T;
}

/**
 * Ferrite's API over fake hardware whose operations take simulated time
 * (`delays`, seconds), where every `GET /v1/nodes/{node}` — a `--wait` poll —
 * moves the clock on by `stepS`: a wait sees each state a node passes
 * through, with no real time involved.
 */
export async function startSteppedApi(
  delays: Readonly<Record<string, number>>,
  stepS: number,
): Promise<CliApi> {
  const clock = new SimulatedClock(Date.now());
  const store = await openStore('sqlite::memory:', { clock });
  const factory = createDriverFactory({ clock, options: { fake: delays } });
  const h = await startConductor(store, {}, { clock, factory });
  const api = await buildApi({ conductor: h.conductor, store });
  api.addHook('onResponse', async (request) => {
    if (request.method === 'GET' && /^\/v1\/nodes\/[^/?]+(\?|$)/.test(request.url)) {
      await clock.advance(stepS * 1000);
    }
  });
  await api.listen({ host: '127.0.0.1', port: 0 });
  const { port } = api.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    harness: { store, h, api, close: async () => {} },
    run: (...argv) => ferrite([...argv, '--url', url]),
    close: async () => {
      await api.close();
      await drive(clock, h.conductor.stop());
      await store.close();
    },
  };
}

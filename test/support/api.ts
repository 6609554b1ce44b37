import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app.ts';
import type { ApiOptions } from '../../src/api/context.ts';
import { SimulatedClock } from '../../src/common/clock.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import type { ConductorSettings } from '../../src/conductor/config.ts';
import { startConductor } from './conductor.ts';
import type { ConductorHarness } from './conductor.ts';

/** The API over a conductor on an in-memory SQLite store, for inject() tests. */
export interface ApiHarness {
  readonly store: Store;
  readonly h: ConductorHarness;
  readonly api: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The secret the API tests give nodes (as a BMC password, in instance_info,
 * in config drives). Every answer the harness sends is checked for it when
 * the harness closes: a secret must never leave the API.
 */
export const TEST_SECRET = 'pw-5ecret-never-shown';

/** `options`: what else buildApi is given (auth, TLS, body limit). */
export async function startApi(
  options: Omit<ApiOptions, 'conductor' | 'store'> = {},
  settings: ConductorSettings = {},
): Promise<ApiHarness> {
  const clock = new SimulatedClock(Date.now());
  const store = await openStore('sqlite::memory:', { clock });
  const h = await startConductor(store, settings, { clock });
  const api = await buildApi({ ...options, conductor: h.conductor, store });
  const leaks: string[] = [];
  api.addHook('onSend', async (request, _reply, payload) => {
    const text =
      typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString() : '';
    if (text.includes(TEST_SECRET)) leaks.push(`${request.method} ${request.url}`);
    return payload;
  });
  return {
    store,
    h,
    api,
    close: async () => {
      await api.close();
      await h.stop();
      await store.close();
      if (leaks.length > 0)
        throw new Error(`The secret appeared in answers to: ${leaks.join(', ')}`);
    },
  };
}

/** The faultstring of an error answer, from Ironic's doubly encoded body. */
export function faultOf(body: string): string {
  const outer = JSON.parse(body) as { error_message: string };
  return (JSON.parse(outer.error_message) as { faultstring: string }).faultstring;
}

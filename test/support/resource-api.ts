import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

export type Call = (
  options: InjectOptions & { readonly version?: string },
) => Promise<LightMyRequestResponse>;

/**
 * inject() with the microversion header (latest unless `version` says
 * otherwise); every answer is kept in `responses` for checks at the end.
 */
export function caller(api: FastifyInstance, responses: string[] = []): Call {
  return async (options) => {
    const { version, ...rest } = options;
    const res = await api.inject({
      ...rest,
      headers: { ...(rest.headers ?? {}), 'x-openstack-ironic-api-version': version ?? 'latest' },
    });
    responses.push(res.body);
    return res;
  };
}

/** The JSON body of an answer, as a record. */
export function bodyOf(res: LightMyRequestResponse): Record<string, unknown> {
  return res.json<Record<string, unknown>>();
}

/** The items of a collection answer. */
export function itemsOf(res: LightMyRequestResponse, name: string): Record<string, unknown>[] {
  return res.json<Record<string, Record<string, unknown>[]>>()[name] ?? [];
}

/** The path and query of a `next` link, ready for inject(). */
export function nextPath(res: LightMyRequestResponse): string | undefined {
  const next = bodyOf(res)['next'];
  if (typeof next !== 'string') return undefined;
  const url = new URL(next);
  return `${url.pathname}${url.search}`;
}

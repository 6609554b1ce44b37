import type { FastifyRequest } from 'fastify';
import { FerriteError } from '../common/errors.ts';
import type { JsonObject, JsonValue } from '../common/json.ts';
import { isUuid } from '../common/uuid.ts';
import { baseUrl } from './context.ts';
import { atLeast } from './microversions.ts';

/**
 * What the listings of ports, portgroups, chassis, volume connectors and
 * targets and conductors share: one table of fields per resource (with the
 * microversion each appeared at), `fields` and `detail`, and Ironic's
 * pagination (limit, marker, sort_key, sort_dir) with its `next` link.
 */

/** The largest page an answer holds, whatever the client asks for. */
export const MAX_LIMIT = 1000;

/** One field of a resource's view: its API name, the version it appeared at, how to read it. */
export interface ViewField<T> {
  readonly name: string;
  readonly minor: number;
  readonly read: (record: T, request: FastifyRequest) => JsonValue;
}

export type ViewTable<T> = readonly ViewField<T>[];

export function viewField<T>(
  name: string,
  minor: number,
  read: (record: T, request: FastifyRequest) => JsonValue,
): ViewField<T> {
  return { name, minor, read };
}

/**
 * The record as the request's version sees it: every field it knows, or only
 * `shown` — plus its `links`, which Ironic keeps whatever `fields` asks for.
 */
export function renderView<T>(
  table: ViewTable<T>,
  record: T,
  request: FastifyRequest,
  shown?: ReadonlySet<string>,
): JsonObject {
  const out: JsonObject = {};
  for (const field of table) {
    if (!atLeast(request.apiVersion, field.minor)) continue;
    if (shown && !shown.has(field.name) && field.name !== 'links') continue;
    out[field.name] = field.read(record, request);
  }
  return out;
}

export function invalid(err: string): FerriteError {
  return new FerriteError('InvalidParameterValue', { err });
}

export function notAcceptable(err: string): FerriteError {
  return new FerriteError('NotAcceptableAtVersion', { err });
}

/** A boolean as clients spell it in text: true/false, True/False (Python), 1/0, yes/no, on/off. */
export function booleanWord(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (['true', '1', 'yes', 'on', 't', 'y'].includes(v)) return true;
  if (['false', '0', 'no', 'off', 'f', 'n'].includes(v)) return false;
  return undefined;
}

/** A boolean query argument. */
export function booleanArg(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const parsed = booleanWord(value);
  if (parsed === undefined) {
    throw invalid(`Invalid value for ${name}: "${value}"; expected a boolean.`);
  }
  return parsed;
}

/**
 * The `fields` a request asks for. Before 1.8 the argument does not exist
 * (406, as Ironic answers); a field the resource does not have is 400, one
 * it gains at a later version than the request's is 406.
 */
export function requestedFields<T>(
  request: FastifyRequest,
  raw: string | undefined,
  table: ViewTable<T>,
): Set<string> | undefined {
  if (raw === undefined) return undefined;
  if (!atLeast(request.apiVersion, 8)) {
    throw notAcceptable('The "fields" parameter needs API version 1.8 or later.');
  }
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  const unknown = fields.filter((f) => !table.some((t) => t.name === f));
  if (unknown.length > 0) throw invalid(`Field(s) "${unknown.join(', ')}" are not valid`);
  for (const name of fields) {
    const field = table.find((t) => t.name === name);
    if (field && !atLeast(request.apiVersion, field.minor)) {
      throw notAcceptable(`Field "${name}" needs API version 1.${field.minor} or later.`);
    }
  }
  return new Set(fields);
}

/** The query arguments every listing accepts, for the route schemas. */
export const LIST_QUERY_PROPERTIES = {
  detail: { type: 'string' },
  fields: { type: 'string' },
  limit: { type: 'integer' },
  marker: { type: 'string' },
  sort_key: { type: 'string' },
  sort_dir: { type: 'string' },
} as const;

/** The same arguments on a `/detail` listing, which always shows everything. */
export const DETAIL_QUERY_PROPERTIES = {
  limit: { type: 'integer' },
  marker: { type: 'string' },
  sort_key: { type: 'string' },
  sort_dir: { type: 'string' },
} as const;

export interface ListQuery {
  readonly detail?: string;
  readonly fields?: string;
  readonly limit?: number;
  readonly marker?: string;
  readonly sort_key?: string;
  readonly sort_dir?: string;
}

/** How a listing may be asked for. */
export interface ListingSpec<T, K extends string> {
  /** The API path of the collection, below /v1 (`ports`, `volume/connectors`). */
  readonly path: string;
  readonly table: ViewTable<T>;
  /** What a listing without `detail` or `fields` shows. */
  readonly defaults: readonly string[];
  /** API sort key → the store's key. `id` is creation order, Ironic's default. */
  readonly sortKeys: Readonly<Record<string, K>>;
  /** Fields Ironic refuses to sort by (JSON blobs, computed fields), named in the error. */
  readonly unsortable: readonly string[];
  /** The version from which `?detail=` exists on this listing (1.43 for the older resources). */
  readonly detailMinor: number;
  /** Markers are uuids except for conductors (hostnames). */
  readonly markerIsUuid: boolean;
}

/** A listing request, checked: what to show and which page. */
export interface Listing<K extends string> {
  /** undefined: everything the version knows. */
  readonly shown: ReadonlySet<string> | undefined;
  readonly limit: number;
  /**
   * How many rows to ask the store for: one more than the page shows, so the
   * answer has a `next` link only when there is a next page (Ironic's has one
   * whenever the page is full, which costs its clients an empty last page).
   */
  readonly fetch: number;
  readonly marker: string | undefined;
  readonly sortKey: K;
  readonly sortDir: 'asc' | 'desc';
  /** The arguments the `next` link repeats. */
  readonly nextParams: readonly string[];
}

/** Checks a listing's arguments. `detailPath` is true on `…/detail`, which shows everything. */
export function readListing<T, K extends string>(
  request: FastifyRequest,
  query: ListQuery,
  spec: ListingSpec<T, K>,
  detailPath: boolean,
): Listing<K> {
  const detailArg = booleanArg('detail', query.detail);
  if (query.detail !== undefined && !atLeast(request.apiVersion, spec.detailMinor)) {
    throw invalid(`Invalid query parameter ?detail=${query.detail} received.`);
  }
  const fields = requestedFields(request, query.fields, spec.table);
  if (fields && detailArg === true) {
    throw invalid('Can not specify ?detail=True and fields in the same request.');
  }
  const detail = detailPath || detailArg === true;
  if (query.limit !== undefined && query.limit <= 0) throw invalid('Limit must be positive');
  const limit = Math.min(query.limit ?? MAX_LIMIT, MAX_LIMIT);
  if (query.marker !== undefined && spec.markerIsUuid && !isUuid(query.marker)) {
    throw new FerriteError('InvalidUUID', { uuid: query.marker });
  }
  const apiKey = query.sort_key ?? 'id';
  if (spec.unsortable.includes(apiKey)) {
    throw invalid(`The sort_key value ${apiKey} is an invalid field for sorting`);
  }
  const sortField = spec.table.find((f) => f.name === apiKey);
  if (sortField && !atLeast(request.apiVersion, sortField.minor)) {
    throw notAcceptable(`Field "${apiKey}" needs API version 1.${sortField.minor} or later.`);
  }
  const sortKey = Object.hasOwn(spec.sortKeys, apiKey) ? spec.sortKeys[apiKey] : undefined;
  if (sortKey === undefined) {
    throw invalid(`The sort_key value ${apiKey} is an invalid field for sorting`);
  }
  const sortDir = query.sort_dir ?? 'asc';
  if (sortDir !== 'asc' && sortDir !== 'desc') {
    throw invalid(`Invalid sort direction: ${sortDir}. Acceptable values are 'asc' or 'desc'`);
  }
  const nextParams = [`sort_key=${apiKey}`, `sort_dir=${sortDir}`];
  if (detailArg !== undefined) nextParams.push(`detail=${String(detailArg)}`);
  if (fields) nextParams.push(`fields=${[...fields].join(',')}`);
  return {
    shown: detail ? undefined : (fields ?? new Set(spec.defaults)),
    limit,
    fetch: limit + 1,
    marker: query.marker,
    sortKey,
    sortDir,
    nextParams,
  };
}

/**
 * The answer of a listing: `{ <name>: [...] }`, with a `next` link when
 * `items` (up to `listing.fetch` of them) hold more than a page; the page's
 * last item is the next page's marker, as in Ironic.
 */
export function collectionBody<T>(
  request: FastifyRequest,
  name: string,
  path: string,
  items: readonly T[],
  listing: Listing<string>,
  render: (item: T) => JsonObject,
  markerOf: (item: T) => string,
): JsonObject {
  const more = items.length > listing.limit;
  const page = more ? items.slice(0, listing.limit) : items;
  const body: JsonObject = { [name]: page.map(render) };
  const last = page[page.length - 1];
  if (last !== undefined && more) body['next'] = nextLink(request, path, listing, markerOf(last));
  return body;
}

/** The `next` link of a full page whose last item is `marker`. */
export function nextLink(
  request: FastifyRequest,
  path: string,
  listing: Listing<string>,
  marker: string,
): string {
  const params = [
    ...listing.nextParams,
    `limit=${listing.limit}`,
    `marker=${encodeURIComponent(marker)}`,
  ];
  return `${baseUrl(request)}/v1/${path}?${params.join('&')}`;
}

/**
 * One page of rows the store returns whole (volume connectors and targets,
 * conductors: small tables), sorted and cut here the way the store's keyset
 * pagination would: by the key, then the identifier; rows after the marker.
 */
export function pageInMemory<T>(
  rows: readonly T[],
  listing: Listing<string>,
  valueOf: (row: T, key: string) => string | number | null,
  idOf: (row: T) => string,
  notFound: (marker: string) => FerriteError,
): T[] {
  const key = listing.sortKey;
  const sign = listing.sortDir === 'asc' ? 1 : -1;
  const compare = (a: T, b: T): number => {
    const va = valueOf(a, key);
    const vb = valueOf(b, key);
    // NULLs first ascending, last descending, as the store orders them.
    if (va !== vb) {
      if (va === null) return -sign;
      if (vb === null) return sign;
      return (va < vb ? -1 : 1) * sign;
    }
    const ia = idOf(a);
    const ib = idOf(b);
    return ia === ib ? 0 : (ia < ib ? -1 : 1) * sign;
  };
  const sorted = [...rows].sort(compare);
  let start = 0;
  if (listing.marker !== undefined) {
    const marker = listing.marker;
    const index = sorted.findIndex((r) => idOf(r) === marker);
    if (index < 0) throw notFound(marker);
    start = index + 1;
  }
  return sorted.slice(start, start + listing.fetch);
}

/** The query of a single-resource GET: only `fields`. */
export const FIELDS_QUERY_SCHEMA = {
  type: 'object',
  properties: { fields: { type: 'string' } },
  additionalProperties: false,
} as const;

/** The store's page request for a checked listing. */
export function pageOf<K extends string>(
  listing: Listing<K>,
): { limit: number; sortKey: K; sortDir: 'asc' | 'desc'; marker?: string } {
  return {
    limit: listing.fetch,
    sortKey: listing.sortKey,
    sortDir: listing.sortDir,
    ...(listing.marker !== undefined ? { marker: listing.marker } : {}),
  };
}

/** The query schema of a listing: the shared arguments (fewer on `…/detail`) and its own filters. */
export function listQuerySchema<P extends Record<string, { readonly type: string }>>(
  detailPath: boolean,
  filters: P = {} as P,
) {
  return {
    type: 'object',
    properties: {
      ...(detailPath ? DETAIL_QUERY_PROPERTIES : LIST_QUERY_PROPERTIES),
      ...filters,
    },
    additionalProperties: false,
  } as const;
}

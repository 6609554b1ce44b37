import { isAbsolute, resolve } from 'node:path';
import { FerriteError } from '../common/errors.ts';

/** Where a store lives, once its URL is understood. */
export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly url: string };

const EXPECTED =
  'Expected sqlite:///absolute/path.db, sqlite://relative/path.db, sqlite::memory: or postgres://user@host:port/database.';

function invalid(url: string, why: string): FerriteError {
  return new FerriteError('ConfigInvalid', {
    error_msg: `Invalid database URL "${redact(url)}": ${why} ${EXPECTED}`,
  });
}

/**
 * Reads a database URL. `sqlite://relative/path.db` is relative to the
 * working directory (`cwd`); three slashes make the path absolute.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseLocation {
  if (url === 'sqlite::memory:') return { dialect: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length);
    if (path === '' || path === '/') throw invalid(url, 'the SQLite path is empty.');
    if (path.includes('?') || path.includes('#')) {
      throw invalid(url, 'SQLite URLs take no query or fragment.');
    }
    return { dialect: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid(url, 'it is not a well-formed URL.');
    }
    if (parsed.hostname === '') throw invalid(url, 'the PostgreSQL host is missing.');
    return { dialect: 'postgres', url };
  }
  throw invalid(url, 'unknown scheme.');
}

/** The URL with any password replaced, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

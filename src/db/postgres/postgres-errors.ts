import type { DatabaseFailure } from '../dialect.ts';

/** SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);

interface PgError {
  readonly code: string;
  readonly constraint?: string;
  readonly detail?: string;
}

function isPgError(error: unknown): error is PgError {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

/** Reads a pg error: PostgreSQL names the violated constraint, as the migration named it. */
export function classifyPostgresError(error: unknown): DatabaseFailure | undefined {
  if (!isPgError(error)) return undefined;
  if (error.code === UNIQUE_VIOLATION) return { kind: 'unique', constraint: error.constraint };
  if (error.code === FOREIGN_KEY_VIOLATION) {
    // "Key (uuid)=(…) is still referenced from table …" on delete;
    // "Key (node_uuid)=(…) is not present in table …" on insert and update.
    const detail = error.detail ?? '';
    const referenced = detail.includes('is still referenced')
      ? true
      : detail.includes('is not present')
        ? false
        : undefined;
    return { kind: 'foreignKey', constraint: error.constraint, referenced };
  }
  if (RETRYABLE.has(error.code)) return { kind: 'busy' };
  return undefined;
}

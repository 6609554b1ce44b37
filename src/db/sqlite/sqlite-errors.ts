import { uniqueConstraintOn } from '../constraints.ts';
import type { DatabaseFailure } from '../dialect.ts';

/** "UNIQUE constraint failed: volume_connectors.type, volume_connectors.connector_id" */
const UNIQUE_COLUMNS = /constraint failed: (.+)$/;

/**
 * Reads a better-sqlite3 error. SQLite names the columns of a violated
 * unique constraint, not the constraint, so they are resolved to its name
 * through the schema's registry; it does not say which foreign key failed.
 */
export function classifySqliteError(error: unknown): DatabaseFailure | undefined {
  if (!(error instanceof Error) || !('code' in error) || typeof error.code !== 'string') {
    return undefined;
  }
  const code = error.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return { kind: 'unique', constraint: constraintFromMessage(error.message) };
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return { kind: 'foreignKey', constraint: undefined, referenced: undefined };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { kind: 'busy' };
  return undefined;
}

function constraintFromMessage(message: string): string | undefined {
  const columns = UNIQUE_COLUMNS.exec(message)?.[1]?.split(', ');
  if (columns === undefined) return undefined;
  let table: string | undefined;
  const names: string[] = [];
  for (const qualified of columns) {
    const dot = qualified.indexOf('.');
    if (dot < 0) return undefined;
    table ??= qualified.slice(0, dot);
    names.push(qualified.slice(dot + 1));
  }
  return table === undefined ? undefined : uniqueConstraintOn(table, names);
}

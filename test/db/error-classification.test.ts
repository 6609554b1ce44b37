import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNIQUE_CONSTRAINTS, uniqueConstraintOn } from '../../src/db/constraints.ts';
import { classifyPostgresError } from '../../src/db/postgres/postgres-errors.ts';
import { classifySqliteError } from '../../src/db/sqlite/sqlite-errors.ts';

function driverError(fields: Record<string, string>, message = 'driver error'): Error {
  return Object.assign(new Error(message), fields);
}

describe('SQLite error classification', () => {
  it('resolves a unique violation to the constraint on its columns', () => {
    assert.deepEqual(
      classifySqliteError(
        driverError(
          { code: 'SQLITE_CONSTRAINT_UNIQUE' },
          'UNIQUE constraint failed: volume_connectors.type, volume_connectors.connector_id',
        ),
      ),
      { kind: 'unique', constraint: 'volume_connectors_type_connector_id_key' },
    );
    assert.deepEqual(
      classifySqliteError(
        driverError(
          { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' },
          'UNIQUE constraint failed: nodes.uuid',
        ),
      ),
      { kind: 'unique', constraint: 'nodes_pkey' },
    );
    assert.deepEqual(
      classifySqliteError(
        driverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }, "UNIQUE constraint failed: index 'x'"),
      ),
      { kind: 'unique', constraint: undefined },
    );
  });

  it('reads foreign-key failures and lock contention, and ignores other errors', () => {
    assert.deepEqual(classifySqliteError(driverError({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })), {
      kind: 'foreignKey',
      constraint: undefined,
      referenced: undefined,
    });
    assert.deepEqual(classifySqliteError(driverError({ code: 'SQLITE_BUSY' })), { kind: 'busy' });
    assert.deepEqual(classifySqliteError(driverError({ code: 'SQLITE_BUSY_SNAPSHOT' })), {
      kind: 'busy',
    });
    assert.equal(classifySqliteError(driverError({ code: 'SQLITE_ERROR' })), undefined);
    assert.equal(classifySqliteError(new Error('plain')), undefined);
    assert.equal(classifySqliteError('not an error'), undefined);
  });

  it('knows every unique constraint by its columns', () => {
    for (const [name, { table, columns }] of Object.entries(UNIQUE_CONSTRAINTS)) {
      assert.equal(uniqueConstraintOn(table, columns), name);
    }
  });
});

describe('PostgreSQL error classification', () => {
  it('takes the constraint name from unique and foreign-key violations', () => {
    assert.deepEqual(
      classifyPostgresError(driverError({ code: '23505', constraint: 'ports_address_key' })),
      { kind: 'unique', constraint: 'ports_address_key' },
    );
    assert.deepEqual(
      classifyPostgresError(
        driverError({
          code: '23503',
          constraint: 'ports_node_uuid_fkey',
          detail: 'Key (node_uuid)=(x) is not present in table "nodes".',
        }),
      ),
      { kind: 'foreignKey', constraint: 'ports_node_uuid_fkey', referenced: false },
    );
    assert.deepEqual(
      classifyPostgresError(
        driverError({
          code: '23503',
          constraint: 'nodes_chassis_uuid_fkey',
          detail: 'Key (uuid)=(x) is still referenced from table "nodes".',
        }),
      ),
      { kind: 'foreignKey', constraint: 'nodes_chassis_uuid_fkey', referenced: true },
    );
  });

  it('treats deadlocks and serialisation failures as retryable contention, and ignores the rest', () => {
    assert.deepEqual(classifyPostgresError(driverError({ code: '40P01' })), { kind: 'busy' });
    assert.deepEqual(classifyPostgresError(driverError({ code: '40001' })), { kind: 'busy' });
    assert.equal(classifyPostgresError(driverError({ code: '42P01' })), undefined);
    assert.equal(classifyPostgresError(new Error('plain')), undefined);
  });
});

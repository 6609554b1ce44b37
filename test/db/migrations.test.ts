import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { Migrator, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { parseDatabaseUrl } from '../../src/db/database-url.ts';
import { MIGRATIONS } from '../../src/db/migrations/index.ts';
import { createPostgresKysely } from '../../src/db/postgres/postgres-kysely.ts';
import type { Database } from '../../src/db/schema.ts';
import { createSqliteKysely } from '../../src/db/sqlite/sqlite-kysely.ts';
import { forEachDatabase } from '../support/databases.ts';
import { NODE_DEFAULTS } from '../../src/db/rows/node-row.ts';

function kyselyFor(url: string): Kysely<Database> {
  const location = parseDatabaseUrl(url);
  return location.dialect === 'sqlite'
    ? createSqliteKysely(location.path)
    : createPostgresKysely(location.url, 1);
}

forEachDatabase((db) => {
  it('upgrades a database holding nodes from the first schema: the new node fields take their defaults', async () => {
    const url = await db.freshUrl();
    const uuid = randomUUID();
    const old = kyselyFor(url);
    try {
      const first = MIGRATIONS['0001-initial-schema'];
      assert.ok(first !== undefined);
      const migrator = new Migrator({
        db: old,
        provider: { getMigrations: () => Promise.resolve({ '0001-initial-schema': first }) },
      });
      const { error } = await migrator.migrateToLatest();
      assert.equal(error, undefined);
      // A node as the first schema stored it.
      await sql`insert into nodes (uuid, driver, driver_info, driver_internal_info, instance_info,
          properties, extra, provision_state, maintenance, conductor_group, console_enabled,
          raid_config, target_raid_config, protected, retired, created_at)
        values (${uuid}, 'ipmi', '{}', '{}', '{}', '{}', '{}', 'available', 0, '', 0,
          '{}', '{}', 0, 0, '2025-01-01T00:00:00.000Z')`.execute(old);
    } finally {
      await old.destroy();
    }

    const store = await db.openUrl(url);
    const node = await store.nodes.get(uuid);
    assert.deepEqual(
      {
        networkData: node.networkData,
        bootMode: node.bootMode,
        secureBoot: node.secureBoot,
        shard: node.shard,
        allocationUuid: node.allocationUuid,
      },
      {
        networkData: NODE_DEFAULTS.networkData,
        bootMode: null,
        secureBoot: null,
        shard: null,
        allocationUuid: null,
      },
    );
    assert.equal(node.provisionState, 'available');
    // The new tables are there and reference the old node.
    await store.bios.replace(uuid, [{ name: 'BootMode', value: 'Uefi' }]);
    const allocation = await store.allocations.create({ nodeUuid: uuid });
    assert.equal((await store.nodes.get(uuid)).allocationUuid, allocation.uuid);
  });
});

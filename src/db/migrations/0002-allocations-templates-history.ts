import type { Kysely } from 'kysely';

/**
 * Allocations, deploy templates, node history, BIOS settings and inventory,
 * and the node fields that go with them. Portable like 0001: `text` and
 * `integer` only, named constraints (listed in src/db/constraints.ts).
 *
 * Frozen once released, like every migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite's ALTER TABLE adds a single column.
  // A NOT NULL column needs a default for the rows already there.
  const nodeColumns = [
    ['network_data', 'text', '{}'],
    ['boot_mode', 'text', undefined],
    ['secure_boot', 'integer', undefined],
    ['shard', 'text', undefined],
    // No foreign key: allocations already reference nodes, and a cycle would
    // make either row impossible to delete first. The allocations repository
    // writes both sides in one transaction, and a node's deletion takes its
    // allocation with it (below), so the reference cannot dangle.
    ['allocation_uuid', 'text', undefined],
  ] as const;
  for (const [name, type, fallback] of nodeColumns) {
    await db.schema
      .alterTable('nodes')
      .addColumn(name, type, (c) => (fallback === undefined ? c : c.notNull().defaultTo(fallback)))
      .execute();
  }

  await db.schema
    .createTable('allocations')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('node_uuid', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('resource_class', 'text')
    .addColumn('traits', 'text', (c) => c.notNull())
    .addColumn('candidate_nodes', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('conductor_affinity', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('allocations_pkey', ['uuid'])
    .addUniqueConstraint('allocations_name_key', ['name'])
    // A node holds at most one allocation (NULLs, unallocated, do not collide).
    .addUniqueConstraint('allocations_node_uuid_key', ['node_uuid'])
    // As Ironic does: deleting a node deletes its allocation.
    .addForeignKeyConstraint('allocations_node_uuid_fkey', ['node_uuid'], 'nodes', ['uuid'], (f) =>
      f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('deploy_templates')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('deploy_templates_pkey', ['uuid'])
    .addUniqueConstraint('deploy_templates_name_key', ['name'])
    .execute();

  await db.schema
    .createTable('deploy_template_steps')
    .addColumn('template_uuid', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('interface', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('args', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    // The position keeps the order the steps were given in, and the key
    // serves the lookup of a template's steps.
    .addPrimaryKeyConstraint('deploy_template_steps_pkey', ['template_uuid', 'position'])
    .addForeignKeyConstraint(
      'deploy_template_steps_template_uuid_fkey',
      ['template_uuid'],
      'deploy_templates',
      ['uuid'],
      (f) => f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('node_history')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('conductor', 'text')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('user', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('node_history_pkey', ['uuid'])
    .addForeignKeyConstraint('node_history_node_uuid_fkey', ['node_uuid'], 'nodes', ['uuid'], (f) =>
      f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('bios_settings')
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('attribute_type', 'text')
    .addColumn('allowable_values', 'text')
    .addColumn('lower_bound', 'integer')
    .addColumn('upper_bound', 'integer')
    .addColumn('min_length', 'integer')
    .addColumn('max_length', 'integer')
    .addColumn('read_only', 'integer')
    .addColumn('reset_required', 'integer')
    .addColumn('unique', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('bios_settings_pkey', ['node_uuid', 'name'])
    .addForeignKeyConstraint(
      'bios_settings_node_uuid_fkey',
      ['node_uuid'],
      'nodes',
      ['uuid'],
      (f) => f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('node_inventory')
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('inventory', 'text', (c) => c.notNull())
    .addColumn('plugin_data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('node_inventory_pkey', ['node_uuid'])
    .addForeignKeyConstraint(
      'node_inventory_node_uuid_fkey',
      ['node_uuid'],
      'nodes',
      ['uuid'],
      (f) => f.onDelete('cascade'),
    )
    .execute();

  const indexes: readonly (readonly [string, string, readonly string[]])[] = [
    // The API filters nodes by shard and counts nodes per shard.
    ['nodes_shard_idx', 'nodes', ['shard']],
    // A node's history in keyset order (created_at, then uuid), and the prune's ranking.
    ['node_history_node_uuid_created_at_idx', 'node_history', ['node_uuid', 'created_at', 'uuid']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema
      .createIndex(name)
      .on(table)
      .columns([...columns])
      .execute();
  }
}

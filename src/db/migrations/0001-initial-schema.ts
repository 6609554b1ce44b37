import type { Kysely } from 'kysely';

/**
 * The first schema. Written only with column types and constraints both
 * databases understand identically (`text`, `integer`, named constraints),
 * so SQLite and PostgreSQL run this very code. Constraint names match
 * src/db/constraints.ts, which maps violations back to catalogue errors.
 *
 * A migration is frozen once released: later changes go in new files.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chassis')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('chassis_pkey', ['uuid'])
    .execute();

  let nodes = db.schema
    .createTable('nodes')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('driver', 'text', (c) => c.notNull())
    .addColumn('driver_info', 'text', (c) => c.notNull())
    .addColumn('driver_internal_info', 'text', (c) => c.notNull())
    .addColumn('instance_info', 'text', (c) => c.notNull())
    .addColumn('instance_uuid', 'text')
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('provision_state', 'text', (c) => c.notNull())
    .addColumn('target_provision_state', 'text')
    .addColumn('power_state', 'text')
    .addColumn('target_power_state', 'text')
    .addColumn('maintenance', 'integer', (c) => c.notNull())
    .addColumn('maintenance_reason', 'text')
    .addColumn('fault', 'text')
    .addColumn('last_error', 'text')
    .addColumn('reservation', 'text')
    .addColumn('conductor_affinity', 'text')
    .addColumn('conductor_group', 'text', (c) => c.notNull())
    .addColumn('console_enabled', 'integer', (c) => c.notNull())
    .addColumn('clean_step', 'text')
    .addColumn('deploy_step', 'text')
    .addColumn('raid_config', 'text', (c) => c.notNull())
    .addColumn('target_raid_config', 'text', (c) => c.notNull())
    .addColumn('resource_class', 'text')
    .addColumn('owner', 'text')
    .addColumn('lessee', 'text')
    .addColumn('automated_clean', 'integer')
    .addColumn('protected', 'integer', (c) => c.notNull())
    .addColumn('protected_reason', 'text')
    .addColumn('retired', 'integer', (c) => c.notNull())
    .addColumn('retired_reason', 'text')
    .addColumn('chassis_uuid', 'text')
    .addColumn('inspection_started_at', 'text')
    .addColumn('inspection_finished_at', 'text')
    .addColumn('provision_updated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text');
  for (const iface of INTERFACES) nodes = nodes.addColumn(`${iface}_interface`, 'text');
  await nodes
    .addPrimaryKeyConstraint('nodes_pkey', ['uuid'])
    .addUniqueConstraint('nodes_name_key', ['name'])
    .addUniqueConstraint('nodes_instance_uuid_key', ['instance_uuid'])
    // No ON DELETE action: deleting a chassis that still has nodes must fail.
    .addForeignKeyConstraint('nodes_chassis_uuid_fkey', ['chassis_uuid'], 'chassis', ['uuid'])
    .execute();

  await db.schema
    .createTable('node_traits')
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('trait', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('node_traits_pkey', ['node_uuid', 'trait'])
    .addForeignKeyConstraint('node_traits_node_uuid_fkey', ['node_uuid'], 'nodes', ['uuid'], (f) =>
      f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('portgroups')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('address', 'text')
    .addColumn('mode', 'text')
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('standalone_ports_supported', 'integer', (c) => c.notNull())
    .addColumn('internal_info', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('portgroups_pkey', ['uuid'])
    .addUniqueConstraint('portgroups_name_key', ['name'])
    .addUniqueConstraint('portgroups_address_key', ['address'])
    .addForeignKeyConstraint('portgroups_node_uuid_fkey', ['node_uuid'], 'nodes', ['uuid'], (f) =>
      f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('ports')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('local_link_connection', 'text', (c) => c.notNull())
    .addColumn('pxe_enabled', 'integer', (c) => c.notNull())
    .addColumn('physical_network', 'text')
    .addColumn('portgroup_uuid', 'text')
    .addColumn('internal_info', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('is_smartnic', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('ports_pkey', ['uuid'])
    .addUniqueConstraint('ports_address_key', ['address'])
    .addUniqueConstraint('ports_name_key', ['name'])
    .addForeignKeyConstraint('ports_node_uuid_fkey', ['node_uuid'], 'nodes', ['uuid'], (f) =>
      f.onDelete('cascade'),
    )
    // No ON DELETE action: a portgroup with ports cannot be deleted. The check
    // runs at the end of the statement, so a node's cascade removes both.
    .addForeignKeyConstraint('ports_portgroup_uuid_fkey', ['portgroup_uuid'], 'portgroups', [
      'uuid',
    ])
    .execute();

  await db.schema
    .createTable('volume_connectors')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('connector_id', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('volume_connectors_pkey', ['uuid'])
    .addUniqueConstraint('volume_connectors_type_connector_id_key', ['type', 'connector_id'])
    .addForeignKeyConstraint(
      'volume_connectors_node_uuid_fkey',
      ['node_uuid'],
      'nodes',
      ['uuid'],
      (f) => f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('volume_targets')
    .addColumn('uuid', 'text', (c) => c.notNull())
    .addColumn('node_uuid', 'text', (c) => c.notNull())
    .addColumn('volume_type', 'text', (c) => c.notNull())
    .addColumn('volume_id', 'text', (c) => c.notNull())
    .addColumn('boot_index', 'integer', (c) => c.notNull())
    .addColumn('properties', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .addPrimaryKeyConstraint('volume_targets_pkey', ['uuid'])
    .addUniqueConstraint('volume_targets_node_uuid_boot_index_key', ['node_uuid', 'boot_index'])
    .addForeignKeyConstraint(
      'volume_targets_node_uuid_fkey',
      ['node_uuid'],
      'nodes',
      ['uuid'],
      (f) => f.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('conductors')
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('conductor_group', 'text', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('drivers', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conductors_pkey', ['hostname'])
    .execute();

  await db.schema
    .createTable('conductor_hardware_interfaces')
    .addColumn('conductor_hostname', 'text', (c) => c.notNull())
    .addColumn('hardware_type', 'text', (c) => c.notNull())
    .addColumn('interface_type', 'text', (c) => c.notNull())
    .addColumn('interface_name', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('conductor_hardware_interfaces_pkey', [
      'conductor_hostname',
      'hardware_type',
      'interface_type',
      'interface_name',
    ])
    .addForeignKeyConstraint(
      'conductor_hardware_interfaces_conductor_hostname_fkey',
      ['conductor_hostname'],
      'conductors',
      ['hostname'],
      (f) => f.onDelete('cascade'),
    )
    .execute();

  // Selective columns the conductor and the API filter on, and the
  // referencing side of every foreign key (cascades and NotEmpty checks).
  // Deliberately not indexed: reservation (taking and releasing a lock would
  // rewrite the index every time, and locked nodes are found by scanning),
  // and maintenance, driver and conductor_affinity (too few distinct values
  // for an index to beat a scan).
  const indexes: readonly (readonly [string, string, readonly string[]])[] = [
    ['nodes_provision_state_idx', 'nodes', ['provision_state']],
    ['nodes_chassis_uuid_idx', 'nodes', ['chassis_uuid']],
    // The default list order: keyset pages walk this index.
    ['nodes_created_at_uuid_idx', 'nodes', ['created_at', 'uuid']],
    ['ports_node_uuid_idx', 'ports', ['node_uuid']],
    ['ports_portgroup_uuid_idx', 'ports', ['portgroup_uuid']],
    ['portgroups_node_uuid_idx', 'portgroups', ['node_uuid']],
    ['volume_connectors_node_uuid_idx', 'volume_connectors', ['node_uuid']],
  ];
  for (const [name, table, columns] of indexes) {
    await db.schema
      .createIndex(name)
      .on(table)
      .columns([...columns])
      .execute();
  }
}

/** The interface column prefixes, frozen here: the migration must not follow later code changes. */
const INTERFACES = [
  'boot',
  'console',
  'deploy',
  'inspect',
  'management',
  'network',
  'power',
  'raid',
  'rescue',
  'storage',
  'vendor',
] as const;

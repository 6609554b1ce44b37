import type { TableName } from './schema.ts';

/**
 * Every unique constraint the schema declares, by the name the migration
 * gives it. PostgreSQL reports a violation by that name; SQLite only by its
 * columns ("UNIQUE constraint failed: nodes.name"), so the columns are kept
 * here too and both dialects resolve a violation to the same name.
 */
export const UNIQUE_CONSTRAINTS = {
  nodes_pkey: { table: 'nodes', columns: ['uuid'] },
  nodes_name_key: { table: 'nodes', columns: ['name'] },
  nodes_instance_uuid_key: { table: 'nodes', columns: ['instance_uuid'] },
  node_traits_pkey: { table: 'node_traits', columns: ['node_uuid', 'trait'] },
  ports_pkey: { table: 'ports', columns: ['uuid'] },
  ports_address_key: { table: 'ports', columns: ['address'] },
  ports_name_key: { table: 'ports', columns: ['name'] },
  portgroups_pkey: { table: 'portgroups', columns: ['uuid'] },
  portgroups_name_key: { table: 'portgroups', columns: ['name'] },
  portgroups_address_key: { table: 'portgroups', columns: ['address'] },
  chassis_pkey: { table: 'chassis', columns: ['uuid'] },
  conductors_pkey: { table: 'conductors', columns: ['hostname'] },
  conductor_hardware_interfaces_pkey: {
    table: 'conductor_hardware_interfaces',
    columns: ['conductor_hostname', 'hardware_type', 'interface_type', 'interface_name'],
  },
  volume_connectors_pkey: { table: 'volume_connectors', columns: ['uuid'] },
  volume_connectors_type_connector_id_key: {
    table: 'volume_connectors',
    columns: ['type', 'connector_id'],
  },
  volume_targets_pkey: { table: 'volume_targets', columns: ['uuid'] },
  volume_targets_node_uuid_boot_index_key: {
    table: 'volume_targets',
    columns: ['node_uuid', 'boot_index'],
  },
  allocations_pkey: { table: 'allocations', columns: ['uuid'] },
  allocations_name_key: { table: 'allocations', columns: ['name'] },
  allocations_node_uuid_key: { table: 'allocations', columns: ['node_uuid'] },
  deploy_templates_pkey: { table: 'deploy_templates', columns: ['uuid'] },
  deploy_templates_name_key: { table: 'deploy_templates', columns: ['name'] },
  deploy_template_steps_pkey: {
    table: 'deploy_template_steps',
    columns: ['template_uuid', 'position'],
  },
  node_history_pkey: { table: 'node_history', columns: ['uuid'] },
  bios_settings_pkey: { table: 'bios_settings', columns: ['node_uuid', 'name'] },
  node_inventory_pkey: { table: 'node_inventory', columns: ['node_uuid'] },
} as const satisfies Record<string, { table: TableName; columns: readonly string[] }>;

export type UniqueConstraint = keyof typeof UNIQUE_CONSTRAINTS;

/**
 * Foreign keys by name. SQLite does not say which one failed, so the
 * repositories fall back to checking the referenced rows themselves.
 */
export const FOREIGN_KEYS = [
  'nodes_chassis_uuid_fkey',
  'node_traits_node_uuid_fkey',
  'ports_node_uuid_fkey',
  'ports_portgroup_uuid_fkey',
  'portgroups_node_uuid_fkey',
  'volume_connectors_node_uuid_fkey',
  'volume_targets_node_uuid_fkey',
  'conductor_hardware_interfaces_conductor_hostname_fkey',
  'allocations_node_uuid_fkey',
  'deploy_template_steps_template_uuid_fkey',
  'node_history_node_uuid_fkey',
  'bios_settings_node_uuid_fkey',
  'node_inventory_node_uuid_fkey',
] as const;

export type ForeignKey = (typeof FOREIGN_KEYS)[number];

const BY_COLUMNS = new Map<string, UniqueConstraint>(
  (Object.keys(UNIQUE_CONSTRAINTS) as UniqueConstraint[]).map((name) => {
    const { table, columns } = UNIQUE_CONSTRAINTS[name];
    return [columnsKey(table, columns), name];
  }),
);

function columnsKey(table: string, columns: readonly string[]): string {
  return `${table}(${columns.join(',')})`;
}

/** The unique constraint on exactly these columns of `table`, if the schema has one. */
export function uniqueConstraintOn(
  table: string,
  columns: readonly string[],
): UniqueConstraint | undefined {
  return BY_COLUMNS.get(columnsKey(table, columns));
}

export function isUniqueConstraint(name: string): name is UniqueConstraint {
  return Object.hasOwn(UNIQUE_CONSTRAINTS, name);
}

export function isForeignKey(name: string): name is ForeignKey {
  return (FOREIGN_KEYS as readonly string[]).includes(name);
}

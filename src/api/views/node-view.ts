import type { FastifyRequest } from 'fastify';
import type { JsonObject, JsonValue } from '../../common/json.ts';
import type { Node } from '../../common/records.ts';
import { ALL_INTERFACES, interfaceField } from '../../drivers/interface-types.ts';
import { atLeast } from '../microversions.ts';
import type { Microversion } from '../microversions.ts';
import { viewField } from '../collection.ts';
import type { ListingSpec, ViewTable } from '../collection.ts';
import type { NodeSortKey } from '../../db/store.ts';
import { resourceLinks } from '../routes/root.ts';
import { maskSecrets } from './secrets.ts';
import { apiTime } from './time.ts';

type Field = (node: Node, request: FastifyRequest) => JsonValue;

/** A provision state as a client of that version knows it: `available` is new in 1.2, `inspect wait` in 1.39. */
function stateFor(state: string | null, request: FastifyRequest): string | null {
  if (state === 'available' && !atLeast(request.apiVersion, 2)) return null;
  if (state === 'inspect wait' && !atLeast(request.apiVersion, 39)) return 'inspecting';
  return state;
}

/** Every node field of the API, with the microversion that introduced it and how it is read. */
export const NODE_FIELDS: readonly (readonly [name: string, minor: number, read: Field])[] = [
  ['uuid', 1, (n) => n.uuid],
  ['name', 5, (n) => n.name],
  ['driver', 1, (n) => n.driver],
  ['driver_info', 1, (n) => maskSecrets(n.driverInfo)],
  ['driver_internal_info', 3, (n) => maskSecrets(n.driverInternalInfo)],
  ['instance_info', 1, (n) => maskSecrets(n.instanceInfo)],
  ['instance_uuid', 1, (n) => n.instanceUuid],
  ['chassis_uuid', 1, (n) => n.chassisUuid],
  ['properties', 1, (n) => n.properties],
  ['extra', 1, (n) => n.extra],
  ['power_state', 1, (n) => n.powerState],
  ['target_power_state', 1, (n) => n.targetPowerState],
  ['provision_state', 1, (n, r) => stateFor(n.provisionState, r)],
  ['target_provision_state', 1, (n, r) => stateFor(n.targetProvisionState, r)],
  ['provision_updated_at', 1, (n) => apiTime(n.provisionUpdatedAt)],
  ['maintenance', 1, (n) => n.maintenance],
  ['maintenance_reason', 1, (n) => n.maintenanceReason],
  ['last_error', 1, (n) => n.lastError],
  ['reservation', 1, (n) => n.reservation],
  ['console_enabled', 1, (n) => n.consoleEnabled],
  ['inspection_started_at', 6, (n) => apiTime(n.inspectionStartedAt)],
  ['inspection_finished_at', 6, (n) => apiTime(n.inspectionFinishedAt)],
  ['clean_step', 7, (n) => n.cleanStep ?? {}],
  ['raid_config', 12, (n) => n.raidConfig],
  ['target_raid_config', 12, (n) => n.targetRaidConfig],
  ['resource_class', 21, (n) => n.resourceClass],
  ...ALL_INTERFACES.map((type) => {
    // The record's key is built once, not on every read.
    const key = interfaceField(type);
    return [
      `${type}_interface`,
      type === 'network' ? 20 : type === 'storage' ? 33 : type === 'rescue' ? 38 : 31,
      (n: Node) => n[key],
    ] as const;
  }),
  ['traits', 37, (n) => [...n.traits]],
  ['fault', 42, (n) => n.fault],
  ['deploy_step', 44, (n) => n.deployStep ?? {}],
  ['conductor_group', 46, (n) => n.conductorGroup],
  ['automated_clean', 47, (n) => n.automatedClean],
  ['protected', 48, (n) => n.protected],
  ['protected_reason', 48, (n) => n.protectedReason],
  ['owner', 50, (n) => n.owner],
  ['description', 51, (n) => n.description],
  ['retired', 61, (n) => n.retired],
  ['retired_reason', 61, (n) => n.retiredReason],
  ['lessee', 65, (n) => n.lessee],
  // Ferrite has no BIOS interface yet: every node has Ironic's no-op one.
  ['bios_interface', 40, () => 'no-bios'],
  // The conductor that manages the node: the one that last took it.
  ['conductor', 49, (n) => n.conductorAffinity],
  ['allocation_uuid', 52, (n) => n.allocationUuid],
  ['network_data', 66, (n) => n.networkData],
  ['boot_mode', 75, (n) => n.bootMode],
  ['secure_boot', 75, (n) => n.secureBoot],
  ['shard', 82, (n) => n.shard],
  ['created_at', 1, (n) => apiTime(n.createdAt)],
  ['updated_at', 1, (n) => apiTime(n.updatedAt)],
  ['links', 1, (n, r) => resourceLinks(r, `nodes/${n.uuid}`)],
];

/** What a plain (not detailed) node listing shows. */
export const NODE_LIST_FIELDS = [
  'uuid',
  'name',
  'instance_uuid',
  'power_state',
  'provision_state',
  'maintenance',
  'links',
] as const;

/** The fields one microversion shows, in order: what nodeView walks for every node. */
interface View {
  readonly names: readonly string[];
  readonly reads: readonly Field[];
}

/** By minor version; built the first time a version is asked for. */
const VIEWS: (View | undefined)[] = [];

function viewFor(version: Microversion): View {
  let view = VIEWS[version.minor];
  if (view === undefined) {
    const shown = NODE_FIELDS.filter(([, minor]) => atLeast(version, minor));
    view = { names: shown.map(([name]) => name), reads: shown.map(([, , read]) => read) };
    VIEWS[version.minor] = view;
  }
  return view;
}

/**
 * A node as the API shows it at the request's version, limited to `fields` when given.
 * Listings call it once per node: the version's fields are looked up once per version.
 */
export function nodeView(
  node: Node,
  request: FastifyRequest,
  fields?: ReadonlySet<string>,
): JsonObject {
  const { names, reads } = viewFor(request.apiVersion);
  const out: JsonObject = {};
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    // Ironic keeps the links whatever `fields` asks for.
    if (fields && !fields.has(name) && name !== 'links') continue;
    out[name] = (reads[i] as Field)(node, request);
  }
  return out;
}

/** The node fields as a view table, for the shared listing checks (`fields`, sort keys). */
export const NODE_VIEW: ViewTable<Node> = NODE_FIELDS.map(([name, minor, read]) =>
  viewField(name, minor, read),
);

/** How node listings may be asked for: Ironic's sort keys, `detail` from 1.43. */
export const NODE_LISTING: ListingSpec<Node, NodeSortKey> = {
  path: 'nodes',
  table: NODE_VIEW,
  defaults: NODE_LIST_FIELDS,
  sortKeys: {
    id: 'createdAt',
    created_at: 'createdAt',
    uuid: 'uuid',
    name: 'name',
    updated_at: 'updatedAt',
    provision_state: 'provisionState',
    provision_updated_at: 'provisionUpdatedAt',
    power_state: 'powerState',
    driver: 'driver',
  },
  unsortable: [
    'driver_info',
    'driver_internal_info',
    'instance_info',
    'properties',
    'extra',
    'traits',
    'links',
    'network_data',
  ],
  detailMinor: 43,
  markerIsUuid: true,
};

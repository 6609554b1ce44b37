import { FerriteError } from '../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../common/json.ts';
import type { Port } from '../../common/records.ts';
import { invalid, notAcceptable } from '../collection.ts';
import {
  booleanReader,
  macReader,
  normaliseMac,
  nullable,
  objectReader,
  stringReader,
  uuidReader,
} from '../input.ts';
import type { Reader, WritableTable } from '../input.ts';
import type { PatchOperation } from '../json-patch.ts';
import { pointerSegments } from '../json-patch.ts';

const LLC_KEYS = ['switch_id', 'port_id', 'switch_info', 'hostname', 'network_type'];
const NETWORK_TYPES = ['managed', 'unmanaged'];
/** Either set identifies the switch port: a switch and its port, or a Smart NIC's host and port. */
const LLC_MANDATORY = [
  ['switch_id', 'port_id'],
  ['port_id', 'hostname'],
];
const DATAPATH_ID = /^[0-9a-f]{16}$/i;

/** A switch as Ironic names it: a MAC address or an OpenFlow datapath id, lower case. */
function normaliseSwitchId(value: string): string {
  try {
    return normaliseMac(value);
  } catch {
    if (DATAPATH_ID.test(value)) return value.toLowerCase();
    throw new FerriteError('InvalidSwitchID', { switch_id: value });
  }
}

/**
 * A port's local_link_connection, checked by Ironic's rules: known keys
 * with string values; a switch (switch_id + port_id) or a Smart NIC host
 * (hostname + port_id) unless the network is unmanaged; switch_id a MAC or
 * a datapath id.
 */
export const localLinkReader: Reader = (value, field) => {
  const llc = objectReader(value, field) as JsonObject;
  const keys = Object.keys(llc);
  if (keys.length === 0) return llc;
  const unknown = keys.filter((k) => !LLC_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `${unknown.join(', ')} are invalid keys of local_link_connection; valid keys are ${LLC_KEYS.join(', ')}`,
    });
  }
  for (const [key, v] of Object.entries(llc)) {
    if (typeof v !== 'string') {
      throw invalid(
        `Invalid value for local_link_connection/${key}: expected a string, got ${JSON.stringify(v)}`,
      );
    }
  }
  const out: JsonObject = { ...llc };
  // Every value is a string by now.
  const networkType = llc['network_type'] as string | undefined;
  if (networkType !== undefined && !NETWORK_TYPES.includes(networkType)) {
    throw invalid(
      `Invalid network_type ${networkType}, valid network_types are ${NETWORK_TYPES.join(', ')}.`,
    );
  }
  const unmanaged = networkType === 'unmanaged';
  if (!unmanaged && !LLC_MANDATORY.some((set) => set.every((k) => keys.includes(k)))) {
    throw invalid(
      `Missing mandatory keys in local_link_connection. Required keys are switch_id and port_id, or for a Smart NIC hostname and port_id. Submitted keys are ${keys.join(', ')}.`,
    );
  }
  const switchId = llc['switch_id'];
  if (typeof switchId === 'string') out['switch_id'] = normaliseSwitchId(switchId);
  return out;
};

/** Every port field a client may write, by API name. */
export const PORT_WRITABLE: WritableTable<Port> = {
  uuid: { minor: 1, key: 'uuid', read: uuidReader, empty: undefined, patchable: false },
  node_uuid: { minor: 1, key: 'nodeUuid', read: uuidReader, empty: undefined },
  address: { minor: 1, key: 'address', read: macReader, empty: undefined },
  extra: { minor: 1, key: 'extra', read: objectReader, empty: {} },
  local_link_connection: {
    minor: 19,
    key: 'localLinkConnection',
    read: localLinkReader,
    empty: {},
  },
  pxe_enabled: { minor: 19, key: 'pxeEnabled', read: booleanReader, empty: true },
  portgroup_uuid: { minor: 24, key: 'portgroupUuid', read: nullable(uuidReader), empty: null },
  physical_network: {
    minor: 34,
    key: 'physicalNetwork',
    read: nullable(stringReader(64)),
    empty: null,
  },
  is_smartnic: { minor: 53, key: 'isSmartnic', read: booleanReader, empty: false },
};

/** The JSON schema of a port creation body: types only, values are checked by the table. */
export const PORT_CREATE_SCHEMA = {
  type: 'object',
  required: ['node_uuid', 'address'],
  properties: {
    uuid: { type: ['string', 'null'] },
    node_uuid: { type: 'string' },
    address: { type: 'string' },
    extra: { type: ['object', 'null'] },
    local_link_connection: { type: ['object', 'null'] },
    pxe_enabled: { type: ['boolean', 'string'] },
    portgroup_uuid: { type: ['string', 'null'] },
    physical_network: { type: ['string', 'null'] },
    is_smartnic: { type: ['boolean', 'string'] },
  },
  additionalProperties: false,
} as const;

const NETWORK_TYPE_MINOR = 64;

function networkTypeTooNew(): FerriteError {
  return notAcceptable(
    `Field "local_link_connection/network_type" needs API version 1.${NETWORK_TYPE_MINOR} or later.`,
  );
}

function hasNetworkType(value: JsonValue | undefined): boolean {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && 'network_type' in value
  );
}

/** network_type inside local_link_connection is newer than the field itself (1.64). */
export function checkNetworkTypeInBody(body: JsonObject, minor: number): void {
  if (minor < NETWORK_TYPE_MINOR && hasNetworkType(body['local_link_connection'])) {
    throw networkTypeTooNew();
  }
}

export function checkNetworkTypeInPatch(ops: readonly PatchOperation[], minor: number): void {
  if (minor >= NETWORK_TYPE_MINOR) return;
  for (const op of ops) {
    const [root, key] = pointerSegments(op.path);
    if (root !== 'local_link_connection') continue;
    if (key === 'network_type' || (key === undefined && hasNetworkType(op.value))) {
      throw networkTypeTooNew();
    }
  }
}

/** A Smart NIC port is found by its host: local_link_connection needs hostname and port_id. */
export function checkSmartNic(port: Pick<Port, 'isSmartnic' | 'localLinkConnection'>): void {
  const llc = port.localLinkConnection;
  if (
    port.isSmartnic &&
    !(typeof llc['port_id'] === 'string' && typeof llc['hostname'] === 'string')
  ) {
    throw invalid('Smart NIC port must have port_id and hostname in local_link_connection');
  }
}

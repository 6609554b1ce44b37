import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import { updateCapabilities } from '../../common/capabilities.ts';
import { FerriteError } from '../../common/errors.ts';
import type { JsonObject } from '../../common/json.ts';
import type { Node } from '../../common/records.ts';
import { booleanArg } from '../modules/args.ts';
import type { ArgsInfo } from '../steps.ts';
import { RAID_CONFIG_SCHEMA } from './schema.ts';
import type { LogicalDisk, RaidConfig } from './schema.ts';

// allErrors lets the report prefer an anyOf's own error over its branches'.
const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
const validateSchema = ajv.compile<RaidConfig>(RAID_CONFIG_SCHEMA);

function describeError(error: ErrorObject): string {
  const where = error.instancePath
    ? error.instancePath.slice(1).replaceAll('/', '.')
    : 'configuration';
  switch (error.keyword) {
    case 'required':
      return `${where}: '${String(error.params['missingProperty'])}' is a required property`;
    case 'additionalProperties':
      return `${where}: additional property '${String(error.params['additionalProperty'])}' is not allowed`;
    case 'enum':
      return `${where} must be one of ${(error.params['allowedValues'] as unknown[]).map((v) => `'${String(v)}'`).join(', ')}`;
    case 'anyOf':
      return where.endsWith('size_gb')
        ? `${where} must be a non-negative integer or 'MAX'`
        : `${where} must be a list of physical disk names, or of at least two physical disk descriptions`;
    case 'dependencies':
      return `${where}: '${String(error.params['missingProperty'])}' is required when '${String(error.params['property'])}' is given`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

/** Picks the error to report: the one that explains an anyOf rather than its branches. */
function mostUseful(errors: readonly ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => e.keyword === 'anyOf') ?? errors[0];
}

/**
 * Validates a RAID configuration against the schema and the one-root-volume
 * rule. Throws InvalidParameterValue with a message naming the offending field.
 */
export function validateRaidConfiguration(config: unknown): RaidConfig {
  if (!validateSchema(config)) {
    const error = mostUseful(validateSchema.errors ?? []);
    throw new FerriteError('InvalidParameterValue', {
      err: `RAID config validation error: ${error ? describeError(error) : 'invalid configuration'}`,
    });
  }
  rootVolume(config);
  return config;
}

/** The logical disk marked as root, if any; more than one is an error. */
export function rootVolume(config: RaidConfig): LogicalDisk | undefined {
  const roots = config.logical_disks.filter((d) => d.is_root_volume === true);
  if (roots.length > 1) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Raid config cannot have more than one root volume. ${roots.length} root volumes were specified`,
    });
  }
  return roots[0];
}

/** Python's `str(datetime)` form, which is what Ironic stores in `last_updated`. */
function pythonTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  const micro = iso.slice(20, 23) === '000' ? '' : `.${iso.slice(20, 23)}000`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${micro}`;
}

/**
 * Records a RAID configuration as applied: `raid_config` with
 * `last_updated`, and for a root volume, `local_gb` (unless MAX), the root
 * device hint and the `raid_level` capability.
 */
export function updateRaidInfo(node: Node, config: RaidConfig, now: number): void {
  const root = rootVolume(config);
  node.raidConfig = {
    ...(config as unknown as JsonObject),
    last_updated: pythonTimestamp(now),
  };
  if (!root) return;
  const properties: JsonObject = { ...node.properties };
  if (root.size_gb !== 'MAX') properties['local_gb'] = root.size_gb;
  if (root.root_device_hint) properties['root_device'] = root.root_device_hint as JsonObject;
  properties['capabilities'] = updateCapabilities(properties['capabilities'], {
    raid_level: root.raid_level,
  });
  node.properties = properties;
}

export interface RaidSelection {
  readonly createRootVolume?: boolean;
  readonly createNonrootVolumes?: boolean;
}

/** Which volumes create_configuration builds, from its arguments (both by default). */
export function raidSelectionOf(options: {
  readonly createRootVolume?: unknown;
  readonly createNonrootVolumes?: unknown;
}): RaidSelection {
  return {
    createRootVolume: booleanArg(options.createRootVolume, 'create_root_volume', true),
    createNonrootVolumes: booleanArg(options.createNonrootVolumes, 'create_nonroot_volumes', true),
  };
}

/**
 * The node's target RAID configuration with the root or the non-root volumes
 * left out as asked. Throws MissingParameterValue when nothing is left.
 */
export function filterTargetRaidConfig(node: Node, selection: RaidSelection = {}): RaidConfig {
  const target = node.targetRaidConfig as unknown as Partial<RaidConfig>;
  if (!target.logical_disks) {
    throw new FerriteError('MissingParameterValue', {
      err: `Node ${node.uuid} has no target RAID configuration.`,
    });
  }
  let disks = target.logical_disks;
  const skipped: string[] = [];
  if (selection.createRootVolume === false) {
    disks = disks.filter((d) => d.is_root_volume !== true);
    skipped.push('skipping root volume');
  }
  if (selection.createNonrootVolumes === false) {
    disks = disks.filter((d) => d.is_root_volume === true);
    skipped.push('skipping non-root volumes');
  }
  if (disks.length === 0) {
    throw new FerriteError('MissingParameterValue', {
      err: `Node ${node.uuid} has empty target RAID configuration after ${skipped.join(' and ')}.`,
    });
  }
  return { ...target, logical_disks: disks };
}

/** The arguments of a `create_configuration` clean step. */
export const CREATE_CONFIGURATION_ARGSINFO: ArgsInfo = {
  create_root_volume: {
    description: 'This specifies whether to create the root volume. Defaults to `True`.',
    required: false,
  },
  create_nonroot_volumes: {
    description: 'This specifies whether to create the non-root volumes. Defaults to `True`.',
    required: false,
  },
  delete_existing: {
    description:
      'Setting this to `True` indicates to delete existing RAID configuration prior to creating the new configuration. Default value is `False`.',
    required: false,
  },
};

/** The arguments of an `apply_configuration` deploy step. */
export const APPLY_CONFIGURATION_ARGSINFO: ArgsInfo = {
  raid_config: { description: 'The RAID configuration to apply.', required: true },
  create_root_volume: {
    description:
      "Setting this to 'False' indicates not to create root volume that is specified in 'raid_config'. Default value is 'True'.",
    required: false,
  },
  create_nonroot_volumes: {
    description:
      "Setting this to 'False' indicates not to create non-root volumes (all except the root volume) in 'raid_config'. Default value is 'True'.",
    required: false,
  },
  delete_existing: {
    description:
      "Setting this to 'True' indicates to delete existing RAID configuration prior to creating the new configuration. Default value is 'True'.",
    required: false,
  },
};

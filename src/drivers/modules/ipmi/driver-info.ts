import { FerriteError } from '../../../common/errors.ts';
import type { JsonValue } from '../../../common/json.ts';
import { booleanOf, checkDriverInfo, checks } from '../../driver-info.ts';
import type { DriverInfoSpec } from '../../driver-info.ts';
import type { Task } from '../../task.ts';
import { PrivilegeLevel } from './types.ts';
import type { BmcTarget } from './types.ts';

/** The cipher suites Ferrite's RMCP+ client speaks. */
export const SUPPORTED_CIPHER_SUITES: readonly number[] = [3, 17];
const PRIVILEGES = ['ADMINISTRATOR', 'OPERATOR', 'USER', 'CALLBACK'] as const;
const DEFAULT_PORT = 623;

function invalid(err: string): FerriteError {
  return new FerriteError('InvalidParameterValue', { err });
}

const checkBoolean = (value: JsonValue, key: string): void => {
  booleanOf(value, key);
};

function integerOf(value: JsonValue, key: string): number {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw invalid(`${key} must be an integer, not ${JSON.stringify(value)}.`);
  }
  return number;
}

const BRIDGING_KEYS = [
  'ipmi_local_address',
  'ipmi_transit_channel',
  'ipmi_transit_address',
  'ipmi_target_channel',
  'ipmi_target_address',
] as const;

/** driver_info of the ipmi power and management interfaces, named as Ironic names them. */
export const IPMI_DRIVER_INFO: DriverInfoSpec = {
  ipmi_address: {
    description: "IP address or host name of the node's BMC.",
    required: true,
    check: checks.string,
  },
  ipmi_port: { description: "The BMC's UDP port; default 623.", check: checks.port },
  ipmi_username: {
    description: 'User name on the BMC; default is the anonymous (empty) user.',
    check: checks.string,
  },
  ipmi_password: {
    description: 'Password of that user on the BMC (IPMI 2.0 allows at most 20 bytes).',
    secret: true,
    check: (value, key) => {
      checks.string(value, key);
      // The RAKP key is the password padded to 20 bytes: a longer one cannot log in.
      if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > 20) {
        throw invalid(`${key} is longer than the 20 bytes IPMI 2.0 allows for a password.`);
      }
    },
  },
  ipmi_priv_level: {
    description: `Privilege level of the session: ${PRIVILEGES.join(', ')}; default ADMINISTRATOR.`,
    check: checks.oneOf(PRIVILEGES),
  },
  ipmi_cipher_suite: {
    description: `RMCP+ cipher suite: ${SUPPORTED_CIPHER_SUITES.join(' or ')}; default: the strongest the BMC offers.`,
    check: (value, key) => {
      const suite = integerOf(value, key);
      if (!SUPPORTED_CIPHER_SUITES.includes(suite)) {
        throw invalid(
          `${key} ${String(suite)} is not supported: Ferrite speaks cipher suites ${SUPPORTED_CIPHER_SUITES.join(' and ')} (HMAC-SHA1 and HMAC-SHA256 with AES-128).`,
        );
      }
    },
  },
  ipmi_protocol_version: {
    description: 'Version of the IPMI protocol: "2.0" (RMCP+), the only one Ferrite speaks.',
    check: (value, key) => {
      if (value !== '2.0') {
        throw invalid(
          `${key} ${JSON.stringify(value)} is not supported: Ferrite speaks IPMI 2.0 (RMCP+) only; IPMI 1.5 sessions have no integrity or encryption.`,
        );
      }
    },
  },
  ipmi_force_boot_device: {
    description:
      'Whether to set the boot device again before every power on, for BMCs that forget it; default false.',
    check: checkBoolean,
  },
  ipmi_disable_boot_timeout: {
    description:
      "Whether to disable the BMC's 60-second timeout on the boot device (a Set System Boot Options parameter 3 before each boot device change); default true.",
    check: checkBoolean,
  },
  ipmi_bridging: {
    description:
      'IPMB bridging: "no", the only mode Ferrite supports; "single" and "dual" are refused.',
    check: (value, key) => {
      if (value === 'no') return;
      if (value === 'single' || value === 'dual') {
        throw invalid(
          `${key} "${value}" is not supported: Ferrite's IPMI client talks to the BMC itself and does not bridge requests to other controllers.`,
        );
      }
      throw invalid(`${key} must be one of no, single, dual, not ${JSON.stringify(value)}.`);
    },
  },
  ipmi_hex_kg_key: {
    description: 'The BMC key (K_g) as hexadecimal; not supported yet, refused when set.',
    secret: true,
    check: (_value, key) => {
      throw invalid(
        `${key} is not supported yet: Ferrite derives session keys from the user's password only.`,
      );
    },
  },
  ...Object.fromEntries(
    BRIDGING_KEYS.map((key) => [
      key,
      {
        description: 'Bridging address or channel; refused, as bridging is not supported.',
        check: (_value: JsonValue, name: string) => {
          throw invalid(`${name} is only used with ipmi_bridging, which Ferrite does not support.`);
        },
      },
    ]),
  ),
};

/** What the ipmi interfaces read from a node's driver_info, checked. */
export interface IpmiNodeInfo {
  readonly target: BmcTarget;
  readonly forceBootDevice: boolean;
  readonly disableBootTimeout: boolean;
}

/** Reads and checks a node's driver_info (MissingParameterValue / InvalidParameterValue). */
export function ipmiNodeInfo(task: Task): IpmiNodeInfo {
  checkDriverInfo(task, IPMI_DRIVER_INFO);
  const info = task.node.driverInfo;
  const text = (key: string): string | undefined => {
    const value = info[key];
    return typeof value === 'string' ? value : undefined;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value = info[key];
    return value === undefined || value === null ? fallback : booleanOf(value, key);
  };
  const port = info['ipmi_port'];
  const suite = info['ipmi_cipher_suite'];
  const privilege = (text('ipmi_priv_level') ?? 'ADMINISTRATOR') as keyof typeof PrivilegeLevel;
  const target: BmcTarget = {
    host: text('ipmi_address') ?? '',
    port: port === undefined || port === null ? DEFAULT_PORT : Number(port),
    username: text('ipmi_username') ?? '',
    password: text('ipmi_password') ?? '',
    privilege: PrivilegeLevel[privilege],
    ...(suite === undefined || suite === null
      ? {}
      : { cipherSuite: integerOf(suite, 'ipmi_cipher_suite') }),
  };
  return {
    target,
    forceBootDevice: flag('ipmi_force_boot_device', false),
    disableBootTimeout: flag('ipmi_disable_boot_timeout', true),
  };
}

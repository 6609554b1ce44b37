import { FerriteError } from '../../../common/errors.ts';
import type { JsonValue } from '../../../common/json.ts';
import { booleanOf, checkDriverInfo, checks } from '../../driver-info.ts';
import type { DriverInfoSpec } from '../../driver-info.ts';
import type { Task } from '../../task.ts';
import type { RedfishAuthType, RedfishTarget } from './client/redfish-client.ts';

const AUTH_TYPES: readonly RedfishAuthType[] = ['auto', 'session', 'basic'];

function invalid(err: string): FerriteError {
  return new FerriteError('InvalidParameterValue', { err });
}

/**
 * The BMC's URL: `https://host[:port]`, `http://…`, or a bare host (then
 * HTTPS, as in Ironic). A path is refused: the service root is always
 * /redfish/v1.
 */
export function redfishOrigin(value: string, key = 'redfish_address'): string {
  const text = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(`${key} ${JSON.stringify(value)} is not a host name or an http(s) URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`${key} must use https or http, not ${url.protocol.replace(':', '')}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid(`${key} must not hold credentials: use redfish_username and redfish_password.`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw invalid(
      `${key} must be the BMC's address only, without a path (it was ${url.pathname}).`,
    );
  }
  return url.origin;
}

/** redfish_verify_ca: a boolean (or its string forms), or the path of a CA bundle. */
function verifyOf(value: JsonValue, key: string): boolean | string {
  if (typeof value === 'string' && value.startsWith('/')) return value;
  try {
    return booleanOf(value, key);
  } catch {
    throw invalid(`${key} must be true, false or the absolute path of a CA bundle.`);
  }
}

/** driver_info of the redfish interfaces, named as Ironic names them. */
export const REDFISH_DRIVER_INFO: DriverInfoSpec = {
  redfish_address: {
    description:
      'The URL of the Redfish controller: https://host[:port], http://host[:port] or a host name (then https).',
    required: true,
    check: (value, key) => {
      checks.string(value, key);
      redfishOrigin(value as string, key);
    },
  },
  redfish_system_id: {
    description:
      'The path of the ComputerSystem, e.g. /redfish/v1/Systems/1; may be left out when the BMC manages one system.',
    check: (value, key) => {
      checks.string(value, key);
      if (!(value as string).startsWith('/redfish/v1/Systems/')) {
        throw invalid(`${key} must be a path under /redfish/v1/Systems/.`);
      }
    },
  },
  redfish_username: { description: 'User name on the BMC.', check: checks.string },
  redfish_password: { description: 'Password of that user.', secret: true, check: checks.string },
  redfish_verify_ca: {
    description:
      "Whether to verify the BMC's TLS certificate (true, the default), not (false), or the absolute path of a CA bundle to verify it with.",
    check: (value, key) => {
      verifyOf(value, key);
    },
  },
  redfish_if_match: {
    description:
      "Whether a PATCH carries If-Match with the resource's ETag (true, the default); false for BMCs that refuse their own ETags.",
    check: (value, key) => {
      booleanOf(value, key);
    },
  },
  redfish_auth_type: {
    description: `How to authenticate: ${AUTH_TYPES.join(', ')} (a session, falling back to basic; the default).`,
    check: checks.oneOf(AUTH_TYPES),
  },
};

/** What the redfish interfaces read from a node's driver_info, checked. */
export interface RedfishNodeInfo {
  readonly target: RedfishTarget;
  /** Undefined: the BMC's only system. */
  readonly systemId: string | undefined;
}

/** Reads and checks a node's driver_info (MissingParameterValue / InvalidParameterValue). */
export function redfishNodeInfo(task: Task): RedfishNodeInfo {
  checkDriverInfo(task, REDFISH_DRIVER_INFO);
  const info = task.node.driverInfo;
  const text = (key: string): string | undefined => {
    const value = info[key];
    return typeof value === 'string' ? value : undefined;
  };
  const verify = info['redfish_verify_ca'];
  const ifMatch = info['redfish_if_match'];
  return {
    target: {
      address: redfishOrigin(text('redfish_address') ?? ''),
      username: text('redfish_username') ?? '',
      password: text('redfish_password') ?? '',
      verify:
        verify === undefined || verify === null ? true : verifyOf(verify, 'redfish_verify_ca'),
      authType: (text('redfish_auth_type') ?? 'auto') as RedfishAuthType,
      ...(ifMatch === undefined || ifMatch === null || booleanOf(ifMatch, 'redfish_if_match')
        ? {}
        : { noIfMatch: true }),
    },
    systemId: text('redfish_system_id'),
  };
}

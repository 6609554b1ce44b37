import type { JsonValue } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { configInvalid, familyOptions, integerOption } from '../../family-options.ts';
import type { OptionReaders } from '../../family-options.ts';

/** Conductor-wide settings of the agent-based interfaces (`options.agent`). */
export interface AgentOptions {
  /**
   * The URL of Ferrite's /v1 API as the ramdisk reaches it (`ipa-api-url`);
   * empty means the conductor's own API address.
   */
  readonly apiUrl: string;
  /** Time for each HTTP exchange with an agent, in ms. */
  readonly commandTimeoutMs: number;
  /** Retries of an agent command on connection errors. */
  readonly commandRetries: number;
  /** Priority of the agent's `erase_devices` clean step (0 disables it in automated cleaning). */
  readonly eraseDevicesPriority: number;
  /** Priority of the agent's `erase_devices_metadata` clean step. */
  readonly eraseDevicesMetadataPriority: number;
  /** Random passes `erase_devices` makes over each disk. */
  readonly shredRandomOverwriteIterations: number;
  /** Whether `erase_devices` ends with a pass of zeros. */
  readonly shredFinalOverwriteWithZeros: boolean;
  /** Whether images may be checked with MD5 (refused by default). */
  readonly allowMd5Checksum: boolean;
  /** Directories under which `file://` image sources are allowed (none by default). */
  readonly fileUrlAllowedPaths: readonly string[];
}

export const DEFAULT_AGENT_OPTIONS: AgentOptions = {
  apiUrl: '',
  commandTimeoutMs: 60_000,
  commandRetries: 3,
  eraseDevicesPriority: 0,
  eraseDevicesMetadataPriority: 99,
  shredRandomOverwriteIterations: 1,
  shredFinalOverwriteWithZeros: true,
  allowMd5Checksum: false,
  fileUrlAllowedPaths: [],
};

function booleanOption(key: string): (value: JsonValue) => boolean {
  return (value) => {
    if (typeof value !== 'boolean') {
      throw configInvalid(`agent.${key}: expected true or false, got ${JSON.stringify(value)}`);
    }
    return value;
  };
}

const READERS: OptionReaders<AgentOptions> = {
  apiUrl: (value) => {
    if (typeof value !== 'string' || (value !== '' && !/^https?:\/\/\S+$/.test(value))) {
      throw configInvalid(`agent.apiUrl: expected an http(s) URL, got ${JSON.stringify(value)}`);
    }
    return value.replace(/\/+$/, '');
  },
  commandTimeoutMs: integerOption('agent', 'commandTimeoutMs', 1),
  commandRetries: integerOption('agent', 'commandRetries', 0),
  eraseDevicesPriority: integerOption('agent', 'eraseDevicesPriority', 0),
  eraseDevicesMetadataPriority: integerOption('agent', 'eraseDevicesMetadataPriority', 0),
  shredRandomOverwriteIterations: integerOption('agent', 'shredRandomOverwriteIterations', 0),
  shredFinalOverwriteWithZeros: booleanOption('shredFinalOverwriteWithZeros'),
  allowMd5Checksum: booleanOption('allowMd5Checksum'),
  fileUrlAllowedPaths: (value) => {
    if (!Array.isArray(value) || !value.every((p) => typeof p === 'string' && p.startsWith('/'))) {
      throw configInvalid(
        `agent.fileUrlAllowedPaths: expected a list of absolute paths, got ${JSON.stringify(value)}`,
      );
    }
    return value as string[];
  },
};

/** Reads `options.agent`, refusing unknown keys and bad values. */
export function agentOptions(env: DriverEnvironment): AgentOptions {
  return familyOptions(env, 'agent', DEFAULT_AGENT_OPTIONS, READERS);
}

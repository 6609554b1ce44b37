/**
 * The `clean` extension: the clean steps this agent offers (ironic-python-
 * agent's generic hardware manager names, on the `deploy` interface) and
 * running one.
 */
import type { JsonObject } from '../../common/json.ts';
import { AgentCommandError } from '../command-runner.ts';
import type { CommandTable } from '../command-runner.ts';
import { eraseDevice, eraseMetadata } from '../disk/index.ts';
import type { AgentHost } from '../host.ts';
import { objectParam, optionalObjectParam } from './params.ts';

const HARDWARE_MANAGER = 'GenericHardwareManager';
const HARDWARE_MANAGER_VERSION = '1.1';

/** Steps as get_clean_steps reports them; the conductor may reprioritise them. */
export const AGENT_CLEAN_STEPS: readonly JsonObject[] = [
  {
    step: 'erase_devices',
    priority: 10,
    interface: 'deploy',
    reboot_requested: false,
    abortable: true,
  },
  {
    step: 'erase_devices_metadata',
    priority: 99,
    interface: 'deploy',
    reboot_requested: false,
    abortable: true,
  },
];

/** `agent_erase_devices_iterations` and `agent_erase_devices_zeroize`, as Ironic passes them. */
function shredSettings(node: JsonObject | undefined): { randomPasses: number; zeroPass: boolean } {
  const info = node?.['driver_internal_info'];
  const internal = info !== null && typeof info === 'object' && !Array.isArray(info) ? info : {};
  const iterations = internal['agent_erase_devices_iterations'];
  const zeroize = internal['agent_erase_devices_zeroize'];
  return {
    randomPasses: typeof iterations === 'number' && iterations >= 0 ? iterations : 1,
    zeroPass: typeof zeroize === 'boolean' ? zeroize : true,
  };
}

export function cleanCommands(host: AgentHost): CommandTable {
  return {
    'clean.get_clean_steps': {
      async: false,
      async run() {
        return {
          clean_steps: { [HARDWARE_MANAGER]: [...AGENT_CLEAN_STEPS] },
          hardware_manager_version: { [HARDWARE_MANAGER]: HARDWARE_MANAGER_VERSION },
        };
      },
    },
    'clean.execute_clean_step': {
      async: true,
      async run(params, { signal }) {
        const step = objectParam(params, 'step');
        const node = optionalObjectParam(params, 'node') ?? host.node;
        const disks = host.disks().map((d) => d.name);
        let result: JsonObject;
        switch (step['step']) {
          case 'erase_devices_metadata':
            for (const disk of disks) await eraseMetadata(disk, signal);
            result = { erased: disks };
            break;
          case 'erase_devices': {
            const settings = shredSettings(node);
            for (const disk of disks) await eraseDevice(disk, settings, signal);
            result = { erased: disks, ...settings };
            break;
          }
          default:
            throw new AgentCommandError(
              `No hardware manager offers the clean step ${JSON.stringify(step['step'])}`,
              'HardwareManagerMethodNotFound',
              400,
            );
        }
        return { clean_result: result, clean_step: step };
      },
    },
  };
}

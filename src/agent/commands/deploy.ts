/**
 * The `deploy` extension: deploy steps as Ironic's conductors of today
 * drive the agent (`write_image` instead of standby.prepare_image).
 */
import type { JsonObject } from '../../common/json.ts';
import { AgentCommandError } from '../command-runner.ts';
import type { CommandTable } from '../command-runner.ts';
import type { AgentHost } from '../host.ts';
import { objectParam, optionalObjectParam } from './params.ts';
import { writeImageCommand } from './standby.ts';

const HARDWARE_MANAGER = 'GenericHardwareManager';

/** Steps as get_deploy_steps reports them: all off until the conductor asks for one. */
export const AGENT_DEPLOY_STEPS: readonly JsonObject[] = [
  {
    step: 'write_image',
    priority: 0,
    interface: 'deploy',
    reboot_requested: false,
    argsinfo: {
      image_info: { description: 'Information about the image to write', required: true },
      configdrive: {
        description: 'A config drive (not supported by Ferrite’s agent yet)',
        required: false,
      },
    },
  },
];

export function deployCommands(host: AgentHost): CommandTable {
  return {
    'deploy.get_deploy_steps': {
      async: false,
      async run() {
        return {
          deploy_steps: { [HARDWARE_MANAGER]: [...AGENT_DEPLOY_STEPS] },
          hardware_manager_version: { [HARDWARE_MANAGER]: '1.1' },
        };
      },
    },
    'deploy.execute_deploy_step': {
      async: true,
      async run(params, { signal }) {
        const step = objectParam(params, 'step');
        if (step['step'] !== 'write_image') {
          throw new AgentCommandError(
            `No hardware manager offers the deploy step ${JSON.stringify(step['step'])}`,
            'HardwareManagerMethodNotFound',
            400,
          );
        }
        const args = optionalObjectParam(step, 'args') ?? {};
        const node = optionalObjectParam(params, 'node');
        const result = await writeImageCommand(
          host,
          { ...args, ...(node ? { node } : {}) },
          signal,
        );
        return { deploy_result: result, deploy_step: step };
      },
    },
  };
}

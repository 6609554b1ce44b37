/**
 * What every agent-based operation shares: booting the ramdisk with the
 * parameters it needs, powering the node, and forgetting the agent (its URL
 * and token) when the operation ends, so the next one starts clean.
 */
import { FerriteError } from '../../../common/errors.ts';
import { PowerState } from '../../../common/states.ts';
import type { RequestablePowerState } from '../../../common/states.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import type { RamdiskParams } from '../../interfaces/boot.ts';
import type { Task } from '../../task.ts';
import { AGENT_TOKEN_KEY, AGENT_URL_KEY, AgentClient } from './agent-client.ts';
import { agentOptions } from './options.ts';
import type { AgentOptions } from './options.ts';

/** driver_internal_info keys an operation with the agent leaves behind. */
const AGENT_KEYS = [
  AGENT_URL_KEY,
  AGENT_TOKEN_KEY,
  'agent_secret_token_pregenerated',
  'agent_last_heartbeat',
  'agent_version',
  'agent_deploy_phase',
];

/** The agent client the interfaces of one factory share. */
export function sharedAgentClient(env: DriverEnvironment): AgentClient {
  const options = agentOptions(env);
  return env.resources.get(
    'agent-client',
    () => new AgentClient({ timeoutMs: options.commandTimeoutMs, retries: options.commandRetries }),
  );
}

/** The kernel parameters of the ramdisk: where the API is (ironic-python-agent's names). */
export function ramdiskParams(task: Task, options: AgentOptions): RamdiskParams {
  if (options.apiUrl === '') {
    throw new FerriteError('InvalidParameterValue', {
      err: 'The agent cannot be told where the API is: set [agent] api_url',
    });
  }
  return { 'ipa-api-url': options.apiUrl, 'ipa-node-uuid': task.node.uuid };
}

/** Sets the node's power and records it on the node. */
export async function setPower(task: Task, state: RequestablePowerState): Promise<void> {
  await task.driver.power.setPowerState(task, state);
  task.node.powerState = state === PowerState.REBOOT ? PowerState.POWER_ON : state;
}

/** Boots the node into the ramdisk: power off, boot configuration, power on. */
export async function bootRamdisk(task: Task, options: AgentOptions): Promise<void> {
  forgetAgent(task);
  const params = ramdiskParams(task, options);
  await setPower(task, PowerState.POWER_OFF);
  await task.driver.boot?.prepareRamdisk(task, params);
  await setPower(task, PowerState.POWER_ON);
}

/** Forgets the agent of the last operation: its URL, token and progress. */
export function forgetAgent(task: Task): void {
  for (const key of AGENT_KEYS) Reflect.deleteProperty(task.node.driverInternalInfo, key);
}

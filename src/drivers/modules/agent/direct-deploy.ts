import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import { PowerState, ProvisionState } from '../../../common/states.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { DeployBase } from '../../interfaces/deploy.ts';
import type {
  DeployResult,
  HeartbeatDetails,
  HeartbeatOutcome,
  PrepareCleaningResult,
} from '../../interfaces/deploy.ts';
import { gatherSteps } from '../../driver-steps.ts';
import { isJsonObject } from '../../../common/json.ts';
import type { CleanStepDescriptor, StepRequest, StepResult } from '../../steps.ts';
import { deployStep, isReservedStep } from '../../steps.ts';
import type { Task } from '../../task.ts';
import { commandError } from './agent-client.ts';
import type { AgentClient, AgentCommandRecord } from './agent-client.ts';
import { agentImageInfo, imageSource } from './image-source.ts';
import type { ImageSource } from './image-source.ts';
import { nodeHttpRoot } from '../pxe/node-http-root.ts';
import { agentOptions } from './options.ts';
import type { AgentOptions } from './options.ts';
import { bootRamdisk, forgetAgent, setPower, sharedAgentClient } from './ramdisk.ts';

/** Where a deploy with the agent stands, in driver_internal_info.agent_deploy_phase. */
const PHASE_KEY = 'agent_deploy_phase';

/** The name a file image is published under in the node's folder of the HTTP root. */
const INSTANCE_IMAGE = 'instance-image';
/** Set while a cleaning runs on the ramdisk (and must power it off and clean it up after). */
const CLEANING_RAMDISK_KEY = 'agent_cleaning_ramdisk';
/** Set while a file image is published for the node. */
const STAGED_KEY = 'agent_image_staged';

/** The agent's clean steps (its generic hardware manager's), on the deploy interface. */
const AGENT_STEPS = ['erase_devices', 'erase_devices_metadata'] as const;

/** The node as the agent's commands carry it. */
function nodeForAgent(task: Task, options: AgentOptions): JsonObject {
  return {
    uuid: task.node.uuid,
    properties: task.node.properties,
    instance_info: {},
    driver_internal_info: {
      agent_erase_devices_iterations: options.shredRandomOverwriteIterations,
      agent_erase_devices_zeroize: options.shredFinalOverwriteWithZeros,
    },
  };
}

function portsForAgent(task: Task): JsonObject[] {
  return task.ports.map((p) => ({ uuid: p.uuid, address: p.address }));
}

/**
 * `direct`: the ramdisk agent writes the image itself, streaming it from
 * its URL to the root disk. The deploy step boots the ramdisk and waits;
 * each heartbeat moves the deploy on (send the image, read how the writing
 * goes, then boot the instance from disk). Cleaning runs the agent's disk
 * erasure steps the same way.
 */
export class DirectDeploy extends DeployBase {
  readonly #env: DriverEnvironment;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
    // Read now so that bad settings stop the conductor from starting.
    agentOptions(env);
  }

  get #options(): AgentOptions {
    return agentOptions(this.#env);
  }

  get #client(): AgentClient {
    return sharedAgentClient(this.#env);
  }

  override async validate(task: Task): Promise<void> {
    // Instance fields only matter once a deploy is asked for.
    if (
      task.node.provisionState === ProvisionState.DEPLOYING ||
      task.node.instanceInfo['image_source'] !== undefined
    ) {
      imageSource(task.node.instanceInfo, this.#options);
    }
  }

  override async prepare(task: Task): Promise<void> {
    if (task.node.provisionState !== ProvisionState.DEPLOYING) return;
    imageSource(task.node.instanceInfo, this.#options);
    await task.driver.network?.addProvisioningNetwork(task);
  }

  /** Boots the ramdisk; the agent's heartbeats take the deploy on from here. */
  @deployStep({ priority: 100 })
  async deploy(task: Task): Promise<DeployResult> {
    await bootRamdisk(task, this.#options);
    task.node.driverInternalInfo[PHASE_KEY] = 'booting';
    return ProvisionState.DEPLOYWAIT;
  }

  async tearDown(task: Task): Promise<typeof ProvisionState.DELETED> {
    await setPower(task, PowerState.POWER_OFF);
    await task.driver.network?.unconfigureTenantNetworks(task);
    return ProvisionState.DELETED;
  }

  override async cleanUp(task: Task): Promise<void> {
    forgetAgent(task);
    await this.#unstageImage(task);
    await task.driver.boot?.cleanUpRamdisk(task);
    await task.driver.boot?.cleanUpInstance(task);
    await task.driver.network?.removeProvisioningNetwork(task);
  }

  /**
   * Boots the ramdisk when a step of the cleaning needs it; cleaning made
   * only of out-of-band steps (RAID through the BMC, say) runs without.
   */
  override async prepareCleaning(task: Task): Promise<PrepareCleaningResult> {
    if (!(await this.#cleaningNeedsRamdisk(task))) return undefined;
    await task.driver.network?.addCleaningNetwork(task);
    await bootRamdisk(task, this.#options);
    task.node.driverInternalInfo[CLEANING_RAMDISK_KEY] = true;
    return ProvisionState.CLEANWAIT;
  }

  override async tearDownCleaning(task: Task): Promise<void> {
    forgetAgent(task);
    if (task.node.driverInternalInfo[CLEANING_RAMDISK_KEY] !== true) return;
    Reflect.deleteProperty(task.node.driverInternalInfo, CLEANING_RAMDISK_KEY);
    await setPower(task, PowerState.POWER_OFF);
    await task.driver.boot?.cleanUpRamdisk(task);
    await task.driver.network?.removeCleaningNetwork(task);
  }

  async #cleaningNeedsRamdisk(task: Task): Promise<boolean> {
    const stored = task.node.driverInternalInfo['clean_steps'];
    const steps = Array.isArray(stored) ? stored.filter(isJsonObject) : [];
    const declared = await gatherSteps(task.driver, task, 'clean');
    return steps.some((step) => {
      // The conductor runs the reserved steps (hold, wait, power) itself.
      if (isReservedStep(step)) return false;
      const found = declared.find(
        (d) => d.interface === step['interface'] && d.step === step['step'],
      );
      return found?.requires_ramdisk !== false;
    });
  }

  override async getCleanSteps(task: Task): Promise<CleanStepDescriptor[]> {
    const priorities: Record<(typeof AGENT_STEPS)[number], number> = {
      erase_devices: this.#options.eraseDevicesPriority,
      erase_devices_metadata: this.#options.eraseDevicesMetadataPriority,
    };
    const agentSteps = AGENT_STEPS.map((step) => ({
      interface: 'deploy' as const,
      step,
      priority: priorities[step],
      argsinfo: null,
      abortable: true,
      requires_ramdisk: true,
    }));
    return [...(await super.getCleanSteps(task)), ...agentSteps];
  }

  /** The agent's steps run on the agent and finish on a later heartbeat. */
  override async executeCleanStep(task: Task, step: StepRequest): Promise<StepResult> {
    if (!(AGENT_STEPS as readonly string[]).includes(step.step))
      return super.executeCleanStep(task, step);
    const steps = await this.getCleanSteps(task);
    const declared = steps.find((s) => s.step === step.step);
    await this.#client.command(task, 'clean.execute_clean_step', {
      step: { ...declared, ...step, interface: 'deploy' } as unknown as JsonObject,
      node: nodeForAgent(task, this.#options),
      ports: portsForAgent(task),
      clean_version: {},
    });
    return ProvisionState.CLEANWAIT;
  }

  async heartbeat(
    task: Task,
    _callbackUrl: string,
    _details?: HeartbeatDetails,
  ): Promise<HeartbeatOutcome> {
    switch (task.node.provisionState) {
      case ProvisionState.DEPLOYWAIT:
        return this.#deployHeartbeat(task);
      case ProvisionState.CLEANWAIT:
        return this.#cleanHeartbeat(task);
      default:
        return 'wait';
    }
  }

  async #deployHeartbeat(task: Task): Promise<HeartbeatOutcome> {
    const info = task.node.driverInternalInfo;
    if (info[PHASE_KEY] !== 'writing') {
      const source = imageSource(task.node.instanceInfo, this.#options);
      await this.#client.command(task, 'standby.prepare_image', {
        image_info: agentImageInfo(source, await this.#imageUrl(task, source)),
        node: nodeForAgent(task, this.#options),
      });
      info[PHASE_KEY] = 'writing';
      return 'wait';
    }
    const written = await this.#finished(task, 'prepare_image', 'writing the image');
    if (written === undefined) return 'wait';
    await this.#bootInstance(task);
    return 'continue';
  }

  /** Where the agent fetches the image: its URL, or the conductor's HTTP root for a file. */
  async #imageUrl(task: Task, source: ImageSource): Promise<string> {
    if (source.kind === 'http') return source.location;
    const { root } = nodeHttpRoot(this.#env);
    task.node.driverInternalInfo[STAGED_KEY] = true;
    await root.stageImage(task.node.uuid, INSTANCE_IMAGE, source.location, task.signal);
    return root.nodeUrl(task.node.uuid, INSTANCE_IMAGE);
  }

  /** Once the image is on the disk: record its identity, boot from disk, reboot. */
  async #bootInstance(task: Task): Promise<void> {
    const uuids = await this.#client.command(task, 'standby.get_partition_uuids', {}, true);
    const result = uuids.command_result;
    if (result !== null && typeof result === 'object' && !Array.isArray(result)) {
      const root = result['root uuid'];
      if (typeof root === 'string') task.node.driverInternalInfo['root_uuid_or_disk_id'] = root;
    }
    await this.#client.command(task, 'standby.sync', {}, true);
    forgetAgent(task);
    await this.#unstageImage(task);
    await task.driver.boot?.prepareInstance(task);
    await task.driver.network?.removeProvisioningNetwork(task);
    await task.driver.network?.configureTenantNetworks(task);
    await setPower(task, PowerState.POWER_OFF);
    await setPower(task, PowerState.POWER_ON);
  }

  /** Removes a file image published for the agent, if any. */
  async #unstageImage(task: Task): Promise<void> {
    if (task.node.driverInternalInfo[STAGED_KEY] !== true) return;
    const { root } = nodeHttpRoot(this.#env);
    await root.remove(`${task.node.uuid}/${INSTANCE_IMAGE}`);
    Reflect.deleteProperty(task.node.driverInternalInfo, STAGED_KEY);
  }

  async #cleanHeartbeat(task: Task): Promise<HeartbeatOutcome> {
    const step = task.node.cleanStep;
    // The ramdisk is up and no step has run yet: cleaning can start.
    if (step === null) return 'continue';
    // Another interface's asynchronous step goes on its own way.
    if (step['interface'] !== 'deploy') return 'wait';
    const done = await this.#finished(
      task,
      'execute_clean_step',
      `clean step ${JSON.stringify(step['step'])}`,
    );
    return done === undefined ? 'wait' : 'continue';
  }

  /** The finished result of the agent's last `method`; undefined while it runs; throws when it failed. */
  async #finished(
    task: Task,
    method: string,
    what: string,
  ): Promise<AgentCommandRecord | undefined> {
    const result = await this.#client.lastResult(task, method);
    if (result === undefined) {
      throw new FerriteError('AgentAPIError', {
        node: task.node.uuid,
        status: 200,
        error: `the agent has no record of ${what}: it was restarted or is another agent`,
      });
    }
    if (result.command_status === 'RUNNING') return undefined;
    if (result.command_status !== 'SUCCEEDED') {
      throw new Error(`The agent failed ${what}: ${commandError(result)}`);
    }
    return result;
  }
}

import { FerriteError } from '../../src/common/errors.ts';
import { PowerState, ProvisionState } from '../../src/common/states.ts';
import type { RequestablePowerState } from '../../src/common/states.ts';
import { BUILTIN_HARDWARE_TYPES, BUILTIN_IMPLEMENTATIONS } from '../../src/drivers/builtin.ts';
import { InterfaceCatalog } from '../../src/drivers/catalog.ts';
import type { ImplementationEntry } from '../../src/drivers/catalog.ts';
import { DriverFactory } from '../../src/drivers/factory.ts';
import { defineHardwareType } from '../../src/drivers/hardware-type.ts';
import type { DeployResult } from '../../src/drivers/interfaces/deploy.ts';
import type { InspectResult } from '../../src/drivers/interfaces/inspect.ts';
import { InspectBase } from '../../src/drivers/interfaces/inspect.ts';
import { PowerBase } from '../../src/drivers/interfaces/power.ts';
import type { RescueResult } from '../../src/drivers/interfaces/rescue.ts';
import { RescueBase } from '../../src/drivers/interfaces/rescue.ts';
import { FakeDeploy } from '../../src/drivers/modules/fake/deploy.ts';
import { cleanStep, deployStep } from '../../src/drivers/steps.ts';
import type { StepResult } from '../../src/drivers/steps.ts';
import type { Clock } from '../../src/common/clock.ts';
import type { JsonObject } from '../../src/common/json.ts';
import type { Task } from '../../src/drivers/task.ts';

/**
 * Drivers whose behaviour a test scripts per node through driver_info:
 * `scripted_async: ['deploy.erase_devices', 'deploy.deploy', 'inspect', 'rescue']`
 * makes those return their wait state; `scripted_fail: [...]` makes them throw.
 */
function listed(task: Task, key: 'scripted_async' | 'scripted_fail', name: string): boolean {
  const value = task.node.driverInfo[key];
  return Array.isArray(value) && value.includes(name);
}

/** Records that a scripted step ran (driver_internal_info.scripted_ran), then fails it if scripted to. */
function failIfScripted(task: Task, name: string): void {
  const ran = task.node.driverInternalInfo['scripted_ran'];
  task.node.driverInternalInfo['scripted_ran'] = [...(Array.isArray(ran) ? ran : []), name];
  if (listed(task, 'scripted_fail', name)) {
    throw new FerriteError('NodeCleaningFailure', {
      node: task.node.uuid,
      reason: `${name} broke as scripted`,
    });
  }
}

/** A BMC per node whose answers the test controls: steady, failing, or a script of answers. */
export interface ScriptedBmc {
  /** What the hardware is in. */
  state: PowerState;
  /** Answers to give before the steady state, in order (an Error is thrown). */
  answers: (PowerState | Error)[];
  /** Every read fails while true. */
  failing: boolean;
  reads: number;
  /** The states set on it, in order. */
  sets: RequestablePowerState[];
  /** While set, a power change waits for it: the test decides when the BMC answers. */
  hold?: Promise<void>;
}

/** Power whose BMCs fail, flap and lie on command. */
export class ScriptedPower extends PowerBase {
  readonly bmcs = new Map<string, ScriptedBmc>();

  bmc(uuid: string): ScriptedBmc {
    let bmc = this.bmcs.get(uuid);
    if (!bmc) {
      bmc = { state: PowerState.POWER_OFF, answers: [], failing: false, reads: 0, sets: [] };
      this.bmcs.set(uuid, bmc);
    }
    return bmc;
  }

  async getPowerState(task: Task): Promise<PowerState> {
    const bmc = this.bmc(task.node.uuid);
    bmc.reads += 1;
    const scripted = bmc.answers.shift();
    if (scripted instanceof Error) throw scripted;
    if (scripted !== undefined) return scripted;
    if (bmc.failing)
      throw new FerriteError('IPMIFailure', { cmd: 'chassis power status (timed out)' });
    return bmc.state;
  }

  async setPowerState(task: Task, state: RequestablePowerState): Promise<void> {
    const bmc = this.bmc(task.node.uuid);
    if (bmc.failing) throw new FerriteError('IPMIFailure', { cmd: `chassis power ${state}` });
    if (bmc.hold) await bmc.hold;
    bmc.sets.push(state);
    bmc.state =
      state === PowerState.POWER_OFF || state === PowerState.SOFT_POWER_OFF
        ? PowerState.POWER_OFF
        : PowerState.POWER_ON;
  }

  async reboot(task: Task): Promise<void> {
    await this.setPowerState(task, PowerState.REBOOT);
  }

  override async getSupportedPowerStates(): Promise<RequestablePowerState[]> {
    return [
      PowerState.POWER_ON,
      PowerState.POWER_OFF,
      PowerState.REBOOT,
      PowerState.SOFT_POWER_OFF,
    ];
  }
}

/** Deploy with clean and deploy steps that wait or fail as scripted. */
export class ScriptedDeploy extends FakeDeploy {
  @cleanStep({ priority: 20, abortable: true })
  async eraseDevices(task: Task): Promise<StepResult> {
    failIfScripted(task, 'deploy.erase_devices');
    return listed(task, 'scripted_async', 'deploy.erase_devices')
      ? ProvisionState.CLEANWAIT
      : undefined;
  }

  @cleanStep({ priority: 10 })
  async eraseMetadata(task: Task): Promise<StepResult> {
    failIfScripted(task, 'deploy.erase_metadata');
    return listed(task, 'scripted_async', 'deploy.erase_metadata')
      ? ProvisionState.CLEANWAIT
      : undefined;
  }

  @deployStep({ priority: 100 })
  override async deploy(task: Task): Promise<DeployResult> {
    failIfScripted(task, 'deploy.deploy');
    return listed(task, 'scripted_async', 'deploy.deploy') ? ProvisionState.DEPLOYWAIT : undefined;
  }

  @deployStep({ priority: 40 })
  async writeImage(task: Task): Promise<StepResult> {
    failIfScripted(task, 'deploy.write_image');
    return undefined;
  }

  override async tearDown(task: Task): Promise<typeof ProvisionState.DELETED> {
    failIfScripted(task, 'deploy.tear_down');
    return ProvisionState.DELETED;
  }

  override async takeOver(task: Task): Promise<void> {
    failIfScripted(task, 'deploy.take_over');
  }
}

export class ScriptedInspect extends InspectBase {
  async inspectHardware(task: Task): Promise<InspectResult> {
    failIfScripted(task, 'inspect');
    if (listed(task, 'scripted_async', 'inspect')) return ProvisionState.INSPECTWAIT;
    task.node.properties = { ...task.node.properties, cpus: 4, memory_mb: 8192 };
    return ProvisionState.MANAGEABLE;
  }

  async continueInspection(task: Task, data: JsonObject): Promise<void> {
    task.node.properties = { ...task.node.properties, ...data };
  }

  async abort(_task: Task): Promise<void> {}
}

export class ScriptedRescue extends RescueBase {
  async rescue(task: Task): Promise<RescueResult> {
    failIfScripted(task, 'rescue');
    return listed(task, 'scripted_async', 'rescue')
      ? ProvisionState.RESCUEWAIT
      : ProvisionState.RESCUE;
  }

  async unrescue(task: Task): Promise<typeof ProvisionState.ACTIVE> {
    failIfScripted(task, 'unrescue');
    return ProvisionState.ACTIVE;
  }
}

export const SCRIPTED_HARDWARE = defineHardwareType({
  name: 'scripted-hardware',
  description: 'Test machines whose BMC and steps a test scripts',
  supported: {
    power: ['scripted'],
    deploy: ['scripted'],
    inspect: ['scripted'],
    rescue: ['scripted'],
    boot: ['fake'],
    management: ['fake'],
    console: ['fake'],
    raid: ['fake'],
    vendor: ['fake'],
  },
});

/** A factory with the built-in types plus `scripted-hardware`, sharing one ScriptedPower. */
export function scriptedFactory(clock: Clock): { factory: DriverFactory; power: ScriptedPower } {
  const power = new ScriptedPower();
  const entries: ImplementationEntry[] = [
    ...BUILTIN_IMPLEMENTATIONS,
    { interfaceType: 'power', name: 'scripted', description: 'scripted', create: () => power },
    {
      interfaceType: 'deploy',
      name: 'scripted',
      description: 'scripted',
      create: () => new ScriptedDeploy(),
    },
    {
      interfaceType: 'inspect',
      name: 'scripted',
      description: 'scripted',
      create: () => new ScriptedInspect(),
    },
    {
      interfaceType: 'rescue',
      name: 'scripted',
      description: 'scripted',
      create: () => new ScriptedRescue(),
    },
  ];
  const factory = new DriverFactory(
    new InterfaceCatalog(entries),
    [...BUILTIN_HARDWARE_TYPES, SCRIPTED_HARDWARE],
    {
      clock,
      options: {},
    },
  );
  return { factory, power };
}

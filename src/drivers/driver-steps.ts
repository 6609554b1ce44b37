import { FerriteError } from '../common/errors.ts';
import type { Driver, InterfaceMap } from './driver.ts';
import type { InterfaceType } from './interface-types.ts';
import type { BaseInterface } from './interfaces/base.ts';
import { validateStepArgs } from './steps.ts';
import type {
  CleanStepDescriptor,
  DeployStepDescriptor,
  StepDescriptor,
  StepKind,
  StepRequest,
} from './steps.ts';
import type { Task } from './task.ts';

/**
 * Which interfaces contribute steps, and how ties in step priority are
 * broken between them: the higher interface priority runs first. Other
 * interfaces (boot, network, …) take part in provisioning through their own
 * hooks, not through steps.
 */
export const STEP_INTERFACE_PRIORITY: Readonly<
  Record<StepKind, Partial<Record<InterfaceType, number>>>
> = {
  clean: { vendor: 7, power: 6, management: 5, deploy: 3, raid: 1 },
  deploy: { vendor: 7, power: 6, management: 5, deploy: 3, raid: 1 },
};

type DescriptorOf<K extends StepKind> = K extends 'clean'
  ? CleanStepDescriptor
  : DeployStepDescriptor;

/**
 * Orders steps as they will run: higher priority first; on a tie, the
 * interface with the higher step priority; then by step name. Stable.
 */
export function sortSteps<S extends StepDescriptor>(steps: readonly S[], kind: StepKind): S[] {
  const table = STEP_INTERFACE_PRIORITY[kind];
  return [...steps].sort(
    (a, b) =>
      b.priority - a.priority ||
      (table[b.interface] ?? 0) - (table[a.interface] ?? 0) ||
      (a.step < b.step ? -1 : a.step > b.step ? 1 : 0),
  );
}

export interface GatherOptions {
  /** Leave out steps with priority 0 (automated cleaning and deploying run only enabled steps). */
  readonly enabledOnly?: boolean;
  /** Priority per `interface.step`, replacing what the driver declares. */
  readonly priorityOverrides?: Readonly<Record<string, number>>;
}

/** `interface.step`, the id operators use to name a step in configuration. */
export function stepId(step: { readonly interface: string; readonly step: string }): string {
  return `${step.interface}.${step.step}`;
}

/** Every step of a driver's interfaces, in run order. */
export async function gatherSteps<K extends StepKind>(
  driver: Driver,
  task: Task,
  kind: K,
  options: GatherOptions = {},
): Promise<DescriptorOf<K>[]> {
  const steps: DescriptorOf<K>[] = [];
  for (const type of Object.keys(STEP_INTERFACE_PRIORITY[kind]) as InterfaceType[]) {
    const impl: BaseInterface | undefined = (driver as Partial<InterfaceMap>)[type];
    if (!impl) continue;
    const found =
      kind === 'clean' ? await impl.getCleanSteps(task) : await impl.getDeploySteps(task);
    for (const step of found as DescriptorOf<K>[]) {
      const override = options.priorityOverrides?.[stepId(step)];
      steps.push(override === undefined ? step : { ...step, priority: override });
    }
  }
  const enabled = options.enabledOnly ? steps.filter((s) => s.priority !== 0) : steps;
  return sortSteps(enabled, kind);
}

/** A user's step, checked against the driver and completed with what the driver declares. */
export type ValidatedCleanStep = StepRequest & {
  readonly priority: number;
  readonly abortable: boolean;
};

/**
 * Checks manual clean steps against the driver's steps: each must exist, and
 * its arguments must match the step's argsinfo. Every problem is reported at
 * once. The result carries the driver's priority and abortable flag.
 */
export function validateUserCleanSteps(
  driverSteps: readonly CleanStepDescriptor[],
  userSteps: readonly StepRequest[],
): ValidatedCleanStep[] {
  const byId = new Map(driverSteps.map((s) => [stepId(s), s]));
  const errors: string[] = [];
  const result: ValidatedCleanStep[] = [];
  for (const user of userSteps) {
    const declared = byId.get(stepId(user));
    if (!declared) {
      errors.push(`node does not support this clean step: ${JSON.stringify(user)}`);
      continue;
    }
    try {
      validateStepArgs(declared, user.args);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      continue;
    }
    result.push({ ...user, priority: declared.priority, abortable: declared.abortable });
  }
  if (errors.length > 0) {
    throw new FerriteError('InvalidParameterValue', { err: errors.join('; ') });
  }
  return result;
}

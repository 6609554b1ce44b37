import type { InterfaceType } from '../interface-types.ts';
import { declaredCleanSteps, declaredDeploySteps, runDeclaredStep } from '../steps.ts';
import type {
  CleanStepDescriptor,
  DeployStepDescriptor,
  StepRequest,
  StepResult,
} from '../steps.ts';
import type { Task } from '../task.ts';

/** Describes the driver_info keys an implementation reads: key → human description. */
export type PropertyDescriptions = Readonly<Record<string, string>>;

/** What every driver interface implementation offers. */
export interface BaseInterface {
  /** The interface this implementation fills (`power`, `deploy`, …). */
  readonly interfaceType: InterfaceType;
  /** The driver_info keys it reads, with descriptions; required ones say "Required." */
  getProperties(): PropertyDescriptions;
  /**
   * Checks that the node carries what this interface needs (driver_info,
   * instance_info). Quick: the API calls it synchronously. Throws
   * InvalidParameterValue or MissingParameterValue.
   */
  validate(task: Task): Promise<void>;
  /** All clean steps, enabled (priority > 0) or not, unordered. */
  getCleanSteps(task: Task): Promise<CleanStepDescriptor[]>;
  /** Runs one clean step; resolves to `clean wait` when it continues asynchronously. */
  executeCleanStep(task: Task, step: StepRequest): Promise<StepResult>;
  /** All deploy steps, unordered. */
  getDeploySteps(task: Task): Promise<DeployStepDescriptor[]>;
  /** Runs one deploy step; resolves to `wait call-back` when it continues asynchronously. */
  executeDeployStep(task: Task, step: StepRequest): Promise<StepResult>;
}

/**
 * Defaults for BaseInterface: no properties, nothing to validate, and steps
 * taken from the `@cleanStep` / `@deployStep` declarations of the class.
 */
export abstract class InterfaceBase implements BaseInterface {
  abstract readonly interfaceType: InterfaceType;

  getProperties(): PropertyDescriptions {
    return {};
  }

  async validate(_task: Task): Promise<void> {}

  async getCleanSteps(_task: Task): Promise<CleanStepDescriptor[]> {
    return declaredCleanSteps(this);
  }

  async executeCleanStep(task: Task, step: StepRequest): Promise<StepResult> {
    return runDeclaredStep(this, 'clean', task, step);
  }

  async getDeploySteps(_task: Task): Promise<DeployStepDescriptor[]> {
    return declaredDeploySteps(this);
  }

  async executeDeployStep(task: Task, step: StepRequest): Promise<StepResult> {
    return runDeclaredStep(this, 'deploy', task, step);
  }
}

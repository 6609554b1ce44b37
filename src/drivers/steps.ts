import { FerriteError } from '../common/errors.ts';
import { isJsonObject } from '../common/json.ts';
import type { JsonObject } from '../common/json.ts';
import { camelCase, snakeCase } from '../common/naming.ts';
import type { ProvisionState } from '../common/states.ts';
import { ownMethods } from './declared-methods.ts';
import type { InterfaceType } from './interface-types.ts';
import type { Task } from './task.ts';

/**
 * Clean and deploy steps: interface methods declared with a priority and the
 * arguments they take, gathered per implementation and run by name. The
 * decorators validate their declaration when the class is defined, so a bad
 * `argsinfo` fails at start-up rather than during someone's cleaning.
 */

export interface ArgInfo {
  readonly description: string;
  readonly required?: boolean;
}
export type ArgsInfo = Readonly<Record<string, ArgInfo>>;

export type StepKind = 'clean' | 'deploy';

/** A step as the conductor, the API and `driver_internal_info` see it (Ironic's step dict). */
export interface StepDescriptor {
  readonly interface: InterfaceType;
  readonly step: string;
  readonly priority: number;
  readonly argsinfo: ArgsInfo | null;
}

export interface CleanStepDescriptor extends StepDescriptor {
  readonly abortable: boolean;
  readonly requires_ramdisk: boolean;
}

export type DeployStepDescriptor = StepDescriptor;

/** A request to run one step, with the user's arguments under their wire names. */
export interface StepRequest {
  readonly interface: string;
  readonly step: string;
  readonly args?: JsonObject;
  readonly priority?: number;
}

/**
 * Step names the conductor runs itself in any list of steps: `hold`,
 * `wait`, and the power actions. No interface declares them.
 */
export const RESERVED_STEPS = ['hold', 'wait', 'power_on', 'power_off', 'reboot'] as const;

export function isReservedStep(step: { readonly step?: unknown }): boolean {
  return typeof step.step === 'string' && (RESERVED_STEPS as readonly string[]).includes(step.step);
}

/** What a step returns: nothing when done, or the wait state when it goes on asynchronously. */
export type StepResult =
  typeof ProvisionState.CLEANWAIT | typeof ProvisionState.DEPLOYWAIT | undefined;

/** A method that can be declared as a step: `(task, args)`, args in camelCase. */
export type StepMethod = (task: Task, args: never) => Promise<StepResult>;

export interface CleanStepOptions {
  /** 0 disables the step for automated cleaning; it remains available to manual cleaning. */
  readonly priority: number;
  readonly abortable?: boolean;
  readonly argsinfo?: ArgsInfo | null;
  /** Whether the step needs the agent ramdisk running (Ironic's `requires_ramdisk`). */
  readonly requiresRamdisk?: boolean;
}

export interface DeployStepOptions {
  readonly priority: number;
  readonly argsinfo?: ArgsInfo | null;
}

interface StepDeclaration {
  readonly name: string;
  readonly method: string;
  readonly priority: number;
  readonly argsinfo: ArgsInfo | null;
  readonly abortable: boolean;
  readonly requiresRamdisk: boolean;
}

const declarations = new WeakMap<object, Partial<Record<StepKind, StepDeclaration>>>();

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

/**
 * Checks an `argsinfo` declaration: a mapping of argument name to
 * `{description: string, required?: boolean}` and nothing else.
 */
export function validateArgsinfo(argsinfo: unknown): void {
  if (argsinfo === undefined || argsinfo === null) return;
  if (!isJsonObject(argsinfo)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `"argsinfo" must be a dictionary instead of "${describe(argsinfo)}"`,
    });
  }
  for (const [arg, info] of Object.entries(argsinfo)) {
    if (!isJsonObject(info)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Argument "${arg}" must be a dictionary instead of "${describe(info)}".`,
      });
    }
    let hasDescription = false;
    for (const [key, value] of Object.entries(info)) {
      if (key === 'description') {
        if (typeof value !== 'string') {
          throw new FerriteError('InvalidParameterValue', {
            err: `For argument "${arg}", "description" must be a string value instead of "${describe(value)}".`,
          });
        }
        hasDescription = true;
      } else if (key === 'required') {
        if (typeof value !== 'boolean') {
          throw new FerriteError('InvalidParameterValue', {
            err: `For argument "${arg}", "required" must be a Boolean value instead of "${describe(value)}".`,
          });
        }
      } else {
        throw new FerriteError('InvalidParameterValue', {
          err: `Argument "${arg}" has an invalid key named "${key}". It must be "description" or "required".`,
        });
      }
    }
    if (!hasDescription) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Argument "${arg}" is missing a "description".`,
      });
    }
  }
}

function validatePriority(priority: unknown): number {
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `"priority" must be a non-negative integer instead of "${describe(priority)}".`,
    });
  }
  return priority;
}

function declare(kind: StepKind, declaration: Omit<StepDeclaration, 'name' | 'method'>) {
  return function (value: StepMethod, context: ClassMethodDecoratorContext): void {
    if (typeof context.name !== 'string' || context.private || context.static) {
      throw new TypeError(`A ${kind} step must be a public instance method with a string name`);
    }
    const existing = declarations.get(value) ?? {};
    existing[kind] = { ...declaration, name: snakeCase(context.name), method: context.name };
    declarations.set(value, existing);
  };
}

/**
 * Declares a method as a clean step. Its step name is the method name in
 * snake_case (`eraseDevices` → `erase_devices`); its arguments arrive as one
 * object with camelCase keys.
 */
export function cleanStep(options: CleanStepOptions) {
  validateArgsinfo(options.argsinfo);
  return declare('clean', {
    priority: validatePriority(options.priority),
    argsinfo: options.argsinfo ?? null,
    abortable: options.abortable ?? false,
    requiresRamdisk: options.requiresRamdisk ?? true,
  });
}

/** Declares a method as a deploy step; the deploy interface's `deploy` is the core one. */
export function deployStep(options: DeployStepOptions) {
  validateArgsinfo(options.argsinfo);
  return declare('deploy', {
    priority: validatePriority(options.priority),
    argsinfo: options.argsinfo ?? null,
    abortable: false,
    requiresRamdisk: true,
  });
}

const collected = new WeakMap<object, Record<StepKind, readonly StepDeclaration[]>>();

/** The steps an object's class declares; an override without a decorator is no longer a step. */
function declaredOn(instance: object): Record<StepKind, readonly StepDeclaration[]> {
  const proto = Object.getPrototypeOf(instance) as object;
  const cached = collected.get(proto);
  if (cached) return cached;
  const result: Record<StepKind, StepDeclaration[]> = { clean: [], deploy: [] };
  for (const [, fn] of ownMethods(instance)) {
    const declared = declarations.get(fn);
    if (declared?.clean) result.clean.push(declared.clean);
    if (declared?.deploy) result.deploy.push(declared.deploy);
  }
  collected.set(proto, result);
  return result;
}

/** An implementation as far as steps are concerned. */
export interface StepOwner {
  readonly interfaceType: InterfaceType;
}

export function declaredCleanSteps(owner: StepOwner): CleanStepDescriptor[] {
  return declaredOn(owner).clean.map((d) => ({
    interface: owner.interfaceType,
    step: d.name,
    priority: d.priority,
    abortable: d.abortable,
    argsinfo: d.argsinfo,
    requires_ramdisk: d.requiresRamdisk,
  }));
}

export function declaredDeploySteps(owner: StepOwner): DeployStepDescriptor[] {
  return declaredOn(owner).deploy.map((d) => ({
    interface: owner.interfaceType,
    step: d.name,
    priority: d.priority,
    argsinfo: d.argsinfo,
  }));
}

/**
 * Checks a user's arguments against a step's argsinfo: every required
 * argument present, nothing the step does not declare.
 */
export function validateStepArgs(step: StepDescriptor, args: JsonObject | undefined): void {
  const info = step.argsinfo ?? {};
  const given = args ?? {};
  const unexpected = Object.keys(given).filter((k) => !Object.hasOwn(info, k));
  if (unexpected.length > 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `${step.interface}.${step.step} got unexpected arguments: ${unexpected.sort().join(', ')}`,
    });
  }
  const missing = Object.entries(info)
    .filter(([k, v]) => v.required === true && !Object.hasOwn(given, k))
    .map(([k]) => k);
  if (missing.length > 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `${step.interface}.${step.step} is missing required arguments: ${missing.sort().join(', ')}`,
    });
  }
}

/** Runs a declared step of `owner` by name, converting argument names to camelCase. */
export async function runDeclaredStep(
  owner: StepOwner,
  kind: StepKind,
  task: Task,
  request: StepRequest,
): Promise<StepResult> {
  if (request.interface !== owner.interfaceType) {
    throw new FerriteError('InvalidParameterValue', {
      err: `The ${kind} step ${request.interface}.${request.step} was sent to the ${owner.interfaceType} interface`,
    });
  }
  const declaration = declaredOn(owner)[kind].find((d) => d.name === request.step);
  if (!declaration) {
    throw new FerriteError('InvalidParameterValue', {
      err: `The ${owner.interfaceType} interface has no ${kind} step named "${request.step}"`,
    });
  }
  validateStepArgs(
    {
      interface: owner.interfaceType,
      step: declaration.name,
      priority: declaration.priority,
      argsinfo: declaration.argsinfo,
    },
    request.args,
  );
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.args ?? {})) args[camelCase(key)] = value;
  const method = (owner as unknown as Record<string, unknown>)[declaration.method];
  if (typeof method !== 'function') {
    throw new TypeError(
      `${declaration.method} is not a method of the ${owner.interfaceType} interface`,
    );
  }
  const run = method as (task: Task, args: unknown) => Promise<StepResult>;
  return run.call(owner, task, args);
}

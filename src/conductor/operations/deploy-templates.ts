import { FerriteError } from '../../common/errors.ts';
import type { Node } from '../../common/records.ts';
import type { StepRequest } from '../../drivers/steps.ts';
import type { ConductorContext } from '../context.ts';

/** The traits the instance asks for (`instance_info.traits`), which the node must have. */
export function instanceTraits(node: Readonly<Node>): string[] {
  const traits = node.instanceInfo['traits'];
  if (traits === undefined || traits === null) return [];
  if (!Array.isArray(traits) || traits.some((t) => typeof t !== 'string')) {
    throw new FerriteError('InvalidParameterValue', {
      err: `instance_info.traits of node ${node.uuid} must be a list of trait names`,
    });
  }
  const missing = (traits as string[]).filter((t) => !node.traits.includes(t));
  if (missing.length > 0) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Cannot deploy node ${node.uuid}: the instance asks for traits the node does not have: ${missing.join(', ')}`,
    });
  }
  return traits as string[];
}

/**
 * The deploy steps of the deploy templates named like the instance's
 * traits, as Ironic applies them: one template's step may not be given by
 * another as well.
 */
export async function templateSteps(
  ctx: ConductorContext,
  node: Readonly<Node>,
): Promise<StepRequest[]> {
  const traits = instanceTraits(node);
  if (traits.length === 0) return [];
  const templates = await ctx.store.deployTemplates.findByNames(traits);
  const steps: StepRequest[] = [];
  const from = new Map<string, string>();
  for (const template of templates) {
    for (const step of template.steps) {
      const id = `${step.interface}.${step.step}`;
      const other = from.get(id);
      if (other !== undefined) {
        throw new FerriteError('InvalidParameterValue', {
          err: `Duplicate deploy steps for node ${node.uuid}: deploy templates ${other} and ${template.name} both give ${id}`,
        });
      }
      from.set(id, template.name);
      steps.push({
        interface: step.interface,
        step: step.step,
        args: step.args,
        priority: step.priority,
      });
    }
  }
  return steps;
}

/** Template steps and the request's own steps together: a step the request gives wins. */
export function withUserSteps(
  fromTemplates: readonly StepRequest[],
  user: readonly StepRequest[],
): StepRequest[] {
  const given = new Set(user.map((s) => `${s.interface}.${s.step}`));
  return [...fromTemplates.filter((s) => !given.has(`${s.interface}.${s.step}`)), ...user];
}

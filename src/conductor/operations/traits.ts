import { FerriteError } from '../../common/errors.ts';
import type { ConductorContext } from '../context.ts';

/** As in Ironic: a node carries at most this many traits. */
export const MAX_TRAITS_PER_NODE = 50;

export type TraitChange =
  | { readonly kind: 'replace'; readonly traits: readonly string[] }
  | { readonly kind: 'add'; readonly trait: string }
  | { readonly kind: 'remove'; readonly trait?: string };

/**
 * Changes a node's traits under its lock, so that a deploy reading them for
 * deploy templates never sees half a change.
 */
export function changeTraits(
  ctx: ConductorContext,
  ident: string,
  change: TraitChange,
): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'changing traits' }, (task) => {
    const current = task.node.traits;
    let next: string[];
    if (change.kind === 'replace') next = [...new Set(change.traits)];
    else if (change.kind === 'add')
      next = current.includes(change.trait) ? current : [...current, change.trait];
    else if (change.trait === undefined) next = [];
    else {
      if (!current.includes(change.trait)) {
        throw new FerriteError('NodeTraitNotFound', {
          node_id: task.node.uuid,
          trait: change.trait,
        });
      }
      next = current.filter((t) => t !== change.trait);
    }
    if (next.length > MAX_TRAITS_PER_NODE) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Could not modify traits for node ${task.node.uuid}: would exceed the maximum of ${MAX_TRAITS_PER_NODE} traits per node.`,
      });
    }
    // Saved with the node when the task ends, in the same write that unlocks it.
    task.node.traits = next;
    return Promise.resolve();
  });
}

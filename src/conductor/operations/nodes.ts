import { randomUUID } from 'node:crypto';
import { FerriteError } from '../../common/errors.ts';
import { DELETE_ALLOWED_STATES } from '../../common/fsm.ts';
import type { Node } from '../../common/records.ts';
import { ProvisionState } from '../../common/states.ts';
import type { NewNode, NodeChanges } from '../../db/store.ts';
import { ALL_INTERFACES, interfaceField } from '../../drivers/interface-types.ts';
import type { ConductorContext } from '../context.ts';

/**
 * Enrols a node: the hardware type must be enabled, and each interface is
 * the node's choice (checked) or the hardware type's default, recorded so
 * the node keeps its driver when defaults change.
 */
export async function createNode(ctx: ConductorContext, fields: NewNode): Promise<Node> {
  const uuid = fields.uuid ?? randomUUID();
  const chosen = ctx.factory.resolveInterfaces({ ...fields, uuid });
  const interfaces: Partial<NewNode> = {};
  for (const type of ALL_INTERFACES) interfaces[interfaceField(type)] = chosen[type];
  return ctx.store.nodes.create({
    provisionState: ProvisionState.ENROLL,
    ...fields,
    ...interfaces,
    uuid,
  });
}

const DRIVER_FIELDS = new Set<string>(['driver', ...ALL_INTERFACES.map((t) => interfaceField(t))]);

/**
 * Changes a node's fields under its lock. A change of hardware type or
 * interface is checked against the factory, and the node's driver rebuilt.
 */
export function updateNode(
  ctx: ConductorContext,
  ident: string,
  changes: NodeChanges,
): Promise<Node> {
  return ctx.tasks.run(ident, { purpose: 'updating node' }, async (task) => {
    Object.assign(task.node, changes);
    if (Object.keys(changes).some((k) => DRIVER_FIELDS.has(k))) {
      const driverChanged = changes.driver !== undefined;
      const selection = { ...task.node };
      // A new hardware type gets its own defaults for interfaces the change does not name.
      if (driverChanged) {
        for (const type of ALL_INTERFACES) {
          const field = interfaceField(type);
          if (!(field in changes)) selection[field] = null;
        }
      }
      const chosen = ctx.factory.resolveInterfaces(selection);
      for (const type of ALL_INTERFACES) task.node[interfaceField(type)] = chosen[type];
      task.rebuildDriver();
    }
    await task.save();
    return { ...task.node };
  });
}

/**
 * Deletes a node with its ports and portgroups. Refused for a protected node,
 * one with an instance, or one in a state other than enroll, manageable,
 * adopt failed (and available, unless configured otherwise) — maintenance
 * lifts the state rule.
 */
export function deleteNode(ctx: ConductorContext, ident: string): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'deleting node' }, async (task) => {
    const node = task.node;
    if (node.protected) throw new FerriteError('NodeProtected', { node: node.uuid });
    if (node.instanceUuid !== null) {
      throw new FerriteError('NodeAssociated', { node: node.uuid, instance: node.instanceUuid });
    }
    const allowed = ctx.config.allowDeletingAvailableNodes
      ? [...DELETE_ALLOWED_STATES, ProvisionState.AVAILABLE]
      : DELETE_ALLOWED_STATES;
    if (!node.maintenance && !allowed.includes(node.provisionState)) {
      throw new FerriteError('InvalidState', {
        err: `Can not delete node "${node.uuid}" while it is in provision state "${node.provisionState}". Valid provision states to perform deletion are: ${allowed.map((s) => `"${s}"`).join(', ')}, or set the node into maintenance mode`,
      });
    }
    if (node.consoleEnabled && task.driver.console) {
      await task.driver.console.stopConsole(task);
      node.consoleEnabled = false;
    }
    await ctx.store.nodes.delete(node.uuid);
    // The row is gone: nothing left to save, and the lock went with it.
    task.discard();
  });
}

import { randomUUID } from 'node:crypto';
import { FerriteError } from '../../common/errors.ts';
import { DELETE_ALLOWED_STATES, UPDATE_ALLOWED_STATES } from '../../common/fsm.ts';
import { snakeCase } from '../../common/naming.ts';
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

const INTERFACE_FIELDS = ALL_INTERFACES.map((t) => interfaceField(t));

/** Where a node's driver, interfaces and resource class may change without maintenance. */
const DRIVER_UPDATE_STATES: readonly ProvisionState[] = [
  ProvisionState.ENROLL,
  ProvisionState.INSPECTING,
  ProvisionState.INSPECTWAIT,
  ProvisionState.MANAGEABLE,
  ProvisionState.AVAILABLE,
];

/** Where a node may be marked protected: it holds a workload. */
const PROTECTABLE_STATES: readonly ProvisionState[] = [
  ProvisionState.ACTIVE,
  ProvisionState.RESCUE,
];

export interface UpdateNodeOptions {
  /**
   * On a change of hardware type: true resets every interface the change
   * does not name to the new type's default; false keeps them (refused if
   * the new type does not support one). Unset, Ferrite resets only those
   * the new type does not support.
   */
  readonly resetInterfaces?: boolean;
  /** Clients older than API 1.39 may still update a node that is inspecting. */
  readonly allowWhileInspecting?: boolean;
}

function refuse(err: string): FerriteError {
  return new FerriteError('InvalidState', { err });
}

/** Ironic's rules on which fields may change in which state, checked under the node's lock. */
function checkUpdate(node: Node, changes: NodeChanges, options: UpdateNodeOptions): void {
  const onlyInstanceRemoval =
    Object.keys(changes).length === 1 && 'instanceUuid' in changes && changes.instanceUuid === null;
  if (
    node.targetProvisionState !== null &&
    !UPDATE_ALLOWED_STATES.includes(node.provisionState) &&
    !(node.maintenance && onlyInstanceRemoval)
  ) {
    throw refuse(`Node ${node.uuid} can not be updated while a state transition is in progress.`);
  }
  if (node.provisionState === ProvisionState.INSPECTING && !options.allowWhileInspecting) {
    throw refuse(`Cannot update node "${node.uuid}" while it is in state "inspecting".`);
  }
  const driverFree = node.maintenance || DRIVER_UPDATE_STATES.includes(node.provisionState);
  for (const field of ['driver', ...INTERFACE_FIELDS] as const) {
    if (field in changes && changes[field] !== node[field] && !driverFree) {
      throw refuse(
        `Node ${node.uuid} can not have ${field === 'driver' ? 'driver' : snakeCase(field)} updated unless it is in one of allowed (${DRIVER_UPDATE_STATES.join(', ')}) states or in maintenance mode.`,
      );
    }
  }
  if (
    changes.resourceClass !== undefined &&
    changes.resourceClass !== node.resourceClass &&
    node.resourceClass !== null &&
    !DRIVER_UPDATE_STATES.includes(node.provisionState)
  ) {
    throw refuse(
      `Node ${node.uuid} can not have resource_class updated unless it is in one of allowed (${DRIVER_UPDATE_STATES.join(', ')}) states.`,
    );
  }
  if (changes.driver !== undefined && changes.driver !== node.driver && node.consoleEnabled) {
    throw refuse(
      `Node ${node.uuid} can not update the driver while the console is enabled. Please stop the console first.`,
    );
  }
  if (
    changes.instanceUuid &&
    node.instanceUuid !== null &&
    changes.instanceUuid !== node.instanceUuid
  ) {
    throw new FerriteError('NodeAssociated', { node: node.uuid, instance: node.instanceUuid });
  }
}

/** Keeps the reasons consistent with their flags, and refuses a reason without its flag. */
function settleFlags(node: Node, changes: NodeChanges): void {
  if (
    changes.protected === true &&
    !node.protected &&
    !PROTECTABLE_STATES.includes(node.provisionState)
  ) {
    throw refuse(
      `Node ${node.uuid} can only be made protected in provision states ${PROTECTABLE_STATES.join(', ')}.`,
    );
  }
  if (
    changes.retired === true &&
    !node.retired &&
    node.provisionState === ProvisionState.AVAILABLE
  ) {
    throw refuse(
      `Node ${node.uuid} can not have "retired" set in provision state "available", the node needs to be moved to manageable first.`,
    );
  }
  Object.assign(node, changes);
  for (const [flag, reason] of [
    ['protected', 'protectedReason'],
    ['retired', 'retiredReason'],
  ] as const) {
    if (node[flag]) continue;
    if (reason in changes && changes[reason] !== null) {
      throw new FerriteError('InvalidParameterValue', {
        err: `${snakeCase(reason)} can only be set when ${flag} is True`,
      });
    }
    node[reason] = null;
  }
  if (changes.maintenance === false) {
    node.maintenanceReason = null;
    node.fault = null;
  }
}

/**
 * Changes a node's fields under its lock (`update` is the changes, or a
 * function of the locked node that returns them), by Ironic's rules on what may
 * change in which state. A change of hardware type or interface is checked
 * against the factory, and the node's driver rebuilt.
 */
export function updateNode(
  ctx: ConductorContext,
  ident: string,
  update: NodeChanges | ((node: Readonly<Node>) => NodeChanges | Promise<NodeChanges>),
  options: UpdateNodeOptions = {},
): Promise<Node> {
  return ctx.tasks.run(ident, { purpose: 'updating node' }, async (task) => {
    // A function computes the changes from the locked node: a JSON patch applies to what is current.
    const changes = typeof update === 'function' ? await update(task.node) : update;
    checkUpdate(task.node, changes, options);
    const before = { ...task.node };
    settleFlags(task.node, changes);
    const driverChanged = changes.driver !== undefined && changes.driver !== before.driver;
    if (driverChanged || INTERFACE_FIELDS.some((f) => f in changes)) {
      const selection = { ...task.node };
      if (driverChanged && options.resetInterfaces !== false) {
        for (const type of ALL_INTERFACES) {
          const field = interfaceField(type);
          if (field in changes) continue;
          const current = selection[field];
          const supported =
            current !== null &&
            ctx.factory.supportedImplementations(selection.driver, type).includes(current);
          // A new hardware type gets its own defaults for interfaces the change does not name.
          if (options.resetInterfaces === true || !supported) selection[field] = null;
        }
      }
      const chosen = ctx.factory.resolveInterfaces(selection);
      for (const type of ALL_INTERFACES) task.node[interfaceField(type)] = chosen[type];
      task.rebuildDriver();
    }
    await task.save();
    // What the caller sees is the node after the update, when the lock is gone.
    return { ...task.node, reservation: null };
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

import { FerriteError } from '../../common/errors.ts';
import type { Node, VolumeConnector, VolumeTarget } from '../../common/records.ts';
import { PowerState } from '../../common/states.ts';
import type { ConductorContext } from '../context.ts';

/**
 * Volume connectors and targets say how a node reaches its storage; Ironic
 * lets them change only while the node is powered off, so a running node
 * never has its boot volume swapped under it. Both checks run under the
 * node's lock.
 */

type ConnectorChanges = Partial<Omit<VolumeConnector, 'uuid'>>;
type TargetChanges = Partial<Omit<VolumeTarget, 'uuid'>>;

export type ConnectorUpdate = (
  connector: Readonly<VolumeConnector>,
) => ConnectorChanges | Promise<ConnectorChanges>;
export type TargetUpdate = (
  target: Readonly<VolumeTarget>,
) => TargetChanges | Promise<TargetChanges>;

function requirePoweredOff(node: Readonly<Node>, action: string): void {
  if (node.powerState !== PowerState.POWER_OFF) {
    throw new FerriteError('InvalidStateRequested', {
      action,
      node: node.uuid,
      state: String(node.powerState),
      allowed: 'nothing until the node is powered off',
    });
  }
}

/** A record moving to another node needs that node powered off too. */
async function checkDestination(
  ctx: ConductorContext,
  from: string,
  to: string | undefined,
  action: string,
): Promise<void> {
  if (to === undefined || to === from) return;
  requirePoweredOff(await ctx.store.nodes.get(to), action);
}

export function updateVolumeConnector(
  ctx: ConductorContext,
  uuid: string,
  nodeUuid: string,
  update: ConnectorUpdate,
): Promise<VolumeConnector> {
  const action = 'volume connector update';
  return ctx.tasks.run(nodeUuid, { purpose: action }, async (task) => {
    const current = task.volumeConnectors.find((c) => c.uuid === uuid);
    if (!current) throw new FerriteError('VolumeConnectorNotFound', { connector: uuid });
    requirePoweredOff(task.node, action);
    const changes = await update(current);
    if (Object.keys(changes).length === 0) return current;
    await checkDestination(ctx, nodeUuid, changes.nodeUuid, action);
    return ctx.store.volumes.updateConnector(uuid, changes);
  });
}

export function deleteVolumeConnector(
  ctx: ConductorContext,
  uuid: string,
  nodeUuid: string,
): Promise<void> {
  const action = 'volume connector deletion';
  return ctx.tasks.run(nodeUuid, { purpose: action }, async (task) => {
    if (!task.volumeConnectors.some((c) => c.uuid === uuid)) {
      throw new FerriteError('VolumeConnectorNotFound', { connector: uuid });
    }
    requirePoweredOff(task.node, action);
    await ctx.store.volumes.deleteConnector(uuid);
  });
}

export function updateVolumeTarget(
  ctx: ConductorContext,
  uuid: string,
  nodeUuid: string,
  update: TargetUpdate,
): Promise<VolumeTarget> {
  const action = 'volume target update';
  return ctx.tasks.run(nodeUuid, { purpose: action }, async (task) => {
    const current = task.volumeTargets.find((t) => t.uuid === uuid);
    if (!current) throw new FerriteError('VolumeTargetNotFound', { target: uuid });
    requirePoweredOff(task.node, action);
    const changes = await update(current);
    if (Object.keys(changes).length === 0) return current;
    await checkDestination(ctx, nodeUuid, changes.nodeUuid, action);
    return ctx.store.volumes.updateTarget(uuid, changes);
  });
}

export function deleteVolumeTarget(
  ctx: ConductorContext,
  uuid: string,
  nodeUuid: string,
): Promise<void> {
  const action = 'volume target deletion';
  return ctx.tasks.run(nodeUuid, { purpose: action }, async (task) => {
    if (!task.volumeTargets.some((t) => t.uuid === uuid)) {
      throw new FerriteError('VolumeTargetNotFound', { target: uuid });
    }
    requirePoweredOff(task.node, action);
    await ctx.store.volumes.deleteTarget(uuid);
  });
}

import { FerriteError } from '../../common/errors.ts';
import type { Node, Port, Portgroup } from '../../common/records.ts';
import { ProvisionState } from '../../common/states.ts';
import type { NewPort, PortChanges } from '../../db/store.ts';
import { VIF_KEYS } from '../../drivers/modules/network/vif.ts';
import type { ConductorContext } from '../context.ts';
import type { NodeTask } from '../task-manager.ts';

/**
 * Ports change under their node's lock, by Ironic's rules: a port's
 * connectivity (portgroup, PXE, switch port, physical network, node) only
 * changes while the node is not serving a workload, its MAC not while an
 * instance uses it, and a port with a VIF bound stays until the VIF goes.
 */

/** Where a node's ports and portgroups may be rewired without maintenance. */
export const CONNECTIVITY_STATES: readonly ProvisionState[] = [
  ProvisionState.ENROLL,
  ProvisionState.INSPECTING,
  ProvisionState.INSPECTWAIT,
  ProvisionState.MANAGEABLE,
];

const CONNECTIVITY_FIELDS = [
  'nodeUuid',
  'portgroupUuid',
  'pxeEnabled',
  'localLinkConnection',
  'physicalNetwork',
] as const satisfies readonly (keyof Port)[];

export interface PortUpdateOptions {
  /** Clients older than API 1.39 may still update ports of a node that is inspecting. */
  readonly allowWhileInspecting?: boolean;
}

/** The changes to make, computed from the port as it is under the lock (a JSON patch). */
export type PortUpdate = (port: Readonly<Port>) => PortChanges | Promise<PortChanges>;

function conflict(err: string): FerriteError {
  return new FerriteError('PortgroupConflict', { err });
}

/** A port or portgroup of a node that is inspecting is left alone from API 1.39. */
export function refuseWhileInspecting(
  node: Readonly<Node>,
  what: string,
  options: PortUpdateOptions,
): void {
  if (node.provisionState === ProvisionState.INSPECTING && !options.allowWhileInspecting) {
    throw new FerriteError('InvalidState', {
      err: `Cannot update ${what} on "${node.uuid}" while it is in state "${ProvisionState.INSPECTING}".`,
    });
  }
}

/** Whether the node may have its wiring changed now. */
export function rewirable(node: Readonly<Node>): boolean {
  return node.maintenance || CONNECTIVITY_STATES.includes(node.provisionState);
}

/** The ports and portgroups of the node a port would belong to. */
interface Neighbourhood {
  readonly ports: readonly Port[];
  readonly portgroups: readonly Portgroup[];
}

async function neighbourhood(
  ctx: ConductorContext,
  task: NodeTask,
  nodeUuid: string,
): Promise<Neighbourhood> {
  if (nodeUuid === task.node.uuid) return task;
  const [ports, portgroups] = await Promise.all([
    ctx.store.ports.list({ nodeUuid }),
    ctx.store.portgroups.list({ nodeUuid }),
  ]);
  return { ports, portgroups };
}

/**
 * Checks a port's membership of its portgroup: the portgroup is its node's,
 * takes PXE-enabled members only if it supports standalone ports, and all
 * its members share one physical network.
 */
function checkMembership(
  near: Neighbourhood,
  port: Readonly<Port>,
  changed: ReadonlySet<keyof Port>,
): void {
  const pgUuid = port.portgroupUuid;
  if (pgUuid === null) return;
  const group = near.portgroups.find((g) => g.uuid === pgUuid);
  if (!group) {
    throw new FerriteError('InvalidParameterValue', {
      err: 'Port can not be added to a portgroup belonging to a different node.',
    });
  }
  if (
    (changed.has('pxeEnabled') || changed.has('portgroupUuid')) &&
    port.pxeEnabled &&
    !group.standalonePortsSupported
  ) {
    throw conflict(
      `Port group ${group.uuid} doesn't support standalone ports. This port ${port.uuid} cannot be a member of that port group because 'pxe_enabled' was set to True.`,
    );
  }
  if (!changed.has('portgroupUuid') && !changed.has('physicalNetwork')) return;
  const physnets = new Set(
    near.ports
      .filter((p) => p.portgroupUuid === pgUuid && p.uuid !== port.uuid)
      .map((p) => p.physicalNetwork),
  );
  if (physnets.size > 1) {
    throw new FerriteError('PortgroupPhysnetInconsistent', {
      portgroup: group.uuid,
      physical_networks: [...physnets].map(String).join(', '),
    });
  }
  if (physnets.size === 1 && !physnets.has(port.physicalNetwork)) {
    const [theirs] = [...physnets];
    throw conflict(
      `Port with physical network ${String(port.physicalNetwork)} cannot become a member of port group ${group.uuid} which has ports in physical network ${String(theirs)}.`,
    );
  }
}

/** Creates a port; the node is only read (a new port changes nothing the node is doing). */
export function createPort(ctx: ConductorContext, fields: NewPort): Promise<Port> {
  return ctx.tasks.run(
    fields.nodeUuid,
    { shared: true, purpose: 'creating port' },
    async (task) => {
      const candidate: Port = {
        uuid: fields.uuid ?? '',
        name: null,
        localLinkConnection: {},
        pxeEnabled: true,
        physicalNetwork: null,
        portgroupUuid: null,
        internalInfo: {},
        extra: {},
        isSmartnic: false,
        // Stamped by the store; the candidate is only checked, never written.
        createdAt: new Date(0),
        updatedAt: null,
        ...fields,
      };
      // Ironic only holds a new member to standalone support when PXE was asked for explicitly.
      const changed = new Set<keyof Port>(['portgroupUuid', 'physicalNetwork']);
      if (fields.pxeEnabled === true) changed.add('pxeEnabled');
      checkMembership(task, candidate, changed);
      return ctx.store.ports.create(fields);
    },
  );
}

function refuseRewiring(port: Readonly<Port>, node: Readonly<Node>): FerriteError {
  return new FerriteError('InvalidState', {
    err: `Port ${port.uuid} can not have any connectivity attributes (node_uuid, portgroup_uuid, pxe_enabled, local_link_connection, physical_network) updated unless node ${node.uuid} is in a ${CONNECTIVITY_STATES.join(', ')} state or in maintenance mode. The current state is ${node.provisionState}.`,
  });
}

/** Changes a port under its node's lock; returns it as stored. */
export function updatePort(
  ctx: ConductorContext,
  portUuid: string,
  nodeUuid: string,
  update: PortUpdate,
  options: PortUpdateOptions = {},
): Promise<Port> {
  return ctx.tasks.run(nodeUuid, { purpose: 'updating port' }, async (task) => {
    const current = task.ports.find((p) => p.uuid === portUuid);
    if (!current) throw new FerriteError('PortNotFound', { port: portUuid });
    const node = task.node;
    refuseWhileInspecting(node, `port "${portUuid}"`, options);
    const changes = await update(current);
    const changed = new Set(Object.keys(changes) as (keyof Port)[]);
    if (changed.size === 0) return current;
    if (
      changed.has('address') &&
      (node.provisionState === ProvisionState.ACTIVE || node.instanceUuid !== null) &&
      !node.maintenance
    ) {
      throw new FerriteError('InvalidState', {
        err: `Cannot update hardware address for port ${portUuid} as node ${node.uuid} is active or has instance UUID assigned`,
      });
    }
    const rewiring = CONNECTIVITY_FIELDS.some((f) => changed.has(f));
    if (rewiring && !rewirable(node)) throw refuseRewiring(current, node);
    const next: Port = { ...current, ...changes };
    if (next.nodeUuid !== node.uuid) {
      // Moving to another node rewires that node too: it must allow it as well.
      const target = await ctx.store.nodes.get(next.nodeUuid);
      if (!rewirable(target)) throw refuseRewiring(current, target);
    }
    checkMembership(await neighbourhood(ctx, task, next.nodeUuid), next, changed);
    const network = task.driver.network;
    if (network) {
      await network.validate(task);
      await network.portChanged(task, next);
    }
    // Written here, not through the task's copy: a refused write leaves the task's ports as read.
    return ctx.store.ports.update(portUuid, changes);
  });
}

/** The VIF bound to a port and what for (tenant, cleaning…), if any. */
function boundVif(port: Readonly<Port>): { vif: string; use: string } | undefined {
  for (const [use, key] of Object.entries(VIF_KEYS)) {
    const vif = port.internalInfo[key];
    if (typeof vif === 'string') return { vif, use };
  }
  const legacy = port.extra['vif_port_id'];
  return typeof legacy === 'string' ? { vif: legacy, use: 'tenant' } : undefined;
}

/** Deletes a port, unless a VIF is still bound to it (maintenance lifts that). */
export function deletePort(
  ctx: ConductorContext,
  portUuid: string,
  nodeUuid: string,
): Promise<void> {
  return ctx.tasks.run(nodeUuid, { purpose: 'deleting port' }, async (task) => {
    const port = task.ports.find((p) => p.uuid === portUuid);
    if (!port) throw new FerriteError('PortNotFound', { port: portUuid });
    const bound = boundVif(port);
    if (bound && !task.node.maintenance) {
      throw new FerriteError('InvalidState', {
        err: `Cannot delete the port ${portUuid} as it is bound to VIF ${bound.vif} for ${bound.use} use.`,
      });
    }
    await ctx.store.ports.delete(portUuid);
  });
}

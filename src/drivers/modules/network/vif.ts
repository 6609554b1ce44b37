import { FerriteError } from '../../../common/errors.ts';
import type { Port, Portgroup } from '../../../common/records.ts';
import type { VifInfo } from '../../interfaces/network.ts';
import type { Task } from '../../task.ts';

/** Where a port or portgroup records the VIF bound to it, per network. */
export const VIF_KEYS = {
  tenant: 'tenant_vif_port_id',
  cleaning: 'cleaning_vif_port_id',
  provisioning: 'provisioning_vif_port_id',
  rescuing: 'rescuing_vif_port_id',
  inspection: 'inspection_vif_port_id',
  servicing: 'servicing_vif_port_id',
} as const;

/** The order in which a port's VIFs are in use: a service network wins over the tenant. */
const CURRENT_ORDER = [
  VIF_KEYS.cleaning,
  VIF_KEYS.provisioning,
  VIF_KEYS.rescuing,
  VIF_KEYS.inspection,
  VIF_KEYS.servicing,
  VIF_KEYS.tenant,
] as const;

type PortLike = Port | Portgroup;

function isPortgroup(obj: PortLike): obj is Portgroup {
  return !('pxeEnabled' in obj);
}

export function tenantVif(obj: PortLike): string | null {
  const vif = obj.internalInfo[VIF_KEYS.tenant];
  return typeof vif === 'string' ? vif : null;
}

export function currentVif(obj: PortLike): string | null {
  for (const key of CURRENT_ORDER) {
    const vif = obj.internalInfo[key];
    if (typeof vif === 'string') return vif;
  }
  return null;
}

/** Every VIF attached to the node: ports first, then portgroups. */
export function listVifs(task: Task): { id: string }[] {
  const result: { id: string }[] = [];
  for (const obj of [...task.ports, ...task.portgroups]) {
    const vif = tenantVif(obj);
    if (vif !== null) result.push({ id: vif });
  }
  return result;
}

function alreadyAttached(vif: string, obj: PortLike): FerriteError {
  return new FerriteError('VifAlreadyAttached', {
    vif,
    object_type: isPortgroup(obj) ? 'Portgroup' : 'Port',
    object_uuid: obj.uuid,
  });
}

function noFreePort(vif: string): FerriteError {
  return new FerriteError('NoFreePhysicalPorts', { vif });
}

/** A port the user pinned the VIF to: it must be the node's, standalone and free. */
function pinnedPort(task: Task, uuid: string, vif: string): Port {
  const port = task.ports.find((p) => p.uuid === uuid);
  if (!port) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Port ${uuid} does not belong to node ${task.node.uuid}.`,
    });
  }
  if (port.portgroupUuid !== null) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Port ${uuid} is a member of portgroup ${port.portgroupUuid}; attach the VIF to the portgroup.`,
    });
  }
  if (tenantVif(port) !== null) throw noFreePort(vif);
  return port;
}

/** A portgroup the user pinned the VIF to: the node's, free, with free member ports. */
function pinnedPortgroup(task: Task, uuid: string, vif: string): Portgroup {
  const group = task.portgroups.find((g) => g.uuid === uuid);
  if (!group) {
    throw new FerriteError('InvalidParameterValue', {
      err: `Portgroup ${uuid} does not belong to node ${task.node.uuid}.`,
    });
  }
  const members = task.ports.filter((p) => p.portgroupUuid === uuid);
  if (
    tenantVif(group) !== null ||
    members.length === 0 ||
    members.some((p) => tenantVif(p) !== null)
  ) {
    throw noFreePort(vif);
  }
  return group;
}

/**
 * Picks the port or portgroup a new VIF goes on. `port_uuid` or
 * `portgroup_uuid` in the VIF info pins it (port wins). Otherwise the
 * candidates are free standalone ports and free portgroups with member
 * ports; a portgroup whose member already carries a VIF is split into its
 * free ports. Preference: portgroups over ports, PXE-enabled ports over
 * others, then node order.
 */
export function chooseForVif(task: Task, vifInfo: VifInfo): PortLike {
  const vif = vifInfo.id;
  for (const obj of [...task.ports, ...task.portgroups]) {
    if (tenantVif(obj) === vif) throw alreadyAttached(vif, obj);
  }
  if (typeof vifInfo.port_uuid === 'string') return pinnedPort(task, vifInfo.port_uuid, vif);
  if (typeof vifInfo.portgroup_uuid === 'string') {
    return pinnedPortgroup(task, vifInfo.portgroup_uuid, vif);
  }

  const candidates: PortLike[] = [];
  const freeMembers = new Map<string, Port[]>();
  const splitGroups = new Set<string>();
  for (const port of task.ports) {
    if (tenantVif(port) !== null) {
      if (port.portgroupUuid !== null) splitGroups.add(port.portgroupUuid);
    } else if (port.portgroupUuid === null) {
      candidates.push(port);
    } else {
      const members = freeMembers.get(port.portgroupUuid) ?? [];
      members.push(port);
      freeMembers.set(port.portgroupUuid, members);
    }
  }
  for (const group of task.portgroups) {
    if (tenantVif(group) !== null) continue;
    const members = freeMembers.get(group.uuid) ?? [];
    if (splitGroups.has(group.uuid)) candidates.push(...members);
    else if (members.length > 0) candidates.push(group);
  }
  const rank = (obj: PortLike): number => (isPortgroup(obj) ? 2 : obj.pxeEnabled ? 1 : 0);
  const best = candidates
    .map((obj, index) => ({ obj, index }))
    .sort((a, b) => rank(b.obj) - rank(a.obj) || a.index - b.index)[0];
  if (!best) throw noFreePort(vif);
  return best.obj;
}

/** Records `vif` as the tenant VIF of `obj`. */
export function bindVif(obj: PortLike, vif: string): void {
  obj.internalInfo = { ...obj.internalInfo, [VIF_KEYS.tenant]: vif };
}

/** Removes the tenant VIF `vif` from whichever portgroup or port holds it; VifNotAttached if none. */
export function unbindVif(task: Task, vif: string): PortLike {
  const holder = [...task.portgroups, ...task.ports].find((obj) => tenantVif(obj) === vif);
  if (!holder) throw new FerriteError('VifNotAttached', { vif, node: task.node.uuid });
  const { [VIF_KEYS.tenant]: _tenant, ...internalInfo } = holder.internalInfo;
  holder.internalInfo = internalInfo;
  return holder;
}

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

/**
 * Picks the port or portgroup a new VIF goes on. Candidates: free standalone
 * ports, and portgroups with at least one member port; a portgroup whose
 * member already carries a VIF is split into its free ports. Preference:
 * portgroups over ports, PXE-enabled ports over others, then node order.
 * `port_uuid` / `portgroup_uuid` in the VIF info restrict the choice.
 */
export function chooseForVif(task: Task, vifInfo: VifInfo): PortLike {
  const vif = vifInfo.id;
  for (const obj of [...task.ports, ...task.portgroups]) {
    if (tenantVif(obj) === vif) throw alreadyAttached(vif, obj);
  }
  const wantPort = typeof vifInfo.port_uuid === 'string' ? vifInfo.port_uuid : undefined;
  const wantGroup =
    wantPort === undefined && typeof vifInfo.portgroup_uuid === 'string'
      ? vifInfo.portgroup_uuid
      : undefined;

  const candidates: PortLike[] = [];
  const freeMembers = new Map<string, Port[]>();
  const splitGroups = new Set<string>();
  for (const port of task.ports) {
    if (wantPort !== undefined && port.uuid !== wantPort) continue;
    if (tenantVif(port) !== null) {
      if (port.portgroupUuid !== null) splitGroups.add(port.portgroupUuid);
      continue;
    }
    if (port.portgroupUuid === null) {
      if (wantGroup === undefined) candidates.push(port);
    } else {
      const members = freeMembers.get(port.portgroupUuid) ?? [];
      members.push(port);
      freeMembers.set(port.portgroupUuid, members);
    }
  }
  if (wantPort === undefined) {
    for (const group of task.portgroups) {
      if (wantGroup !== undefined && group.uuid !== wantGroup) continue;
      if (tenantVif(group) !== null) continue;
      const members = freeMembers.get(group.uuid) ?? [];
      if (splitGroups.has(group.uuid)) {
        if (wantGroup === undefined) candidates.push(...members);
      } else if (members.length > 0) {
        candidates.push(group);
      }
    }
  }
  const rank = (obj: PortLike): number => (isPortgroup(obj) ? 2 : obj.pxeEnabled ? 1 : 0);
  const best = candidates
    .map((obj, index) => ({ obj, index }))
    .sort((a, b) => rank(b.obj) - rank(a.obj) || a.index - b.index)[0];
  if (!best) throw new FerriteError('NoFreePhysicalPorts', { vif });
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
  const { vif_port_id: _legacy, ...extra } = holder.extra;
  holder.internalInfo = internalInfo;
  holder.extra = extra;
  return holder;
}

import { FerriteError } from '../../common/errors.ts';
import type { Portgroup } from '../../common/records.ts';
import type { PortgroupChanges } from '../../db/store.ts';
import type { ConductorContext } from '../context.ts';
import { CONNECTIVITY_STATES, refuseWhileInspecting, rewirable } from './ports.ts';
import type { PortUpdateOptions } from './ports.ts';

/** The changes to make, computed from the portgroup as it is under the lock (a JSON patch). */
export type PortgroupUpdate = (
  portgroup: Readonly<Portgroup>,
) => PortgroupChanges | Promise<PortgroupChanges>;

/**
 * Changes a portgroup under its node's lock. Moving it to another node needs
 * both nodes rewirable and the portgroup empty; it stops supporting
 * standalone ports only once none of its members boots by PXE.
 */
export function updatePortgroup(
  ctx: ConductorContext,
  portgroupUuid: string,
  nodeUuid: string,
  update: PortgroupUpdate,
  options: PortUpdateOptions = {},
): Promise<Portgroup> {
  return ctx.tasks.run(nodeUuid, { purpose: 'updating portgroup' }, async (task) => {
    const current = task.portgroups.find((g) => g.uuid === portgroupUuid);
    if (!current) throw new FerriteError('PortgroupNotFound', { portgroup: portgroupUuid });
    const node = task.node;
    refuseWhileInspecting(node, `portgroup "${portgroupUuid}"`, options);
    const changes = await update(current);
    if (Object.keys(changes).length === 0) return current;
    const next: Portgroup = { ...current, ...changes };
    const members = task.ports.filter((p) => p.portgroupUuid === portgroupUuid);
    if (next.nodeUuid !== current.nodeUuid) {
      const target = await ctx.store.nodes.get(next.nodeUuid);
      for (const n of [node, target]) {
        if (!rewirable(n)) {
          throw new FerriteError('InvalidState', {
            err: `Portgroup ${portgroupUuid} can not be associated to node ${target.uuid} unless the node is in a ${CONNECTIVITY_STATES.join(', ')} state or in maintenance mode.`,
          });
        }
      }
      if (members.length > 0)
        throw new FerriteError('PortgroupNotEmpty', { portgroup: portgroupUuid });
    }
    if (changes.standalonePortsSupported === false && members.some((p) => p.pxeEnabled)) {
      throw new FerriteError('PortgroupConflict', {
        err: `Port group ${portgroupUuid} has member ports with pxe_enabled set to True; it must keep supporting standalone ports.`,
      });
    }
    const network = task.driver.network;
    if (network) {
      await network.validate(task);
      await network.portgroupChanged(task, next);
    }
    return ctx.store.portgroups.update(portgroupUuid, changes);
  });
}

/** Deletes a portgroup under its node's lock; PortgroupNotEmpty while ports belong to it. */
export function deletePortgroup(
  ctx: ConductorContext,
  portgroupUuid: string,
  nodeUuid: string,
): Promise<void> {
  return ctx.tasks.run(nodeUuid, { purpose: 'deleting portgroup' }, async (task) => {
    if (!task.portgroups.some((g) => g.uuid === portgroupUuid)) {
      throw new FerriteError('PortgroupNotFound', { portgroup: portgroupUuid });
    }
    await ctx.store.portgroups.delete(portgroupUuid);
  });
}

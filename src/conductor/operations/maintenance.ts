import type { ConductorContext } from '../context.ts';

/**
 * Puts the node in maintenance (the conductor leaves it alone: no power
 * sync, no provisioning) or takes it out, which also clears the fault.
 */
export function setMaintenance(
  ctx: ConductorContext,
  ident: string,
  on: boolean,
  reason?: string,
): Promise<void> {
  return ctx.tasks.run(
    ident,
    { purpose: on ? 'entering maintenance' : 'leaving maintenance' },
    async (task) => {
      task.node.maintenance = on;
      task.node.maintenanceReason = on ? (reason ?? null) : null;
      if (!on) task.node.fault = null;
    },
  );
}

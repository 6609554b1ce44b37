import type { JsonObject } from '../../common/json.ts';
import { requireInterface } from '../../drivers/driver.ts';
import type { PropertyDescriptions } from '../../drivers/interfaces/base.ts';
import type { ConductorContext } from '../context.ts';

/** Sets (or with `{}` clears) the RAID configuration the node should be built with. */
export function setTargetRaidConfig(
  ctx: ConductorContext,
  ident: string,
  config: JsonObject,
): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'setting target RAID configuration' }, async (task) => {
    const raid = requireInterface(task.driver, 'raid');
    if (Object.keys(config).length > 0) await raid.validateRaidConfig(task, config);
    task.node.targetRaidConfig = config;
  });
}

/** The logical disk properties a hardware type's default RAID interface accepts. */
export function raidLogicalDiskProperties(
  ctx: ConductorContext,
  hardwareType: string,
): PropertyDescriptions {
  const name = ctx.factory.defaultImplementation(hardwareType, 'raid');
  return ctx.factory.instance('raid', name).getLogicalDiskProperties();
}

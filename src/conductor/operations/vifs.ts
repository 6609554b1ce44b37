import { FerriteError } from '../../common/errors.ts';
import { requireInterface } from '../../drivers/driver.ts';
import type { VifInfo } from '../../drivers/interfaces/network.ts';
import type { ConductorContext } from '../context.ts';

export function vifAttach(ctx: ConductorContext, ident: string, vif: VifInfo): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'attaching VIF' }, async (task) => {
    if (typeof vif.id !== 'string' || vif.id === '') {
      throw new FerriteError('InvalidParameterValue', { err: 'A VIF needs a non-empty "id".' });
    }
    await requireInterface(task.driver, 'network').vifAttach(task, vif);
  });
}

export function vifDetach(ctx: ConductorContext, ident: string, vifId: string): Promise<void> {
  return ctx.tasks.run(ident, { purpose: 'detaching VIF' }, (task) =>
    requireInterface(task.driver, 'network').vifDetach(task, vifId),
  );
}

export function vifList(ctx: ConductorContext, ident: string): Promise<{ id: string }[]> {
  return ctx.tasks.run(ident, { shared: true, purpose: 'listing VIFs' }, (task) =>
    requireInterface(task.driver, 'network').vifList(task),
  );
}

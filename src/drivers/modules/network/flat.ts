import { FerriteError } from '../../../common/errors.ts';
import type { Port, Portgroup } from '../../../common/records.ts';
import { NoopNetwork } from '../noop/network.ts';
import type { VifInfo } from '../../interfaces/network.ts';
import type { Task } from '../../task.ts';
import { bindVif, chooseForVif, currentVif, listVifs, unbindVif } from './vif.ts';

/**
 * `flat` network: every node sits on one provider network that Ferrite does
 * not reconfigure, so provisioning, cleaning and tenant traffic share it.
 * Network switching is therefore the noop one; what Ferrite does keep is
 * which VIF is bound to which port or portgroup, so that attach, detach and
 * list behave as clients expect.
 */
export class FlatNetwork extends NoopNetwork {
  override async vifAttach(task: Task, vifInfo: VifInfo): Promise<void> {
    if (typeof vifInfo.id !== 'string' || vifInfo.id === '') {
      throw new FerriteError('InvalidParameterValue', { err: 'A VIF needs a non-empty "id".' });
    }
    const target = chooseForVif(task, vifInfo);
    bindVif(target, vifInfo.id);
    await task.save();
  }

  override async vifDetach(task: Task, vifId: string): Promise<void> {
    unbindVif(task, vifId);
    await task.save();
  }

  override async vifList(task: Task): Promise<{ id: string }[]> {
    return listVifs(task);
  }

  override async getCurrentVif(_task: Task, portLike: Port | Portgroup): Promise<string | null> {
    return currentVif(portLike);
  }

  async validateRescue(_task: Task): Promise<void> {}
}

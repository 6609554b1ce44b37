import { FerriteError } from '../../../common/errors.ts';
import type { Port, Portgroup } from '../../../common/records.ts';
import { NetworkBase } from '../../interfaces/network.ts';
import type { VifInfo } from '../../interfaces/network.ts';
import type { Task } from '../../task.ts';
import { bindVif, chooseForVif, currentVif, listVifs, unbindVif } from './vif.ts';

/**
 * `flat` network: every node sits on one provider network that Ferrite does
 * not reconfigure, so provisioning, cleaning and tenant traffic share it.
 * What Ferrite does keep is which VIF is bound to which port or portgroup, so
 * that attach, detach and list behave as clients expect.
 */
export class FlatNetwork extends NetworkBase {
  async portChanged(_task: Task, _port: Port): Promise<void> {}
  async portgroupChanged(_task: Task, _portgroup: Portgroup): Promise<void> {}

  async vifAttach(task: Task, vifInfo: VifInfo): Promise<void> {
    if (typeof vifInfo.id !== 'string' || vifInfo.id === '') {
      throw new FerriteError('InvalidParameterValue', { err: 'A VIF needs a non-empty "id".' });
    }
    const target = chooseForVif(task, vifInfo);
    bindVif(target, vifInfo.id);
    await task.save();
  }

  async vifDetach(task: Task, vifId: string): Promise<void> {
    unbindVif(task, vifId);
    await task.save();
  }

  async vifList(task: Task): Promise<{ id: string }[]> {
    return listVifs(task);
  }

  async getCurrentVif(_task: Task, portLike: Port | Portgroup): Promise<string | null> {
    return currentVif(portLike);
  }

  async addProvisioningNetwork(_task: Task): Promise<void> {}
  async removeProvisioningNetwork(_task: Task): Promise<void> {}
  async configureTenantNetworks(_task: Task): Promise<void> {}
  async unconfigureTenantNetworks(_task: Task): Promise<void> {}
  async addCleaningNetwork(_task: Task): Promise<Record<string, string>> {
    return {};
  }
  async removeCleaningNetwork(_task: Task): Promise<void> {}
  async validateRescue(_task: Task): Promise<void> {}
  async addRescuingNetwork(_task: Task): Promise<Record<string, string>> {
    return {};
  }
  async removeRescuingNetwork(_task: Task): Promise<void> {}
  async validateInspection(_task: Task): Promise<void> {}
  async addInspectionNetwork(_task: Task): Promise<Record<string, string>> {
    return {};
  }
  async removeInspectionNetwork(_task: Task): Promise<void> {}
}

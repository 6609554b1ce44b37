import type { Port, Portgroup } from '../../../common/records.ts';
import { NetworkBase } from '../../interfaces/network.ts';
import type { VifInfo } from '../../interfaces/network.ts';
import type { Task } from '../../task.ts';

/**
 * `noop` network: Ferrite does not manage the node's networks. VIFs are
 * accepted and forgotten; there are no provisioning or cleaning networks.
 */
export class NoopNetwork extends NetworkBase {
  async portChanged(_task: Task, _port: Port): Promise<void> {}
  async portgroupChanged(_task: Task, _portgroup: Portgroup): Promise<void> {}
  async vifAttach(_task: Task, _vifInfo: VifInfo): Promise<void> {}
  async vifDetach(_task: Task, _vifId: string): Promise<void> {}
  async vifList(_task: Task): Promise<{ id: string }[]> {
    return [];
  }
  async getCurrentVif(_task: Task, _portLike: Port | Portgroup): Promise<string | null> {
    return null;
  }
  async addProvisioningNetwork(_task: Task): Promise<void> {}
  async removeProvisioningNetwork(_task: Task): Promise<void> {}
  async configureTenantNetworks(_task: Task): Promise<void> {}
  async unconfigureTenantNetworks(_task: Task): Promise<void> {}
  async addCleaningNetwork(_task: Task): Promise<Record<string, string>> {
    return {};
  }
  async removeCleaningNetwork(_task: Task): Promise<void> {}
  async validateInspection(_task: Task): Promise<void> {}
}

import type { DriverEnvironment } from '../../catalog.ts';
import type { Task } from '../../task.ts';
import { IpmiClient } from './client/ipmi-client.ts';
import { ipmiNodeInfo } from './driver-info.ts';
import type { IpmiNodeInfo } from './driver-info.ts';
import { ipmiOptions } from './options.ts';
import type { IpmiChannel } from './types.ts';

/**
 * The one IPMI client of a driver factory, shared by ipmi power, management
 * and console: one set of sockets and one session per BMC for every node
 * and interface, closed with the factory.
 */
export function sharedIpmiClient(env: DriverEnvironment): IpmiClient {
  return env.resources.get('ipmi-client', () => {
    const options = ipmiOptions(env);
    return new IpmiClient({
      timeoutMs: options.requestTimeoutMs,
      retries: options.retries,
      maxInFlightPerBmc: options.maxInFlightPerBmc,
    });
  });
}

/** A node's BMC: its checked driver_info and a channel to it. */
export interface NodeBmc extends IpmiNodeInfo {
  readonly channel: IpmiChannel;
}

export function nodeBmc(env: DriverEnvironment, task: Task): NodeBmc {
  const info = ipmiNodeInfo(task);
  return { ...info, channel: sharedIpmiClient(env).channel(info.target) };
}

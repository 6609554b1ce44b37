import type { DriverEnvironment } from '../../catalog.ts';
import type { Task } from '../../task.ts';
import { RedfishClient } from './client/redfish-client.ts';
import type { RedfishSession } from './client/redfish-client.ts';
import { redfishNodeInfo } from './driver-info.ts';
import type { RedfishNodeInfo } from './driver-info.ts';
import { redfishOptions } from './options.ts';

/**
 * The one Redfish client of a driver factory, shared by its redfish
 * interfaces: a keep-alive pool and a session per BMC, closed with the
 * factory. It waits (backoff, task polls) on the factory's clock.
 */
export function sharedRedfishClient(env: DriverEnvironment): RedfishClient {
  return env.resources.get('redfish-client', () => {
    const options = redfishOptions(env);
    return new RedfishClient({
      timeoutMs: options.requestTimeoutMs,
      retries: options.retries,
      sleep: (ms, signal) => env.clock.sleep(ms, signal),
    });
  });
}

/** A node's BMC: its checked driver_info and a session with it. */
export interface NodeRedfish extends RedfishNodeInfo {
  readonly session: RedfishSession;
}

export function nodeRedfish(env: DriverEnvironment, task: Task): NodeRedfish {
  const info = redfishNodeInfo(task);
  return { ...info, session: sharedRedfishClient(env).session(info.target) };
}

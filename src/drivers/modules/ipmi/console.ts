import { FerriteError } from '../../../common/errors.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { ConsoleBase } from '../../interfaces/console.ts';
import type { ConsoleInfo } from '../../interfaces/console.ts';
import type { Closeable } from '../../shared-resources.ts';
import type { Task } from '../../task.ts';
import { SolTcpBridge } from './client/sol-tcp-bridge.ts';
import { IPMI_DRIVER_INFO, ipmiNodeInfo } from './driver-info.ts';
import { ipmiOptions } from './options.ts';
import type { IpmiOptions } from './options.ts';
import { sharedIpmiClient } from './shared-client.ts';

/** driver_internal_info key: the TCP port of the node's console while it is started. */
export const IPMI_CONSOLE_PORT_KEY = 'ipmi_console_port';

/** The console listeners of one driver factory, by node UUID; closed with the factory. */
class ConsoleListeners implements Closeable {
  readonly byNode = new Map<string, Promise<SolTcpBridge>>();

  async close(): Promise<void> {
    const all = [...this.byNode.values()];
    this.byNode.clear();
    await Promise.allSettled(all.map(async (bridge) => (await bridge).close()));
  }
}

function listeners(env: DriverEnvironment): ConsoleListeners {
  return env.resources.get('ipmi-console-listeners', () => new ConsoleListeners());
}

/** A URL host: IPv6 literals in brackets. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The node's serial console over IPMI Serial over LAN: while started, a
 * TCP port (Ironic's "socat" console type) where a client — telnet, socat,
 * nc — reaches the host's serial line; each connection opens a SOL session
 * with the BMC in a session of its own (taking SOL over from a stale
 * session, as Ironic's ipmitool console does with `sol deactivate`).
 * One connection at a time; a second one is told so and closed.
 */
export class IpmiConsole extends ConsoleBase {
  readonly #env: DriverEnvironment;
  readonly #settings: IpmiOptions;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
    this.#settings = ipmiOptions(env);
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(IPMI_DRIVER_INFO);
  }

  override async validate(task: Task): Promise<void> {
    ipmiNodeInfo(task);
  }

  async startConsole(task: Task): Promise<void> {
    const { target } = ipmiNodeInfo(task);
    const registry = listeners(this.#env);
    const uuid = task.node.uuid;
    let starting = registry.byNode.get(uuid);
    if (starting === undefined) {
      const client = sharedIpmiClient(this.#env);
      starting = SolTcpBridge.start({
        host: this.#settings.consoleHost,
        ...(this.#settings.consolePortRange === undefined
          ? {}
          : { ports: this.#settings.consolePortRange }),
        open: (signal) => client.openSol(target, { signal, force: true }),
      });
      registry.byNode.set(uuid, starting);
      starting.catch(() => {
        if (registry.byNode.get(uuid) === starting) registry.byNode.delete(uuid);
      });
    }
    let bridge: SolTcpBridge;
    try {
      bridge = await starting;
    } catch (error) {
      throw new FerriteError('ConsoleError', {
        err: `Cannot start the IPMI console of node ${uuid}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    task.node.driverInternalInfo[IPMI_CONSOLE_PORT_KEY] = bridge.port;
  }

  async stopConsole(task: Task): Promise<void> {
    const registry = listeners(this.#env);
    const starting = registry.byNode.get(task.node.uuid);
    registry.byNode.delete(task.node.uuid);
    Reflect.deleteProperty(task.node.driverInternalInfo, IPMI_CONSOLE_PORT_KEY);
    if (starting === undefined) return;
    const bridge = await starting.catch(() => undefined);
    await bridge?.close();
  }

  async getConsole(task: Task): Promise<ConsoleInfo> {
    const starting = listeners(this.#env).byNode.get(task.node.uuid);
    const bridge = await starting?.catch(() => undefined);
    if (bridge === undefined) {
      throw new FerriteError('NodeConsoleNotEnabled', { node: task.node.uuid });
    }
    return {
      type: 'socat',
      url: `tcp://${urlHost(this.#settings.consoleHost)}:${String(bridge.port)}`,
    };
  }
}

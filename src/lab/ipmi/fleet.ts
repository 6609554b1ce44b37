/**
 * Many emulated IPMI BMCs in one process, each an EmulatedBmc behind its
 * own RMCP+ LAN server on a port of its own: the fleet that tests,
 * bench/ipmi and the lab talk to as they would to a rack of servers.
 */
import { EmulatedBmc } from './bmc.ts';
import type { EmulatedBmcOptions } from './bmc.ts';
import { startIpmiLanServers } from './session-server.ts';
import type { IpmiLanServer } from './session-server.ts';
import { PrivilegeLevel } from '../../drivers/modules/ipmi/types.ts';

export interface BmcFleetOptions {
  readonly count: number;
  /** Address every BMC listens on (default 127.0.0.1). */
  readonly host?: string;
  /** The one administrator of each BMC (default admin / password). */
  readonly username?: string;
  readonly password?: string;
  /** Cipher suites the BMCs offer (default 3 and 17). */
  readonly cipherSuites?: readonly number[];
  /** Options of each BMC, by its index in the fleet. */
  readonly bmc?: (index: number) => EmulatedBmcOptions;
}

/** One machine's BMC: its state and where it listens. */
export interface FleetBmc {
  readonly bmc: EmulatedBmc;
  readonly host: string;
  readonly port: number;
}

export interface BmcFleet {
  readonly bmcs: readonly FleetBmc[];
  readonly username: string;
  readonly password: string;
  /** Stops every BMC; idempotent. */
  close(): Promise<void>;
}

export async function startBmcFleet(options: BmcFleetOptions): Promise<BmcFleet> {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'password';
  const bmcs = Array.from(
    { length: options.count },
    (_, index) => new EmulatedBmc(options.bmc?.(index) ?? {}),
  );
  const servers: IpmiLanServer[] = await startIpmiLanServers(options.count, (index) => ({
    host: options.host ?? '127.0.0.1',
    users: [{ name: username, password, maxPrivilege: PrivilegeLevel.ADMINISTRATOR }],
    ...(options.cipherSuites === undefined ? {} : { cipherSuites: options.cipherSuites }),
    handler: (bmcs[index] as EmulatedBmc).handle,
    inboundFilter: () => !(bmcs[index] as EmulatedBmc).unreachable,
    serial: (bmcs[index] as EmulatedBmc).console,
  }));
  let closing: Promise<void> | undefined;
  return {
    bmcs: servers.map((server, index) => ({
      bmc: bmcs[index] as EmulatedBmc,
      host: server.host,
      port: server.port,
    })),
    username,
    password,
    close: () => (closing ??= Promise.all(servers.map((s) => s.close())).then(() => undefined)),
  };
}

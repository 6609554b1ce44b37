import { hostname } from 'node:os';

/** Power state synchronisation (Ironic's `sync_power_state_*` options). */
export interface PowerSyncConfig {
  /** How often all nodes are swept; 0 disables the sweep. */
  readonly intervalMs: number;
  /** Nodes read concurrently during a sweep. */
  readonly workers: number;
  /**
   * How many times a mismatch or a BMC failure is re-checked before acting:
   * a mismatch is acted on only when it persists this many re-reads; a node
   * whose BMC fails this many sweeps in a row goes into maintenance.
   */
  readonly maxRetries: number;
  /** Force the recorded state onto the hardware instead of recording what it reports. */
  readonly force: boolean;
  /** How often nodes in maintenance for a power failure are re-tried; 0 disables. */
  readonly recoveryIntervalMs: number;
}

export interface TimeoutConfig {
  /** How often wait states are checked for timeouts; 0 disables the check. */
  readonly checkIntervalMs: number;
  readonly deployCallbackMs: number;
  readonly cleanCallbackMs: number;
  readonly inspectWaitMs: number;
  readonly rescueCallbackMs: number;
  readonly serviceWaitMs: number;
}

export interface ConductorConfig {
  /** The name this conductor locks nodes with and registers under. */
  readonly host: string;
  readonly conductorGroup: string;
  /** How an exclusive lock request on a locked node is retried before NodeLocked. */
  readonly lockRetry: { readonly attempts: number; readonly intervalMs: number };
  /** Clean nodes when they become available (provide, undeploy). */
  readonly automatedClean: boolean;
  /** Priority overrides for clean steps by `interface.step`. */
  readonly cleanStepPriorityOverrides: Readonly<Record<string, number>>;
  /** At most this many nodes deploying or waiting for a deploy call-back. */
  readonly maxConcurrentDeploy: number;
  /** At most this many nodes cleaning, waiting on cleaning or being torn down. */
  readonly maxConcurrentClean: number;
  /** At most this many operations running in the background at once. */
  readonly workers: number;
  /** Whether available nodes may be deleted without going to manageable first. */
  readonly allowDeletingAvailableNodes: boolean;
  readonly powerSync: PowerSyncConfig;
  readonly timeouts: TimeoutConfig;
  /** Conductor heartbeat interval. */
  readonly heartbeatIntervalMs: number;
  /** A conductor silent this long is dead: its locks are taken back. */
  readonly heartbeatTimeoutMs: number;
  /** How long stop() waits for running operations before aborting them. */
  readonly gracefulShutdownMs: number;
}

const MINUTE = 60_000;

export const DEFAULT_CONDUCTOR_CONFIG: ConductorConfig = {
  host: hostname(),
  conductorGroup: '',
  lockRetry: { attempts: 3, intervalMs: 1000 },
  automatedClean: true,
  cleanStepPriorityOverrides: {},
  maxConcurrentDeploy: 250,
  maxConcurrentClean: 50,
  workers: 100,
  allowDeletingAvailableNodes: true,
  powerSync: {
    intervalMs: MINUTE,
    workers: 64,
    maxRetries: 3,
    force: false,
    recoveryIntervalMs: 5 * MINUTE,
  },
  timeouts: {
    checkIntervalMs: MINUTE,
    deployCallbackMs: 30 * MINUTE,
    cleanCallbackMs: 30 * MINUTE,
    inspectWaitMs: 30 * MINUTE,
    rescueCallbackMs: 30 * MINUTE,
    serviceWaitMs: 30 * MINUTE,
  },
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: MINUTE,
  gracefulShutdownMs: MINUTE,
};

/**
 * Settings that turn every periodic task off: for tools and tests that
 * drive the conductor themselves (a sweep, a timeout check) when they choose.
 */
export const NO_PERIODIC_WORK = {
  heartbeatIntervalMs: 0,
  powerSync: { intervalMs: 0, recoveryIntervalMs: 0 },
  timeouts: { checkIntervalMs: 0 },
} as const satisfies ConductorSettings;

/** Settings given by the operator, section by section. */
export type ConductorSettings = Partial<
  Omit<ConductorConfig, 'powerSync' | 'timeouts' | 'lockRetry'>
> & {
  readonly powerSync?: Partial<PowerSyncConfig>;
  readonly timeouts?: Partial<TimeoutConfig>;
  readonly lockRetry?: Partial<ConductorConfig['lockRetry']>;
};

export function conductorConfig(settings: ConductorSettings = {}): ConductorConfig {
  const d = DEFAULT_CONDUCTOR_CONFIG;
  return {
    ...d,
    ...settings,
    lockRetry: { ...d.lockRetry, ...settings.lockRetry },
    powerSync: { ...d.powerSync, ...settings.powerSync },
    timeouts: { ...d.timeouts, ...settings.timeouts },
  };
}

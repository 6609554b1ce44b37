import type { ProvisionState } from '../../common/states.ts';
import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/** What `deploy` reports: finished (nothing), or waiting for the ramdisk to call back. */
export type DeployResult = typeof ProvisionState.DEPLOYWAIT | undefined;

/** What `prepareCleaning` reports: ready now, or waiting for the ramdisk. */
export type PrepareCleaningResult = typeof ProvisionState.CLEANWAIT | undefined;

/** Details an agent heartbeat carries besides the callback URL. */
export interface HeartbeatDetails {
  readonly agentVersion?: string;
  readonly agentStatus?: string;
  readonly agentStatusMessage?: string;
  readonly agentVerifyCa?: string;
}

/**
 * What a heartbeat led to: the agent still works (`wait`), or what the
 * node waited for is done and its deploy or cleaning goes on (`continue`).
 * A failure is thrown.
 */
export type HeartbeatOutcome = 'wait' | 'continue';

/** Putting an image on a node, and taking it off again. */
export interface DeployInterface extends BaseInterface {
  readonly interfaceType: 'deploy';
  /**
   * Writes the instance. Called after `prepare`. Declared as the core deploy
   * step (`@deployStep({ priority: 100 })`) by every implementation.
   */
  deploy(task: Task): Promise<DeployResult>;
  /** Undoes a deployment; resolves to `deleted`. */
  tearDown(task: Task): Promise<typeof ProvisionState.DELETED>;
  /** Sets up what a deploy needs (idempotent). */
  prepare(task: Task): Promise<void>;
  /** Removes what `prepare` set up (idempotent, no exclusive lock needed). */
  cleanUp(task: Task): Promise<void>;
  /** Takes the node over from a conductor that died. */
  takeOver(task: Task): Promise<void>;
  /** Readies the node for cleaning, e.g. boots the ramdisk. */
  prepareCleaning(task: Task): Promise<PrepareCleaningResult>;
  /** Undoes `prepareCleaning`. */
  tearDownCleaning(task: Task): Promise<void>;
  /**
   * Moves an operation waiting for the ramdisk on, on the agent's heartbeat
   * (the node in `wait call-back` or `clean wait`, locked); only agent-based
   * implementations have it.
   */
  heartbeat?(
    task: Task,
    callbackUrl: string,
    details?: HeartbeatDetails,
  ): Promise<HeartbeatOutcome>;
}

/** Defaults: preparation, clean-up, take-over and cleaning hooks do nothing. */
export abstract class DeployBase extends InterfaceBase implements DeployInterface {
  readonly interfaceType = 'deploy' as const;
  abstract deploy(task: Task): Promise<DeployResult>;
  abstract tearDown(task: Task): Promise<typeof ProvisionState.DELETED>;

  async prepare(_task: Task): Promise<void> {}
  async cleanUp(_task: Task): Promise<void> {}
  async takeOver(_task: Task): Promise<void> {}
  async prepareCleaning(_task: Task): Promise<PrepareCleaningResult> {
    return undefined;
  }
  async tearDownCleaning(_task: Task): Promise<void> {}
}

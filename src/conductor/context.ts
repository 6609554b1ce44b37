import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/logging.ts';
import type { Store } from '../db/store.ts';
import type { DriverFactory } from '../drivers/factory.ts';
import type { ConductorConfig } from './config.ts';
import type { TaskManager } from './task-manager.ts';

/** What every conductor operation works with. */
export interface ConductorContext {
  readonly store: Store;
  readonly factory: DriverFactory;
  readonly config: ConductorConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tasks: TaskManager;
}

/** An error's message, for last_error. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

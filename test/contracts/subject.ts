import type { SimulatedClock } from '../../src/common/clock.ts';
import type { BaseInterface } from '../../src/drivers/interfaces/base.ts';
import type { Task } from '../../src/drivers/task.ts';

/**
 * One implementation under test and a fresh node for it: what a contract
 * suite gets at the start of every test.
 *
 * The task's node must pass the implementation's `validate()` (driver_info
 * pointing at the BMC or emulator, and so on). Suites arrange anything else
 * they need the way the conductor would: by changing `task.node`
 * (target_raid_config, properties, provision state) and by adding to
 * `task.ports` / `task.portgroups` in place.
 */
export interface ContractFixture<T extends BaseInterface> {
  readonly impl: T;
  readonly task: Task;
  /**
   * The simulated clock the implementation waits on, if any. Suites advance
   * it while an operation is pending, so waits cost no real time.
   */
  readonly clock?: SimulatedClock;
  /** Releases what setUp took (a BMC simulator, a socket, …). */
  tearDown?(): Promise<void>;
}

/**
 * An implementation a contract suite can be run against, e.g. the fake power
 * interface, or IPMI power talking to a BMC simulator. `setUp` runs once per
 * test, so every test starts from a fresh node (and, for real drivers, a
 * fresh BMC).
 */
export interface ContractSubject<T extends BaseInterface> {
  /** Shown in the test names, e.g. `power/fake` or `power/ipmitool (vbmc)`. */
  readonly name: string;
  setUp(): Promise<ContractFixture<T>>;
}

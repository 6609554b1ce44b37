import { SimulatedClock } from '../../src/common/clock.ts';
import type { Node } from '../../src/common/records.ts';
import { Conductor } from '../../src/conductor/conductor.ts';
import { NO_PERIODIC_WORK } from '../../src/conductor/config.ts';
import type { ConductorSettings } from '../../src/conductor/config.ts';
import type { TransitionListener } from '../../src/conductor/task-manager.ts';
import type { NewNode, Store } from '../../src/db/store.ts';
import type { DriverFactory } from '../../src/drivers/factory.ts';
import { drive } from './drive.ts';
import { scriptedFactory } from './scripted-drivers.ts';
import type { ScriptedPower } from './scripted-drivers.ts';

export type Transition = Parameters<TransitionListener>[0];

/** A conductor on a simulated clock, with the scripted hardware type available. */
export interface ConductorHarness {
  readonly store: Store;
  readonly clock: SimulatedClock;
  readonly conductor: Conductor;
  readonly power: ScriptedPower;
  readonly transitions: Transition[];
  enroll(fields?: Partial<NewNode>): Promise<Node>;
  /** Awaits `operation`, then every background operation it started, driving the clock. */
  act<T>(operation: Promise<T>): Promise<T>;
  /** Drives the clock until no background operation runs. */
  settle(): Promise<void>;
  node(ident: string): Promise<Node>;
  stop(): Promise<void>;
}

/** Periodic work off unless a test turns it on: tests call sweep() and checkTimeouts() themselves. */
const QUIET: ConductorSettings = {
  host: 'conductor-1',
  ...NO_PERIODIC_WORK,
};

export async function startConductor(
  store: Store,
  settings: ConductorSettings = {},
  options: {
    readonly clock?: SimulatedClock;
    readonly start?: boolean;
    /** The conductor's drivers; the scripted ones (and the built-in ones) by default. */
    readonly factory?: DriverFactory;
  } = {},
): Promise<ConductorHarness> {
  const clock = options.clock ?? new SimulatedClock();
  const scripted = scriptedFactory(clock);
  const factory = options.factory ?? scripted.factory;
  const power = scripted.power;
  const transitions: Transition[] = [];
  const conductor = new Conductor({
    store,
    factory,
    clock,
    settings: {
      ...QUIET,
      ...settings,
      powerSync: { ...QUIET.powerSync, ...settings.powerSync },
      timeouts: { ...QUIET.timeouts, ...settings.timeouts },
    },
    onTransition: (t) => transitions.push(t),
  });
  if (options.start !== false) await drive(clock, conductor.start());
  const settle = (): Promise<void> => drive(clock, conductor.idle());
  return {
    store,
    clock,
    conductor,
    power,
    transitions,
    enroll: (fields = {}) => conductor.createNode({ driver: 'fake-hardware', ...fields }),
    act: async (operation) => {
      const result = await drive(clock, operation);
      await settle();
      return result;
    },
    settle,
    node: (ident) => store.nodes.get(ident),
    stop: () => drive(clock, conductor.stop()),
  };
}

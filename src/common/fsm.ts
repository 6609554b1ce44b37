import { FerriteError } from './errors.ts';
import { ProvisionState as S } from './states.ts';
import type { ProvisionState } from './states.ts';

/**
 * The provisioning state machine as a pure table, after Ironic's
 * `state_machine.py`: every (state, event) pair that is allowed, the states
 * that are stable, and the stable state each transient state aims for.
 */
export const ProvisionEvent = {
  DEPLOY: 'deploy',
  REBUILD: 'rebuild',
  WAIT: 'wait',
  RESUME: 'resume',
  HOLD: 'hold',
  UNHOLD: 'unhold',
  DONE: 'done',
  FAIL: 'fail',
  ABORT: 'abort',
  DELETE: 'delete',
  CLEAN: 'clean',
  MANAGE: 'manage',
  PROVIDE: 'provide',
  INSPECT: 'inspect',
  RESCUE: 'rescue',
  UNRESCUE: 'unrescue',
  ADOPT: 'adopt',
  SERVICE: 'service',
} as const;
export type ProvisionEvent = (typeof ProvisionEvent)[keyof typeof ProvisionEvent];

export interface StateInfo {
  readonly stable: boolean;
  /** The stable state a transient state works towards, set as target on entry. */
  readonly target: ProvisionState | null;
}

const stable: StateInfo = { stable: true, target: null };
const toward = (target: ProvisionState): StateInfo => ({ stable: false, target });

/** The states of the machine. `deploy complete` and `deleted` are results, not states. */
export const MACHINE_STATES = {
  [S.ENROLL]: stable,
  [S.MANAGEABLE]: stable,
  [S.AVAILABLE]: stable,
  [S.ACTIVE]: stable,
  [S.ERROR]: stable,
  [S.RESCUE]: stable,
  [S.VERIFYING]: toward(S.MANAGEABLE),
  [S.DEPLOYING]: toward(S.ACTIVE),
  [S.DEPLOYWAIT]: toward(S.ACTIVE),
  [S.DEPLOYFAIL]: toward(S.ACTIVE),
  [S.DEPLOYHOLD]: toward(S.ACTIVE),
  [S.CLEANING]: toward(S.AVAILABLE),
  [S.CLEANWAIT]: toward(S.AVAILABLE),
  [S.CLEANFAIL]: toward(S.AVAILABLE),
  [S.CLEANHOLD]: toward(S.AVAILABLE),
  [S.DELETING]: toward(S.AVAILABLE),
  [S.INSPECTING]: toward(S.MANAGEABLE),
  [S.INSPECTFAIL]: toward(S.MANAGEABLE),
  [S.INSPECTWAIT]: toward(S.MANAGEABLE),
  [S.ADOPTING]: toward(S.ACTIVE),
  [S.ADOPTFAIL]: toward(S.ACTIVE),
  [S.RESCUING]: toward(S.RESCUE),
  [S.RESCUEWAIT]: toward(S.RESCUE),
  [S.RESCUEFAIL]: toward(S.RESCUE),
  [S.UNRESCUING]: toward(S.ACTIVE),
  [S.UNRESCUEFAIL]: toward(S.ACTIVE),
  [S.SERVICING]: toward(S.ACTIVE),
  [S.SERVICEWAIT]: toward(S.ACTIVE),
  [S.SERVICEFAIL]: toward(S.ACTIVE),
  [S.SERVICEHOLD]: toward(S.ACTIVE),
} as const satisfies Partial<Record<ProvisionState, StateInfo>>;
export type MachineState = keyof typeof MACHINE_STATES;

type Table = { readonly [K in MachineState]: Partial<Record<ProvisionEvent, MachineState>> };

/** (state, event) → next state. Absent pairs are refused. */
export const TRANSITIONS: Table = {
  [S.ENROLL]: { manage: S.VERIFYING },
  [S.VERIFYING]: { done: S.MANAGEABLE, fail: S.ENROLL },
  [S.MANAGEABLE]: {
    provide: S.CLEANING,
    clean: S.CLEANING,
    inspect: S.INSPECTING,
    adopt: S.ADOPTING,
  },
  [S.AVAILABLE]: { deploy: S.DEPLOYING, manage: S.MANAGEABLE },
  [S.DEPLOYING]: { fail: S.DEPLOYFAIL, wait: S.DEPLOYWAIT, hold: S.DEPLOYHOLD, done: S.ACTIVE },
  [S.DEPLOYWAIT]: {
    hold: S.DEPLOYHOLD,
    resume: S.DEPLOYING,
    fail: S.DEPLOYFAIL,
    abort: S.DEPLOYFAIL,
    delete: S.DELETING,
  },
  [S.DEPLOYHOLD]: { unhold: S.DEPLOYWAIT, abort: S.DEPLOYFAIL },
  [S.DEPLOYFAIL]: { rebuild: S.DEPLOYING, deploy: S.DEPLOYING, delete: S.DELETING },
  [S.ACTIVE]: {
    rebuild: S.DEPLOYING,
    delete: S.DELETING,
    rescue: S.RESCUING,
    service: S.SERVICING,
  },
  [S.DELETING]: { fail: S.ERROR, clean: S.CLEANING },
  [S.CLEANING]: {
    done: S.AVAILABLE,
    fail: S.CLEANFAIL,
    wait: S.CLEANWAIT,
    hold: S.CLEANHOLD,
    manage: S.MANAGEABLE,
  },
  [S.CLEANWAIT]: { fail: S.CLEANFAIL, abort: S.CLEANFAIL, hold: S.CLEANHOLD, resume: S.CLEANING },
  [S.CLEANHOLD]: { abort: S.CLEANFAIL, unhold: S.CLEANWAIT },
  [S.CLEANFAIL]: { manage: S.MANAGEABLE },
  [S.ERROR]: { rebuild: S.DEPLOYING, delete: S.DELETING },
  [S.INSPECTING]: { done: S.MANAGEABLE, fail: S.INSPECTFAIL, wait: S.INSPECTWAIT },
  [S.INSPECTWAIT]: {
    done: S.MANAGEABLE,
    fail: S.INSPECTFAIL,
    abort: S.INSPECTFAIL,
    resume: S.INSPECTING,
  },
  [S.INSPECTFAIL]: { manage: S.MANAGEABLE, inspect: S.INSPECTING },
  [S.RESCUING]: { done: S.RESCUE, wait: S.RESCUEWAIT, fail: S.RESCUEFAIL },
  [S.RESCUEWAIT]: {
    resume: S.RESCUING,
    fail: S.RESCUEFAIL,
    abort: S.RESCUEFAIL,
    delete: S.DELETING,
  },
  [S.RESCUE]: { rescue: S.RESCUING, delete: S.DELETING, unrescue: S.UNRESCUING },
  [S.RESCUEFAIL]: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING },
  [S.UNRESCUING]: { done: S.ACTIVE, fail: S.UNRESCUEFAIL },
  [S.UNRESCUEFAIL]: { rescue: S.RESCUING, unrescue: S.UNRESCUING, delete: S.DELETING },
  [S.ADOPTING]: { done: S.ACTIVE, fail: S.ADOPTFAIL },
  [S.ADOPTFAIL]: { adopt: S.ADOPTING, manage: S.MANAGEABLE },
  [S.SERVICING]: {
    done: S.ACTIVE,
    fail: S.SERVICEFAIL,
    wait: S.SERVICEWAIT,
    hold: S.SERVICEHOLD,
  },
  [S.SERVICEWAIT]: {
    hold: S.SERVICEHOLD,
    resume: S.SERVICING,
    fail: S.SERVICEFAIL,
    abort: S.SERVICEFAIL,
    delete: S.DELETING,
  },
  [S.SERVICEHOLD]: {
    service: S.SERVICING,
    unhold: S.SERVICEWAIT,
    fail: S.SERVICEFAIL,
    abort: S.SERVICEFAIL,
  },
  [S.SERVICEFAIL]: {
    service: S.SERVICING,
    rescue: S.RESCUING,
    wait: S.SERVICEWAIT,
    hold: S.SERVICEHOLD,
    delete: S.DELETING,
    abort: S.ACTIVE,
  },
};

/** `PUT /v1/nodes/{id}/states/provision` targets and the event each one sends. */
export const PROVISION_VERBS = {
  active: 'deploy',
  deploy: 'deploy',
  rebuild: 'rebuild',
  deleted: 'delete',
  undeploy: 'delete',
  manage: 'manage',
  provide: 'provide',
  inspect: 'inspect',
  abort: 'abort',
  clean: 'clean',
  adopt: 'adopt',
  rescue: 'rescue',
  unrescue: 'unrescue',
  unhold: 'unhold',
  service: 'service',
} as const satisfies Record<string, ProvisionEvent>;
export type ProvisionVerb = keyof typeof PROVISION_VERBS;

export const STABLE_STATES: readonly ProvisionState[] = [
  S.ENROLL,
  S.MANAGEABLE,
  S.AVAILABLE,
  S.ACTIVE,
  S.ERROR,
  S.RESCUE,
];

/** States in which a node's fields may be updated although it is not stable. */
export const UPDATE_ALLOWED_STATES: readonly ProvisionState[] = [
  S.DEPLOYFAIL,
  S.INSPECTING,
  S.INSPECTFAIL,
  S.INSPECTWAIT,
  S.CLEANFAIL,
  S.ERROR,
  S.VERIFYING,
  S.ADOPTFAIL,
  S.RESCUEFAIL,
  S.UNRESCUEFAIL,
  S.SERVICEHOLD,
  S.SERVICEFAIL,
];

/** States in which a node may be deleted (outside maintenance). */
export const DELETE_ALLOWED_STATES: readonly ProvisionState[] = [
  S.MANAGEABLE,
  S.ENROLL,
  S.ADOPTFAIL,
];

/** States that a conductor cannot resume after a restart: they are failed instead. */
export const STUCK_STATES_TREATED_AS_FAIL: readonly ProvisionState[] = [
  S.DEPLOYING,
  S.CLEANING,
  S.VERIFYING,
  S.INSPECTING,
  S.ADOPTING,
  S.RESCUING,
  S.UNRESCUING,
  S.DELETING,
  S.SERVICING,
];

/** States in which work is in progress (by the conductor or an agent). */
export const UNSTABLE_STATES: readonly ProvisionState[] = [
  S.DEPLOYING,
  S.DEPLOYWAIT,
  S.CLEANING,
  S.CLEANWAIT,
  S.VERIFYING,
  S.DELETING,
  S.INSPECTING,
  S.INSPECTWAIT,
  S.ADOPTING,
  S.RESCUING,
  S.RESCUEWAIT,
  S.UNRESCUING,
  S.SERVICING,
  S.SERVICEWAIT,
];

export const FAILURE_STATES: readonly ProvisionState[] = [
  S.DEPLOYFAIL,
  S.CLEANFAIL,
  S.INSPECTFAIL,
  S.RESCUEFAIL,
  S.UNRESCUEFAIL,
  S.ADOPTFAIL,
  S.SERVICEFAIL,
];

/** States in which an agent may look its node up. */
export const LOOKUP_ALLOWED_STATES: readonly ProvisionState[] = [
  S.DEPLOYING,
  S.DEPLOYWAIT,
  S.CLEANING,
  S.CLEANWAIT,
  S.INSPECTING,
  S.INSPECTWAIT,
  S.RESCUING,
  S.RESCUEWAIT,
];

export function isMachineState(state: string): state is MachineState {
  return Object.hasOwn(MACHINE_STATES, state);
}

export function isStable(state: ProvisionState): boolean {
  return isMachineState(state) && MACHINE_STATES[state].stable;
}

/** The events a state accepts, in table order. */
export function eventsFrom(state: ProvisionState): ProvisionEvent[] {
  return isMachineState(state) ? (Object.keys(TRANSITIONS[state]) as ProvisionEvent[]) : [];
}

export function canTransition(state: ProvisionState, event: ProvisionEvent): boolean {
  return isMachineState(state) && TRANSITIONS[state][event] !== undefined;
}

export interface Position {
  readonly provisionState: ProvisionState;
  readonly targetProvisionState: ProvisionState | null;
}

export interface TransitionOptions {
  /** Overrides the target the new state would get (must be stable), e.g. `manageable` for manual cleaning. */
  readonly target?: ProvisionState;
  /**
   * Keep the previous target instead of the new state's default, as a timed-out
   * manual clean does to return to `manageable`.
   */
  readonly keepTarget?: boolean;
  /** Names the node in the error when the transition is refused. */
  readonly node?: string;
}

/**
 * Applies `event` to a node's position and returns the new one. Throws
 * InvalidStateRequested when the table has no such transition.
 *
 * Target rules: a stable state has no target; a transient state gets its own
 * default target unless one is given (or the old one is kept).
 */
export function transition(
  from: Position,
  event: ProvisionEvent,
  options: TransitionOptions = {},
): Position {
  const state = from.provisionState;
  const next = isMachineState(state) ? TRANSITIONS[state][event] : undefined;
  if (next === undefined) {
    const allowed = eventsFrom(state);
    throw new FerriteError('InvalidStateRequested', {
      action: event,
      node: options.node ?? 'unknown',
      state,
      allowed: allowed.length > 0 ? allowed.join(', ') : 'nothing',
    });
  }
  if (options.target !== undefined && !isStable(options.target)) {
    throw new FerriteError('InvalidState', {
      err: `Target state '${options.target}' is not a 'stable' state`,
    });
  }
  const info: StateInfo = MACHINE_STATES[next];
  if (info.stable) return { provisionState: next, targetProvisionState: null };
  const target =
    options.target ?? (options.keepTarget ? from.targetProvisionState : null) ?? info.target;
  return { provisionState: next, targetProvisionState: target };
}

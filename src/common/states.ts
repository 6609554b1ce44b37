/**
 * Provision and power states, with Ironic's exact strings: they are what the
 * API shows and what clients compare against.
 */
export const ProvisionState = {
  ENROLL: 'enroll',
  VERIFYING: 'verifying',
  MANAGEABLE: 'manageable',
  AVAILABLE: 'available',
  ACTIVE: 'active',
  DEPLOYING: 'deploying',
  DEPLOYWAIT: 'wait call-back',
  DEPLOYFAIL: 'deploy failed',
  DEPLOYDONE: 'deploy complete',
  DEPLOYHOLD: 'deploy hold',
  DELETING: 'deleting',
  DELETED: 'deleted',
  CLEANING: 'cleaning',
  CLEANWAIT: 'clean wait',
  CLEANFAIL: 'clean failed',
  CLEANHOLD: 'clean hold',
  ERROR: 'error',
  REBUILD: 'rebuild',
  INSPECTING: 'inspecting',
  INSPECTWAIT: 'inspect wait',
  INSPECTFAIL: 'inspect failed',
  ADOPTING: 'adopting',
  ADOPTFAIL: 'adopt failed',
  RESCUING: 'rescuing',
  RESCUEWAIT: 'rescue wait',
  RESCUEFAIL: 'rescue failed',
  RESCUE: 'rescue',
  UNRESCUING: 'unrescuing',
  UNRESCUEFAIL: 'unrescue failed',
  SERVICING: 'servicing',
  SERVICEWAIT: 'service wait',
  SERVICEFAIL: 'service failed',
  SERVICEHOLD: 'service hold',
} as const;
export type ProvisionState = (typeof ProvisionState)[keyof typeof ProvisionState];
export const PROVISION_STATES: readonly ProvisionState[] = Object.values(ProvisionState);

export function isProvisionState(value: unknown): value is ProvisionState {
  return typeof value === 'string' && (PROVISION_STATES as readonly string[]).includes(value);
}

export const PowerState = {
  POWER_ON: 'power on',
  POWER_OFF: 'power off',
  REBOOT: 'rebooting',
  SOFT_REBOOT: 'soft rebooting',
  SOFT_POWER_OFF: 'soft power off',
  ERROR: 'error',
} as const;
export type PowerState = (typeof PowerState)[keyof typeof PowerState];
export const POWER_STATES: readonly PowerState[] = Object.values(PowerState);

/** Power states a client may request (everything but `error`). */
export type RequestablePowerState = Exclude<PowerState, 'error'>;
export const REQUESTABLE_POWER_STATES: readonly RequestablePowerState[] = POWER_STATES.filter(
  (s): s is RequestablePowerState => s !== PowerState.ERROR,
);

export function isPowerState(value: unknown): value is PowerState {
  return typeof value === 'string' && (POWER_STATES as readonly string[]).includes(value);
}

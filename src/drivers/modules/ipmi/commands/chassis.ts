/** Chassis power: Get Chassis Status and Chassis Control (IPMI 2.0 §28.2, §28.3). */
import type { IpmiChannel } from '../types.ts';
import { byteAt, exchange, NetFn, protocolError } from './exchange.ts';

export const ChassisCommand = { GET_STATUS: 0x01, CONTROL: 0x02 } as const;

/** Chassis Control data byte 1 (table 28-4). */
export const ChassisAction = {
  POWER_DOWN: 0,
  POWER_UP: 1,
  POWER_CYCLE: 2,
  HARD_RESET: 3,
  /** Pulse a diagnostic interrupt (NMI) to the host. */
  DIAGNOSTIC_INTERRUPT: 4,
  /** Emulates a fatal overtemperature: an ACPI soft shutdown through the OS. */
  SOFT_SHUTDOWN: 5,
} as const;
export type ChassisAction = (typeof ChassisAction)[keyof typeof ChassisAction];

export type PowerRestorePolicy = 'always-off' | 'previous' | 'always-on' | 'unknown';

const RESTORE_POLICIES: readonly PowerRestorePolicy[] = [
  'always-off',
  'previous',
  'always-on',
  'unknown',
];

export interface LastPowerEvent {
  readonly acFailed: boolean;
  readonly powerOverload: boolean;
  readonly powerInterlock: boolean;
  readonly powerFault: boolean;
  /** The last power on was commanded through IPMI. */
  readonly powerOnByIpmi: boolean;
}

export interface ChassisStatus {
  readonly powerOn: boolean;
  readonly powerOverload: boolean;
  readonly interlock: boolean;
  readonly powerFault: boolean;
  readonly powerControlFault: boolean;
  readonly powerRestorePolicy: PowerRestorePolicy;
  readonly lastPowerEvent: LastPowerEvent;
  readonly intrusion: boolean;
  readonly frontPanelLockout: boolean;
  readonly driveFault: boolean;
  readonly coolingFault: boolean;
}

export async function chassisControl(
  channel: IpmiChannel,
  action: ChassisAction,
  signal?: AbortSignal,
): Promise<void> {
  await exchange(
    channel,
    'chassis control',
    { netFn: NetFn.CHASSIS, command: ChassisCommand.CONTROL, data: Uint8Array.of(action) },
    0,
    signal,
  );
}

export async function getChassisStatus(
  channel: IpmiChannel,
  signal?: AbortSignal,
): Promise<ChassisStatus> {
  const data = await exchange(
    channel,
    'get chassis status',
    { netFn: NetFn.CHASSIS, command: ChassisCommand.GET_STATUS },
    3,
    signal,
  );
  return decodeChassisStatus(data);
}

/** The answer's data after the completion code: current power state, last power event, misc (front panel byte optional). */
export function decodeChassisStatus(data: Uint8Array): ChassisStatus {
  if (data.length < 3) {
    throw protocolError('get chassis status', `answer of ${String(data.length)} bytes, 3 expected`);
  }
  const power = byteAt(data, 0);
  const last = byteAt(data, 1);
  const misc = byteAt(data, 2);
  return {
    powerOn: (power & 0x01) !== 0,
    powerOverload: (power & 0x02) !== 0,
    interlock: (power & 0x04) !== 0,
    powerFault: (power & 0x08) !== 0,
    powerControlFault: (power & 0x10) !== 0,
    powerRestorePolicy: RESTORE_POLICIES[(power >> 5) & 0x03] ?? 'unknown',
    lastPowerEvent: {
      acFailed: (last & 0x01) !== 0,
      powerOverload: (last & 0x02) !== 0,
      powerInterlock: (last & 0x04) !== 0,
      powerFault: (last & 0x08) !== 0,
      powerOnByIpmi: (last & 0x10) !== 0,
    },
    intrusion: (misc & 0x01) !== 0,
    frontPanelLockout: (misc & 0x02) !== 0,
    driveFault: (misc & 0x04) !== 0,
    coolingFault: (misc & 0x08) !== 0,
  };
}

/**
 * An emulated BMC: the state and command answers of a baseboard management
 * controller, without any transport. The session server (or an in-memory
 * channel) hands it one request at a time through `handle`.
 *
 * It keeps what a BMC keeps for Ironic's ipmi driver: chassis power, the
 * System Boot Options parameters as raw bytes, its Device ID, and an SDR
 * repository built from sensor records with settable raw readings.
 */
import { ChassisAction, ChassisCommand } from '../../drivers/modules/ipmi/commands/chassis.ts';
import {
  BootFlagBits,
  BootOptionsCommand,
  BootParameter,
} from '../../drivers/modules/ipmi/commands/boot-options.ts';
import { GET_DEVICE_ID } from '../../drivers/modules/ipmi/commands/device-id.ts';
import { CompletionCode, NetFn } from '../../drivers/modules/ipmi/commands/exchange.ts';
import { LAST_RECORD_ID, SdrCommand } from '../../drivers/modules/ipmi/commands/sdr.ts';
import {
  AnalogFlag,
  encodeSensorRecord,
  isThresholdSensor,
  readableThresholds,
  SdrRecordType,
  SensorInit,
  ThresholdBit,
} from '../../drivers/modules/ipmi/commands/sdr-record.ts';
import type {
  CompactSensorRecord,
  FullSensorRecord,
  SensorRecord,
} from '../../drivers/modules/ipmi/commands/sdr-record.ts';
import {
  GET_SENSOR_READING,
  ReadingFlag,
  rawValue,
} from '../../drivers/modules/ipmi/commands/sensor-reading.ts';
import type { IpmiRequest, IpmiResponse } from '../../drivers/modules/ipmi/types.ts';
import { runEchoHost, SerialConsole } from './serial-console.ts';

const GET_SELF_TEST_RESULTS = 0x04;
const COLD_RESET = 0x02;
const WARM_RESET = 0x03;

/** Command-specific completion codes of Set/Get System Boot Options (IPMI 2.0 table 28-13/28-14). */
export const BootOptionsCompletion = {
  PARAMETER_NOT_SUPPORTED: 0x80,
  SET_IN_PROGRESS_ACTIVE: 0x81,
  READ_ONLY_PARAMETER: 0x82,
} as const;

/** Data length of each boot options parameter the BMC keeps. */
const BOOT_PARAMETER_LENGTH: ReadonlyMap<number, number> = new Map([
  [BootParameter.SET_IN_PROGRESS, 1],
  [BootParameter.VALID_BIT_CLEARING, 1],
  [BootParameter.BOOT_INFO_ACKNOWLEDGE, 2],
  [BootParameter.BOOT_FLAGS, 5],
]);

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** A full sensor record to emulate; the record ID is assigned when omitted. */
export type FullSensorDefinition = Optional<FullSensorRecord, 'recordId' | 'sdrVersion'>;
export type CompactSensorDefinition = Optional<CompactSensorRecord, 'recordId' | 'sdrVersion'>;

export interface EmulatedSensor {
  readonly record: FullSensorDefinition | CompactSensorDefinition;
  /** Raw reading byte (threshold sensors), 0 when omitted. */
  readonly raw?: number;
  /** Asserted states, bits 14:0 (discrete sensors). */
  readonly states?: number;
  /** Scanning and event generation; from the record's "enabled by default" bits when omitted. */
  readonly scanning?: boolean;
  readonly eventsEnabled?: boolean;
}

export interface ChassisControlEvent {
  readonly action: ChassisAction;
  /** Power after the action. */
  readonly powerOn: boolean;
  /**
   * Boot options parameter 5 as the host found it when this action booted it
   * (power up, cycle, reset); undefined when it did not boot.
   */
  readonly bootFlags?: Uint8Array;
}

export interface DeviceIdentity {
  readonly deviceId: number;
  readonly deviceRevision: number;
  readonly firmwareMajor: number;
  /** Two BCD digits, e.g. 0x10 for ".10". */
  readonly firmwareMinorBcd: number;
  readonly additionalDeviceSupport: number;
  readonly manufacturerId: number;
  readonly productId: number;
}

export interface EmulatedBmcOptions {
  readonly powerOn?: boolean;
  /** Sensors of the SDR repository; DEFAULT_SENSORS when omitted. */
  readonly sensors?: readonly EmulatedSensor[];
  readonly deviceId?: Partial<DeviceIdentity>;
  /** Largest Get SDR answer (record bytes); larger requests get 0xCA, as on small-buffer BMCs. */
  readonly sdrReadLimit?: number;
  readonly onChassisControl?: (event: ChassisControlEvent) => void;
  /**
   * The host behind the serial console: 'echo' (default) prints a login
   * banner when SOL activates and echoes typed lines; 'none' leaves the
   * console to the test (bmc.console.hostWrite / onInput).
   */
  readonly serialHost?: 'echo' | 'none';
  /** Host name in the echo host's banner and prompt (default ferrite-node). */
  readonly hostname?: string;
}

const DEFAULT_IDENTITY: DeviceIdentity = {
  deviceId: 0x20,
  deviceRevision: 1,
  firmwareMajor: 2,
  firmwareMinorBcd: 0x10,
  // Chassis, bridge-less, SEL, SDR repository, sensor device.
  additionalDeviceSupport: 0x87,
  manufacturerId: 0,
  productId: 0x4645,
};

const UNITS_NONE = { rate: 0, modifierRelation: 0, percentage: false, modifier: 0 } as const;

/** A linear, unsigned, threshold-based full sensor record with readable thresholds. */
export function thresholdSensor(
  init: Pick<FullSensorDefinition, 'sensorNumber' | 'sensorType' | 'idString'> &
    Partial<FullSensorDefinition> & {
      readonly baseUnit: number;
      readonly m?: number;
      readonly b?: number;
      readonly bExp?: number;
      readonly rExp?: number;
      readonly tolerance?: number;
    },
): FullSensorDefinition {
  const thresholds = init.thresholds ?? { unr: 0, ucr: 0, unc: 0, lnr: 0, lcr: 0, lnc: 0 };
  return {
    recordType: SdrRecordType.FULL_SENSOR,
    ownerId: 0x20,
    ownerLun: 0,
    channel: 0,
    entityId: 0x07,
    entityInstance: 1,
    logicalEntity: false,
    initialization:
      SensorInit.SCANNING |
      SensorInit.THRESHOLDS |
      SensorInit.SENSOR_TYPE |
      SensorInit.SCANNING_ENABLED_DEFAULT,
    // Threshold access: readable (bits 3:2 = 01b); per-threshold events.
    capabilities: 0x04,
    eventReadingType: 0x01,
    assertionMask: 0,
    deassertionMask: 0,
    readingMask: 0,
    units: { ...UNITS_NONE, analogFormat: 'unsigned', base: init.baseUnit },
    linearization: 0,
    conversion: {
      m: init.m ?? 1,
      tolerance: init.tolerance ?? 0,
      b: init.b ?? 0,
      accuracy: 0,
      accuracyExp: 0,
      direction: 1,
      rExp: init.rExp ?? 0,
      bExp: init.bExp ?? 0,
    },
    analogFlags: 0,
    nominalReading: 0,
    normalMaximum: 0,
    normalMinimum: 0,
    sensorMaximum: 0xff,
    sensorMinimum: 0,
    positiveHysteresis: 0,
    negativeHysteresis: 0,
    oem: 0,
    ...init,
    thresholds,
  };
}

/** A compact discrete sensor record (sensor-specific states unless eventReadingType says otherwise). */
export function discreteSensor(
  init: Pick<CompactSensorDefinition, 'sensorNumber' | 'sensorType' | 'idString'> &
    Partial<CompactSensorDefinition>,
): CompactSensorDefinition {
  return {
    recordType: SdrRecordType.COMPACT_SENSOR,
    ownerId: 0x20,
    ownerLun: 0,
    channel: 0,
    entityId: 0x07,
    entityInstance: 1,
    logicalEntity: false,
    initialization:
      SensorInit.SCANNING | SensorInit.SENSOR_TYPE | SensorInit.SCANNING_ENABLED_DEFAULT,
    capabilities: 0,
    eventReadingType: 0x6f,
    assertionMask: 0,
    deassertionMask: 0,
    readingMask: 0,
    units: { ...UNITS_NONE, analogFormat: 'none', base: 0 },
    sharing: 0,
    positiveHysteresis: 0,
    negativeHysteresis: 0,
    oem: 0,
    ...init,
  };
}

const READABLE_ALL = 0x3f;

/** A small server: two temperatures, a fan, a 12 V rail and the power supply's presence. */
export const DEFAULT_SENSORS: readonly EmulatedSensor[] = [
  {
    record: thresholdSensor({
      sensorNumber: 0x01,
      sensorType: 0x01,
      idString: 'CPU Temp',
      entityId: 0x03,
      baseUnit: 1,
      tolerance: 2,
      readingMask: ThresholdBit.LCR | ThresholdBit.LNC | ThresholdBit.UNC | ThresholdBit.UCR,
      analogFlags: AnalogFlag.NOMINAL,
      nominalReading: 40,
      thresholds: { unr: 0, ucr: 90, unc: 80, lnr: 0, lcr: 5, lnc: 10 },
      positiveHysteresis: 2,
      negativeHysteresis: 2,
      // lcr- and ucr+ assertions.
      assertionMask: 0x0204,
    }),
    raw: 45,
  },
  {
    record: thresholdSensor({
      sensorNumber: 0x02,
      sensorType: 0x01,
      idString: 'Inlet Temp',
      entityId: 0x37,
      baseUnit: 1,
      readingMask: ThresholdBit.UNC | ThresholdBit.UCR,
      thresholds: { unr: 0, ucr: 45, unc: 40, lnr: 0, lcr: 0, lnc: 0 },
    }),
    raw: 24,
  },
  {
    record: thresholdSensor({
      sensorNumber: 0x03,
      sensorType: 0x04,
      idString: 'Fan 1',
      entityId: 0x1d,
      baseUnit: 18,
      m: 60,
      readingMask: ThresholdBit.LCR | ThresholdBit.LNC,
      thresholds: { unr: 0, ucr: 0, unc: 0, lnr: 0, lcr: 10, lnc: 15 },
    }),
    raw: 80,
  },
  {
    record: thresholdSensor({
      sensorNumber: 0x04,
      sensorType: 0x02,
      idString: '12V',
      entityId: 0x0a,
      baseUnit: 4,
      m: 6,
      rExp: -2,
      readingMask: READABLE_ALL,
      thresholds: { unr: 233, ucr: 226, unc: 220, lnr: 167, lcr: 174, lnc: 180 },
    }),
    raw: 200,
  },
  {
    record: discreteSensor({
      sensorNumber: 0x05,
      sensorType: 0x08,
      idString: 'PSU1 Status',
      entityId: 0x0a,
      // Presence detected, failure detected.
      assertionMask: 0x0003,
      deassertionMask: 0x0003,
      readingMask: 0x0003,
    }),
    states: 0x0001,
  },
];

interface SensorState {
  record: SensorRecord;
  raw: number;
  states: number;
  unavailable: boolean;
  scanning: boolean;
  eventsEnabled: boolean;
}

function answer(completionCode: number, data: Iterable<number> = []): IpmiResponse {
  return { completionCode, data: Uint8Array.from(data) };
}

const ok = (data: Iterable<number> = []): IpmiResponse => answer(CompletionCode.OK, data);

/** MC device locator (type 12h) heading the repository, as real BMCs list themselves. */
function mcLocatorRecord(recordId: number): Uint8Array {
  const id = Array.from('Ferrite BMC', (c) => c.charCodeAt(0));
  // Slave address, channel, power state notification, capabilities, 3 reserved, entity, instance, OEM.
  const body = [
    0x20,
    0x00,
    0x00,
    0x87,
    0x00,
    0x00,
    0x00,
    0x07,
    0x01,
    0x00,
    0xc0 | id.length,
    ...id,
  ];
  return Uint8Array.from([recordId & 0xff, recordId >> 8, 0x51, 0x12, body.length, ...body]);
}

export class EmulatedBmc {
  /** Every chassis control action accepted, oldest first. */
  readonly chassisLog: ChassisAction[] = [];
  /** Diagnostic interrupts (NMIs) pulsed to the host. */
  nmiCount = 0;
  /** Cold and warm resets of the BMC itself. */
  bmcResets = 0;
  /** The BMC's network is cut: its LAN server drops every datagram unseen (fleet BMCs). */
  unreachable = false;
  /** Parameter 5 as the host last booted with it (power up, cycle, reset). */
  lastBootFlags: Uint8Array | undefined;
  onChassisControl: ((event: ChassisControlEvent) => void) | undefined;
  /** The host's serial port, which the LAN server offers as SOL. */
  readonly console = new SerialConsole();

  #powerOn: boolean;
  readonly #identity: DeviceIdentity;
  readonly #bootOptions = new Map<number, Uint8Array>();
  readonly #sdrReadLimit: number;
  #records: Uint8Array[] = [];
  readonly #sensors = new Map<number, SensorState>();
  #reservation = 0;
  #reservationCounter = 0;
  #failures: { remaining: number; completionCode: number } = { remaining: 0, completionCode: 0 };

  constructor(options: EmulatedBmcOptions = {}) {
    this.#powerOn = options.powerOn ?? false;
    this.#identity = { ...DEFAULT_IDENTITY, ...options.deviceId };
    this.#sdrReadLimit = Math.max(5, Math.min(0xfe, options.sdrReadLimit ?? 32));
    this.onChassisControl = options.onChassisControl;
    for (const [parameter, length] of BOOT_PARAMETER_LENGTH) {
      this.#bootOptions.set(parameter, new Uint8Array(length));
    }
    this.setSensors(options.sensors ?? DEFAULT_SENSORS);
    if ((options.serialHost ?? 'echo') === 'echo') runEchoHost(this.console, options.hostname);
  }

  get powerOn(): boolean {
    return this.#powerOn;
  }

  /** Changes the power as the host would (button, OS shutdown), without a chassis command. */
  set powerOn(on: boolean) {
    this.#powerOn = on;
  }

  /** The data bytes of a boot options parameter (a copy); undefined if not kept. */
  bootOption(parameter: number): Uint8Array | undefined {
    const value = this.#bootOptions.get(parameter);
    return value === undefined ? undefined : Uint8Array.from(value);
  }

  /** Replaces the SDR repository; any reservation is cancelled, as a repository change does. */
  setSensors(sensors: readonly EmulatedSensor[]): void {
    this.#sensors.clear();
    this.#records = [mcLocatorRecord(1)];
    let nextId = 2;
    for (const sensor of sensors) {
      const recordId = sensor.record.recordId ?? nextId;
      nextId = Math.max(nextId, recordId) + 1;
      const record = { sdrVersion: 0x51, ...sensor.record, recordId } as SensorRecord;
      this.#records.push(encodeSensorRecord(record));
      this.#sensors.set(record.sensorNumber, {
        record,
        raw: (sensor.raw ?? 0) & 0xff,
        states: (sensor.states ?? 0) & 0x7fff,
        unavailable: false,
        scanning:
          sensor.scanning ?? (record.initialization & SensorInit.SCANNING_ENABLED_DEFAULT) !== 0,
        eventsEnabled:
          sensor.eventsEnabled ?? (record.initialization & SensorInit.EVENTS_ENABLED_DEFAULT) !== 0,
      });
    }
    this.cancelSdrReservation();
  }

  /** Sets a sensor's raw reading (and states for discrete sensors); false for an unknown sensor. */
  setSensorReading(
    sensorNumber: number,
    reading: { raw?: number; states?: number; unavailable?: boolean; scanning?: boolean },
  ): boolean {
    const sensor = this.#sensors.get(sensorNumber);
    if (sensor === undefined) return false;
    if (reading.raw !== undefined) sensor.raw = reading.raw & 0xff;
    if (reading.states !== undefined) sensor.states = reading.states & 0x7fff;
    if (reading.unavailable !== undefined) sensor.unavailable = reading.unavailable;
    if (reading.scanning !== undefined) sensor.scanning = reading.scanning;
    return true;
  }

  /** Cancels the current SDR reservation, as another client reserving the repository would. */
  cancelSdrReservation(): void {
    this.#reservation = 0;
  }

  /** Answers the next `count` requests with `completionCode` (default: node busy) whatever they ask. */
  failNextCommands(count: number, completionCode: number = CompletionCode.NODE_BUSY): void {
    this.#failures = { remaining: Math.max(0, count), completionCode };
  }

  /** The IpmiCommandHandler: never throws, unknown commands get 0xC1. */
  readonly handle = (request: IpmiRequest): IpmiResponse => {
    if (this.#failures.remaining > 0) {
      this.#failures.remaining--;
      return answer(this.#failures.completionCode);
    }
    try {
      return this.#dispatch(request);
    } catch {
      return answer(CompletionCode.UNSPECIFIED);
    }
  };

  #dispatch(request: IpmiRequest): IpmiResponse {
    const data = request.data ?? new Uint8Array(0);
    if ((request.lun ?? 0) !== 0) return answer(CompletionCode.INVALID_FOR_LUN);
    switch ((request.netFn << 8) | request.command) {
      case (NetFn.APP << 8) | GET_DEVICE_ID:
        return data.length === 0 ? this.#deviceId() : answer(CompletionCode.DATA_LENGTH_INVALID);
      case (NetFn.APP << 8) | COLD_RESET:
      case (NetFn.APP << 8) | WARM_RESET:
        // The BMC restarts; the host's power and boot options are untouched.
        if (data.length !== 0) return answer(CompletionCode.DATA_LENGTH_INVALID);
        this.bmcResets++;
        return ok([]);
      case (NetFn.APP << 8) | GET_SELF_TEST_RESULTS:
        // 55h: no error.
        return data.length === 0 ? ok([0x55, 0x00]) : answer(CompletionCode.DATA_LENGTH_INVALID);
      case (NetFn.CHASSIS << 8) | ChassisCommand.GET_STATUS:
        return data.length === 0
          ? ok([this.#powerOn ? 0x01 : 0x00, 0x00, 0x00])
          : answer(CompletionCode.DATA_LENGTH_INVALID);
      case (NetFn.CHASSIS << 8) | ChassisCommand.CONTROL:
        return this.#chassisControl(data);
      case (NetFn.CHASSIS << 8) | BootOptionsCommand.SET:
        return this.#setBootOption(data);
      case (NetFn.CHASSIS << 8) | BootOptionsCommand.GET:
        return this.#getBootOption(data);
      case (NetFn.STORAGE << 8) | SdrCommand.GET_INFO:
        return data.length === 0 ? this.#sdrInfo() : answer(CompletionCode.DATA_LENGTH_INVALID);
      case (NetFn.STORAGE << 8) | SdrCommand.RESERVE:
        return data.length === 0 ? this.#reserve() : answer(CompletionCode.DATA_LENGTH_INVALID);
      case (NetFn.STORAGE << 8) | SdrCommand.GET:
        return this.#getSdr(data);
      case (NetFn.SENSOR_EVENT << 8) | GET_SENSOR_READING:
        return this.#sensorReading(data);
      default:
        return answer(CompletionCode.INVALID_COMMAND);
    }
  }

  #deviceId(): IpmiResponse {
    const id = this.#identity;
    return ok([
      id.deviceId & 0xff,
      id.deviceRevision & 0x0f,
      id.firmwareMajor & 0x7f,
      id.firmwareMinorBcd & 0xff,
      // IPMI 2.0, BCD with the minor digit high.
      0x02,
      id.additionalDeviceSupport & 0xff,
      id.manufacturerId & 0xff,
      (id.manufacturerId >> 8) & 0xff,
      (id.manufacturerId >> 16) & 0x0f,
      id.productId & 0xff,
      (id.productId >> 8) & 0xff,
    ]);
  }

  #chassisControl(data: Uint8Array): IpmiResponse {
    if (data.length !== 1) return answer(CompletionCode.DATA_LENGTH_INVALID);
    const action = data[0] ?? 0xff;
    let booted = false;
    switch (action) {
      case ChassisAction.POWER_DOWN:
        this.#powerOn = false;
        break;
      case ChassisAction.POWER_UP:
        booted = !this.#powerOn;
        this.#powerOn = true;
        break;
      case ChassisAction.POWER_CYCLE:
      case ChassisAction.HARD_RESET:
        // Nothing to cycle or reset while off.
        if (!this.#powerOn) return answer(CompletionCode.NOT_IN_PRESENT_STATE);
        booted = true;
        break;
      case ChassisAction.DIAGNOSTIC_INTERRUPT:
        if (!this.#powerOn) return answer(CompletionCode.NOT_IN_PRESENT_STATE);
        this.nmiCount++;
        break;
      case ChassisAction.SOFT_SHUTDOWN:
        // The emulated OS obeys at once; a lab machine may power back on through the hook.
        this.#powerOn = false;
        break;
      default:
        return answer(CompletionCode.INVALID_DATA_FIELD);
    }
    const chassisAction: ChassisAction = action;
    this.chassisLog.push(chassisAction);
    const bootFlags = booted ? this.#boot() : undefined;
    this.onChassisControl?.({
      action: chassisAction,
      powerOn: this.#powerOn,
      ...(bootFlags ? { bootFlags } : {}),
    });
    return ok();
  }

  /** The host boots: it reads parameter 5, whose valid bit then clears unless persistent. */
  #boot(): Uint8Array {
    const flags = this.#bootOptions.get(BootParameter.BOOT_FLAGS) ?? new Uint8Array(5);
    // Copies, not views: the data may be a Buffer, whose slice() shares memory.
    const seen = Uint8Array.from(flags);
    this.lastBootFlags = seen;
    const first = flags[0] ?? 0;
    if ((first & BootFlagBits.VALID) !== 0 && (first & BootFlagBits.PERSISTENT) === 0) {
      flags[0] = first & ~BootFlagBits.VALID;
    }
    return Uint8Array.from(seen);
  }

  #setBootOption(data: Uint8Array): IpmiResponse {
    if (data.length < 1) return answer(CompletionCode.DATA_LENGTH_INVALID);
    const parameter = (data[0] ?? 0) & 0x7f;
    const length = BOOT_PARAMETER_LENGTH.get(parameter);
    if (length === undefined) return answer(BootOptionsCompletion.PARAMETER_NOT_SUPPORTED);
    const value = data.subarray(1);
    if (value.length !== length) return answer(CompletionCode.DATA_LENGTH_INVALID);
    const current = this.#bootOptions.get(parameter) ?? new Uint8Array(length);
    switch (parameter) {
      case BootParameter.SET_IN_PROGRESS: {
        const state = (value[0] ?? 0) & 0x03;
        if (state === 3) return answer(CompletionCode.INVALID_DATA_FIELD);
        if (state === 1 && ((current[0] ?? 0) & 0x03) === 1) {
          return answer(BootOptionsCompletion.SET_IN_PROGRESS_ACTIVE);
        }
        // Commit write (2) completes the set at once here.
        this.#bootOptions.set(parameter, Uint8Array.of(state === 1 ? 1 : 0));
        return ok();
      }
      case BootParameter.VALID_BIT_CLEARING:
        this.#bootOptions.set(parameter, Uint8Array.of((value[0] ?? 0) & 0x1f));
        return ok();
      case BootParameter.BOOT_INFO_ACKNOWLEDGE: {
        // Byte 1 is a write mask for byte 2.
        const mask = value[0] ?? 0;
        const acknowledged = ((current[1] ?? 0) & ~mask) | ((value[1] ?? 0) & mask);
        this.#bootOptions.set(parameter, Uint8Array.of(0, acknowledged & 0xff));
        return ok();
      }
      default:
        this.#bootOptions.set(parameter, Uint8Array.from(value));
        return ok();
    }
  }

  #getBootOption(data: Uint8Array): IpmiResponse {
    if (data.length !== 3) return answer(CompletionCode.DATA_LENGTH_INVALID);
    const parameter = (data[0] ?? 0) & 0x7f;
    const value = this.#bootOptions.get(parameter);
    if (value === undefined) return answer(BootOptionsCompletion.PARAMETER_NOT_SUPPORTED);
    // Parameter version 1; bit 7 of the selector clear: the data is valid.
    return ok([0x01, parameter, ...value]);
  }

  #sdrInfo(): IpmiResponse {
    const count = this.#records.length;
    // Read-only repository: no free space, no timestamps; reserve supported.
    return ok([0x51, count & 0xff, count >> 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02]);
  }

  #reserve(): IpmiResponse {
    this.#reservationCounter = (this.#reservationCounter % 0xfffe) + 1;
    this.#reservation = this.#reservationCounter;
    return ok([this.#reservation & 0xff, this.#reservation >> 8]);
  }

  #getSdr(data: Uint8Array): IpmiResponse {
    if (data.length !== 6) return answer(CompletionCode.DATA_LENGTH_INVALID);
    const reservation = (data[0] ?? 0) | ((data[1] ?? 0) << 8);
    const recordId = (data[2] ?? 0) | ((data[3] ?? 0) << 8);
    const offset = data[4] ?? 0;
    const count = data[5] ?? 0;
    // Reservation 0 reads whole records from offset 0; partial reads need the current one.
    if (reservation === 0 ? offset !== 0 : reservation !== this.#reservation) {
      return answer(CompletionCode.RESERVATION_CANCELLED);
    }
    const index =
      recordId === 0
        ? 0
        : recordId === LAST_RECORD_ID
          ? this.#records.length - 1
          : this.#records.findIndex((r) => ((r[0] ?? 0) | ((r[1] ?? 0) << 8)) === recordId);
    const record = this.#records[index];
    if (record === undefined) return answer(CompletionCode.NOT_PRESENT);
    if (offset > record.length) return answer(CompletionCode.PARAMETER_OUT_OF_RANGE);
    const wanted = count === 0xff ? record.length - offset : count;
    if (wanted > this.#sdrReadLimit) return answer(CompletionCode.CANNOT_RETURN_BYTES);
    const next = this.#records[index + 1];
    const nextId = next === undefined ? LAST_RECORD_ID : (next[0] ?? 0) | ((next[1] ?? 0) << 8);
    return ok([nextId & 0xff, nextId >> 8, ...record.subarray(offset, offset + wanted)]);
  }

  #sensorReading(data: Uint8Array): IpmiResponse {
    if (data.length !== 1) return answer(CompletionCode.DATA_LENGTH_INVALID);
    const sensor = this.#sensors.get(data[0] ?? 0);
    if (sensor === undefined) return answer(CompletionCode.NOT_PRESENT);
    const { record } = sensor;
    let flags = 0;
    if (sensor.eventsEnabled) flags |= ReadingFlag.EVENTS_ENABLED;
    if (sensor.scanning) flags |= ReadingFlag.SCANNING_ENABLED;
    if (sensor.unavailable) flags |= ReadingFlag.UNAVAILABLE;
    if (isThresholdSensor(record)) {
      return ok([sensor.raw, flags, thresholdStatus(record, sensor.raw), 0x00]);
    }
    return ok([sensor.raw, flags, sensor.states & 0xff, (sensor.states >> 8) & 0x7f]);
  }
}

/**
 * Threshold comparison status of a raw reading: each readable threshold the
 * reading is at or beyond (assumes M > 0, so raw order is value order).
 */
function thresholdStatus(record: SensorRecord, raw: number): number {
  if (record.recordType !== SdrRecordType.FULL_SENSOR) return 0;
  const format = record.units.analogFormat;
  const value = rawValue(format, raw);
  const t = record.thresholds;
  const readable = readableThresholds(record);
  const checks: readonly [number, number, 'lower' | 'upper'][] = [
    [ThresholdBit.LNC, t.lnc, 'lower'],
    [ThresholdBit.LCR, t.lcr, 'lower'],
    [ThresholdBit.LNR, t.lnr, 'lower'],
    [ThresholdBit.UNC, t.unc, 'upper'],
    [ThresholdBit.UCR, t.ucr, 'upper'],
    [ThresholdBit.UNR, t.unr, 'upper'],
  ];
  let status = 0;
  for (const [bit, threshold, side] of checks) {
    if ((readable & bit) === 0) continue;
    const limit = rawValue(format, threshold);
    if (side === 'lower' ? value <= limit : value >= limit) status |= bit;
  }
  return status;
}

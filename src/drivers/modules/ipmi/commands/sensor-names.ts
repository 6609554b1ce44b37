/**
 * Names from the IPMI 2.0 tables, worded as ipmitool prints them (so that
 * sensor data reads like `ipmitool sdr -v`, which Ironic parses): sensor
 * types (42-3), unit types (43-15), entity IDs (43-13), and the generic
 * (42-2) and sensor-specific (42-3) discrete states.
 */

const SENSOR_TYPES: readonly string[] = [
  'reserved',
  'Temperature',
  'Voltage',
  'Current',
  'Fan',
  'Physical Security',
  'Platform Security',
  'Processor',
  'Power Supply',
  'Power Unit',
  'Cooling Device',
  'Other',
  'Memory',
  'Drive Slot / Bay',
  'POST Memory Resize',
  'System Firmwares',
  'Event Logging Disabled',
  'Watchdog1',
  'System Event',
  'Critical Interrupt',
  'Button',
  'Module / Board',
  'Microcontroller',
  'Add-in Card',
  'Chassis',
  'Chip Set',
  'Other FRU',
  'Cable / Interconnect',
  'Terminator',
  'System Boot Initiated',
  'Boot Error',
  'OS Boot',
  'OS Critical Stop',
  'Slot / Connector',
  'System ACPI Power State',
  'Watchdog2',
  'Platform Alert',
  'Entity Presence',
  'Monitor ASIC',
  'LAN',
  'Management Subsys Health',
  'Battery',
  'Session Audit',
  'Version Change',
  'FRU State',
];

export function sensorTypeName(code: number): string {
  const name = SENSOR_TYPES[code];
  if (name !== undefined) return name;
  return code >= 0xc0 ? 'OEM reserved' : 'reserved';
}

const UNITS: readonly string[] = [
  'unspecified',
  'degrees C',
  'degrees F',
  'degrees K',
  'Volts',
  'Amps',
  'Watts',
  'Joules',
  'Coulombs',
  'VA',
  'Nits',
  'lumen',
  'lux',
  'Candela',
  'kPa',
  'PSI',
  'Newton',
  'CFM',
  'RPM',
  'Hz',
  'microsecond',
  'millisecond',
  'second',
  'minute',
  'hour',
  'day',
  'week',
  'mil',
  'inches',
  'feet',
  'cu in',
  'cu feet',
  'mm',
  'cm',
  'm',
  'cu cm',
  'cu m',
  'liters',
  'fluid ounce',
  'radians',
  'steradians',
  'revolutions',
  'cycles',
  'gravities',
  'ounce',
  'pound',
  'ft-lb',
  'oz-in',
  'gauss',
  'gilberts',
  'henry',
  'millihenry',
  'farad',
  'microfarad',
  'ohms',
  'siemens',
  'mole',
  'becquerel',
  'PPM',
  'reserved',
  'Decibels',
  'DbA',
  'DbC',
  'gray',
  'sievert',
  'color temp deg K',
  'bit',
  'kilobit',
  'megabit',
  'gigabit',
  'byte',
  'kilobyte',
  'megabyte',
  'gigabyte',
  'word',
  'dword',
  'qword',
  'line',
  'hit',
  'miss',
  'retry',
  'reset',
  'overflow',
  'underrun',
  'collision',
  'packets',
  'messages',
  'characters',
  'error',
  'correctable error',
  'uncorrectable error',
  'fatal error',
  'grams',
];

export function unitName(code: number): string {
  return UNITS[code] ?? 'invalid';
}

/** "degrees C", "% Watts", "Watts/hour" …: base unit with percentage and modifier as ipmitool joins them. */
export function unitsText(units: {
  readonly percentage: boolean;
  readonly modifierRelation: number;
  readonly base: number;
  readonly modifier: number;
}): string {
  const percent = units.percentage ? '% ' : '';
  const base = unitName(units.base);
  switch (units.modifierRelation) {
    case 1:
      return `${percent}${base}/${unitName(units.modifier)}`;
    case 2:
      return `${percent}${base}*${unitName(units.modifier)}`;
    default:
      return units.base === 0 && units.percentage ? 'percent' : `${percent}${base}`;
  }
}

const ENTITIES: Readonly<Record<number, string>> = {
  0x00: 'Unspecified',
  0x01: 'Other',
  0x02: 'Unknown',
  0x03: 'Processor',
  0x04: 'Disk or Disk Bay',
  0x05: 'Peripheral Bay',
  0x06: 'System Management Module',
  0x07: 'System Board',
  0x08: 'Memory Module',
  0x09: 'Processor Module',
  0x0a: 'Power Supply',
  0x0b: 'Add-in Card',
  0x0c: 'Front Panel Board',
  0x0d: 'Back Panel Board',
  0x0e: 'Power System Board',
  0x0f: 'Drive Backplane',
  0x10: 'System Internal Expansion Board',
  0x11: 'Other System Board',
  0x12: 'Processor Board',
  0x13: 'Power Unit',
  0x14: 'Power Module',
  0x15: 'Power Management',
  0x16: 'Chassis Back Panel Board',
  0x17: 'System Chassis',
  0x18: 'Sub-Chassis',
  0x19: 'Other Chassis Board',
  0x1a: 'Disk Drive Bay',
  0x1b: 'Peripheral Bay',
  0x1c: 'Device Bay',
  0x1d: 'Fan Device',
  0x1e: 'Cooling Unit',
  0x1f: 'Cable/Interconnect',
  0x20: 'Memory Device',
  0x21: 'System Management Software',
  0x22: 'BIOS',
  0x23: 'Operating System',
  0x24: 'System Bus',
  0x25: 'Group',
  0x26: 'Remote Management Device',
  0x27: 'External Environment',
  0x28: 'Battery',
  0x29: 'Processing Blade',
  0x2a: 'Connectivity Switch',
  0x2b: 'Processor/Memory Module',
  0x2c: 'I/O Module',
  0x2d: 'Processor/IO Module',
  0x2e: 'Management Controller Firmware',
  0x2f: 'IPMI Channel',
  0x30: 'PCI Bus',
  0x31: 'PCI Express Bus',
  0x32: 'SCSI Bus (parallel)',
  0x33: 'SATA/SAS Bus',
  0x34: 'Processor/Front-Side Bus',
  0x35: 'Real Time Clock(RTC)',
  0x37: 'Air Inlet',
  0x40: 'Air Inlet',
  0x41: 'Processor',
  0x42: 'Baseboard/Main System Board',
};

export function entityName(code: number): string {
  return ENTITIES[code] ?? 'Unknown';
}

/** Generic event/reading types 02h–0Ch (table 42-2): the meaning of each state bit. */
const GENERIC_STATES: Readonly<Record<number, readonly string[]>> = {
  0x02: ['Transition to Idle', 'Transition to Active', 'Transition to Busy'],
  0x03: ['State Deasserted', 'State Asserted'],
  0x04: ['Predictive Failure Deasserted', 'Predictive Failure Asserted'],
  0x05: ['Limit Not Exceeded', 'Limit Exceeded'],
  0x06: ['Performance Met', 'Performance Lags'],
  0x07: [
    'Transition to OK',
    'Transition to Non-critical from OK',
    'Transition to Critical from less severe',
    'Transition to Non-recoverable from less severe',
    'Transition to Non-critical from more severe',
    'Transition to Critical from Non-recoverable',
    'Transition to Non-recoverable',
    'Monitor',
    'Informational',
  ],
  0x08: ['Device Absent', 'Device Present'],
  0x09: ['Device Disabled', 'Device Enabled'],
  0x0a: [
    'Transition to Running',
    'Transition to In Test',
    'Transition to Power Off',
    'Transition to On Line',
    'Transition to Off Line',
    'Transition to Off Duty',
    'Transition to Degraded',
    'Transition to Power Save',
    'Install Error',
  ],
  0x0b: [
    'Fully Redundant',
    'Redundancy Lost',
    'Redundancy Degraded',
    'Non-Redundant: Sufficient from Redundant',
    'Non-Redundant: Sufficient from Insufficient',
    'Non-Redundant: Insufficient Resources',
    'Redundancy Degraded from Fully Redundant',
    'Redundancy Degraded from Non-Redundant',
  ],
  0x0c: ['D0 Power State', 'D1 Power State', 'D2 Power State', 'D3 Power State'],
};

/** Sensor-specific states (event/reading type 6Fh) of the common sensor types (table 42-3). */
const SPECIFIC_STATES: Readonly<Record<number, readonly string[]>> = {
  0x05: [
    'General Chassis intrusion',
    'Drive Bay intrusion',
    'I/O Card area intrusion',
    'Processor area intrusion',
    'System unplugged from LAN',
    'Unauthorized dock',
    'FAN area intrusion',
  ],
  0x07: [
    'IERR',
    'Thermal Trip',
    'FRB1/BIST failure',
    'FRB2/Hang in POST failure',
    'FRB3/Processor startup/init failure',
    'Configuration Error',
    'SM BIOS Uncorrectable CPU-complex Error',
    'Presence detected',
    'Disabled',
    'Terminator presence detected',
    'Throttled',
  ],
  0x08: [
    'Presence detected',
    'Failure detected',
    'Predictive failure',
    'Power Supply AC lost',
    'AC lost or out-of-range',
    'AC out-of-range, but present',
    'Config Error',
  ],
  0x09: [
    'Power off/down',
    'Power cycle',
    '240VA power down',
    'Interlock power down',
    'AC lost',
    'Soft-power control failure',
    'Failure detected',
    'Predictive failure',
  ],
  0x0c: [
    'Correctable ECC',
    'Uncorrectable ECC',
    'Parity',
    'Memory Scrub Failed',
    'Memory Device Disabled',
    'Correctable ECC logging limit reached',
    'Presence Detected',
    'Configuration Error',
    'Spare',
    'Throttled',
    'Critical Overtemperature',
  ],
  0x0d: [
    'Drive Present',
    'Drive Fault',
    'Predictive Failure',
    'Hot Spare',
    'Parity Check In Progress',
    'In Critical Array',
    'In Failed Array',
    'Rebuild In Progress',
    'Rebuild Aborted',
  ],
  0x25: ['Present', 'Absent', 'Disabled'],
  0x29: ['Low', 'Failed', 'Presence Detected'],
};

/** Sensor-specific event/reading type. */
export const SENSOR_SPECIFIC_EVENT_TYPE = 0x6f;

/** What each bit of `states` (bits 14:0) means, for a discrete sensor; "State N" where unnamed. */
export function discreteStateNames(
  sensorType: number,
  eventReadingType: number,
  states: number,
): string[] {
  const table =
    eventReadingType === SENSOR_SPECIFIC_EVENT_TYPE
      ? SPECIFIC_STATES[sensorType]
      : GENERIC_STATES[eventReadingType];
  const names: string[] = [];
  for (let bit = 0; bit < 15; bit++) {
    if ((states & (1 << bit)) === 0) continue;
    names.push(table?.[bit] ?? `State ${String(bit)}`);
  }
  return names;
}

import { createHash } from 'node:crypto';
import type { SensorData, SensorReading } from '../../interfaces/management.ts';

interface SensorSpec {
  readonly type: string;
  readonly id: string;
  readonly entity: string;
  readonly unit: string;
  readonly base: number;
  readonly spread: number;
  readonly lowerCritical: number;
  readonly upperCritical: number;
}

const SENSORS: readonly SensorSpec[] = [
  {
    type: 'Temperature',
    id: 'Inlet Temp (0x4)',
    entity: '64.1 (Unknown)',
    unit: 'degrees C',
    base: 22,
    spread: 6,
    lowerCritical: 0,
    upperCritical: 45,
  },
  {
    type: 'Temperature',
    id: 'CPU1 Temp (0x1)',
    entity: '3.1 (Processor)',
    unit: 'degrees C',
    base: 45,
    spread: 15,
    lowerCritical: 0,
    upperCritical: 95,
  },
  {
    type: 'Fan',
    id: 'Fan1 (0x30)',
    entity: '29.1 (Fan Device)',
    unit: 'RPM',
    base: 5400,
    spread: 1800,
    lowerCritical: 600,
    upperCritical: 25000,
  },
  {
    type: 'Fan',
    id: 'Fan2 (0x31)',
    entity: '29.2 (Fan Device)',
    unit: 'RPM',
    base: 5400,
    spread: 1800,
    lowerCritical: 600,
    upperCritical: 25000,
  },
  {
    type: 'Voltage',
    id: 'PS1 Voltage (0x64)',
    entity: '10.1 (Power Supply)',
    unit: 'Volts',
    base: 230,
    spread: 8,
    lowerCritical: 180,
    upperCritical: 264,
  },
  {
    type: 'Current',
    id: 'PS1 Current (0x6a)',
    entity: '10.1 (Power Supply)',
    unit: 'Amps',
    base: 1,
    spread: 1,
    lowerCritical: 0,
    upperCritical: 12,
  },
  {
    type: 'Power',
    id: 'Pwr Consumption (0x77)',
    entity: '7.1 (System Board)',
    unit: 'Watts',
    base: 180,
    spread: 120,
    lowerCritical: 0,
    upperCritical: 900,
  },
];

/**
 * Plausible sensor readings for a fake machine, in the grouped format a
 * real BMC's readings are turned into. Readings are derived from the node
 * and a sample number, so they are stable for a test yet differ between nodes.
 */
export function fakeSensorData(nodeUuid: string, sample: number): SensorData {
  const result: Record<string, Record<string, SensorReading>> = {};
  for (const spec of SENSORS) {
    const digest = createHash('sha256').update(`${nodeUuid}/${spec.id}/${sample}`).digest();
    const fraction = digest.readUInt16BE(0) / 0xffff;
    const reading = Math.round(spec.base + (fraction - 0.5) * spec.spread);
    const group = (result[spec.type] ??= {});
    group[spec.id] = {
      'Sensor ID': spec.id,
      'Entity ID': spec.entity,
      'Sensor Type (Threshold)': `${spec.type} (0x${(SENSORS.indexOf(spec) + 1).toString(16).padStart(2, '0')})`,
      'Sensor Reading': `${reading} (+/- 0) ${spec.unit}`,
      Status: 'ok',
      'Lower Critical': spec.lowerCritical.toFixed(3),
      'Upper Critical': spec.upperCritical.toFixed(3),
    };
  }
  return result;
}

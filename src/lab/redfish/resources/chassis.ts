/**
 * Chassis (one per system, with the system's id) and its legacy Thermal and
 * Power resources, the sensors sushy 4.x reads for Ironic's sensor data.
 * Readings follow the power state: fans and PSUs idle when the system is off.
 */
import { collection, link } from '../router.ts';
import type { Route } from '../router.ts';
import { ROOT } from '../service.ts';
import type { RedfishService } from '../service.ts';
import type { EmulatedSystem } from '../system.ts';

const CHASSIS = `${ROOT}/Chassis`;
const OK = { State: 'Enabled', Health: 'OK' };

function thermal(system: EmulatedSystem): unknown {
  const path = `${CHASSIS}/${system.id}/Thermal`;
  const on = system.powerState === 'On';
  return {
    '@odata.id': path,
    '@odata.type': '#Thermal.v1_7_0.Thermal',
    Id: 'Thermal',
    Name: 'Thermal',
    Temperatures: [
      {
        '@odata.id': `${path}#/Temperatures/0`,
        MemberId: '0',
        Name: 'CPU1 Temp',
        SensorNumber: 5,
        ReadingCelsius: on ? 41 : 24,
        UpperThresholdNonCritical: 80,
        UpperThresholdCritical: 90,
        UpperThresholdFatal: 100,
        MinReadingRangeTemp: 0,
        MaxReadingRangeTemp: 120,
        PhysicalContext: 'CPU',
        Status: OK,
      },
      {
        '@odata.id': `${path}#/Temperatures/1`,
        MemberId: '1',
        Name: 'Inlet Temp',
        SensorNumber: 6,
        ReadingCelsius: 22,
        UpperThresholdNonCritical: 40,
        UpperThresholdCritical: 45,
        LowerThresholdCritical: 5,
        PhysicalContext: 'Intake',
        Status: OK,
      },
    ],
    Fans: [0, 1].map((index) => ({
      '@odata.id': `${path}#/Fans/${index}`,
      MemberId: String(index),
      Name: `Fan ${index + 1}`,
      PhysicalContext: 'Backplane',
      Reading: on ? 6000 + 200 * index : 0,
      ReadingUnits: 'RPM',
      LowerThresholdCritical: 1000,
      MinReadingRange: 0,
      MaxReadingRange: 12000,
      Status: on ? OK : { State: 'StandbyOffline', Health: 'OK' },
    })),
  };
}

function power(system: EmulatedSystem): unknown {
  const path = `${CHASSIS}/${system.id}/Power`;
  const on = system.powerState === 'On';
  return {
    '@odata.id': path,
    '@odata.type': '#Power.v1_7_1.Power',
    Id: 'Power',
    Name: 'Power',
    PowerControl: [
      {
        '@odata.id': `${path}#/PowerControl/0`,
        MemberId: '0',
        Name: 'System power control',
        PowerConsumedWatts: on ? 240 : 8,
        PowerCapacityWatts: 1600,
      },
    ],
    Voltages: [
      {
        '@odata.id': `${path}#/Voltages/0`,
        MemberId: '0',
        Name: 'VRM1 Voltage',
        SensorNumber: 11,
        ReadingVolts: on ? 12.1 : 0,
        UpperThresholdCritical: 13,
        LowerThresholdCritical: 11,
        PhysicalContext: 'VoltageRegulator',
        Status: OK,
      },
    ],
    PowerSupplies: [0, 1].map((index) => ({
      '@odata.id': `${path}#/PowerSupplies/${index}`,
      MemberId: String(index),
      Name: `Power Supply ${index + 1}`,
      PowerSupplyType: 'AC',
      LineInputVoltageType: 'ACMidLine',
      LineInputVoltage: 230,
      PowerCapacityWatts: 800,
      LastPowerOutputWatts: on ? 120 : 4,
      SerialNumber: `PSU-${system.id}-${index}`,
      Status: OK,
    })),
  };
}

export function chassisRoutes(service: RedfishService): Route[] {
  const base = `${CHASSIS}/:system`;
  return [
    {
      template: CHASSIS,
      methods: {
        GET: () => ({
          status: 200,
          body: collection(
            CHASSIS,
            'ChassisCollection',
            'Chassis Collection',
            [...service.systems.keys()].map((id) => `${CHASSIS}/${id}`),
          ),
        }),
      },
    },
    {
      template: base,
      methods: {
        GET: (context) => {
          const system = context.system();
          const path = `${CHASSIS}/${system.id}`;
          return {
            status: 200,
            body: {
              '@odata.id': path,
              '@odata.type': '#Chassis.v1_21_0.Chassis',
              Id: system.id,
              Name: `Chassis of ${system.name}`,
              ChassisType: 'RackMount',
              PowerState: system.powerState,
              IndicatorLED: 'Off',
              Status: OK,
              Thermal: link(`${path}/Thermal`),
              Power: link(`${path}/Power`),
              Links: {
                ComputerSystems: [link(`${ROOT}/Systems/${system.id}`)],
                ManagedBy: [link(`${ROOT}/Managers/${system.id}`)],
              },
            },
          };
        },
      },
    },
    {
      template: `${base}/Thermal`,
      methods: { GET: (context) => ({ status: 200, body: thermal(context.system()) }) },
    },
    {
      template: `${base}/Power`,
      methods: { GET: (context) => ({ status: 200, body: power(context.system()) }) },
    },
  ];
}

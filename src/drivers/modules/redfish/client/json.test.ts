/**
 * The property helpers against real payloads: DMTF's public-rackmount1
 * mockup (system, manager, virtual media, chassis thermal and power, simple
 * storage), and, since that mockup has no Storage resource, Storage, Drive
 * and Volume payloads written from the DMTF schemas.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RedfishError } from './errors.ts';
import type { JsonObject, JsonValue } from './json.ts';
import {
  actionAllowableValues,
  actionTarget,
  allowableValues,
  arr,
  bool,
  isJsonObject,
  link,
  links,
  members,
  num,
  obj,
  objects,
  oneOf,
  optActionTarget,
  optLink,
  optNum,
  optStr,
  str,
  strings,
  tagJson,
} from './json.ts';

/** DMTF's mockup payloads, kept beside the test (testdata/README.md). */
const MOCKUP = join(import.meta.dirname, 'testdata', 'public-rackmount1');

/** A mockup resource, tagged as the client tags what it parses. */
function mockup(path: string): JsonObject {
  const value = JSON.parse(readFileSync(join(MOCKUP, path, 'index.json'), 'utf8')) as JsonValue;
  assert.ok(isJsonObject(value));
  tagJson(value, `https://bmc.example:443/redfish/v1/${path}`);
  return value;
}

function protocolError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof RedfishError);
    assert.equal(error.kind, 'protocol');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('Redfish JSON helpers on the DMTF mockup', () => {
  it('reads a ComputerSystem', () => {
    const system = mockup('Systems/437XR1138R2');
    assert.equal(str(system, 'PowerState'), 'On');
    assert.equal(oneOf(system, 'PowerState', ['On', 'Off', 'PoweringOn', 'PoweringOff']), 'On');
    assert.equal(str(system, 'UUID'), '38947555-7742-3448-3784-823347823834');
    assert.equal(num(obj(system, 'ProcessorSummary'), 'Count'), 2);
    assert.equal(num(obj(system, 'MemorySummary'), 'TotalSystemMemoryGiB'), 96);
    assert.equal(
      link(system, 'EthernetInterfaces'),
      '/redfish/v1/Systems/437XR1138R2/EthernetInterfaces',
    );
    assert.equal(link(system, 'Bios'), '/redfish/v1/Systems/437XR1138R2/Bios');
    assert.equal(optLink(system, 'Storage'), undefined);
    assert.deepEqual(links(obj(system, 'Links'), 'ManagedBy'), ['/redfish/v1/Managers/BMC']);
    assert.deepEqual(links(obj(system, 'Links'), 'Chassis'), ['/redfish/v1/Chassis/1U']);
    assert.equal(
      actionTarget(system, '#ComputerSystem.Reset'),
      '/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset',
    );
    assert.deepEqual(actionAllowableValues(system, '#ComputerSystem.Reset', 'ResetType'), [
      'On',
      'ForceOff',
      'GracefulShutdown',
      'GracefulRestart',
      'ForceRestart',
      'Nmi',
      'ForceOn',
      'PushPowerButton',
    ]);
    const boot = obj(system, 'Boot');
    assert.equal(str(boot, 'BootSourceOverrideTarget'), 'Pxe');
    assert.equal(str(boot, 'BootSourceOverrideEnabled'), 'Once');
    assert.ok(allowableValues(boot, 'BootSourceOverrideTarget')?.includes('Cd'));
    assert.equal(allowableValues(boot, 'BootSourceOverrideMode'), undefined);
  });

  it('names the property and the resource when a property is missing or mistyped', () => {
    const system = mockup('Systems/437XR1138R2');
    assert.throws(
      () => str(system, 'HttpBootUri'),
      protocolError(
        /"HttpBootUri" is missing from https:\/\/bmc\.example:443\/redfish\/v1\/Systems\/437XR1138R2 \(expected a string\)/,
      ),
    );
    assert.throws(
      () => str(obj(system, 'ProcessorSummary'), 'Count'),
      protocolError(
        /"Count" of .*Systems\/437XR1138R2 at \/ProcessorSummary is a number, expected a string/,
      ),
    );
    assert.throws(() => num(system, 'PowerState'), protocolError(/"PowerState" .* is a string/));
    assert.throws(() => link(system, 'PowerState'), protocolError(/expected an object/));
    assert.throws(
      () => actionTarget(system, '#ComputerSystem.SetDefaultBootOrder'),
      protocolError(/action "#ComputerSystem.SetDefaultBootOrder" is not offered by .*437XR1138R2/),
    );
    assert.equal(optActionTarget(system, '#ComputerSystem.SetDefaultBootOrder'), undefined);
    assert.throws(
      () => oneOf(system, 'PowerState', ['Off']),
      protocolError(/"PowerState" .* is "On", expected one of Off/),
    );
    assert.deepEqual(links(obj(system, 'Links'), 'Absent'), []);
    const broken: JsonObject = { Members: [{ '@odata.id': 5 }], '@odata.id': '/redfish/v1/Things' };
    assert.throws(
      () => members(broken),
      protocolError(/"Members\/0" of \/redfish\/v1\/Things has no "@odata.id"/),
    );
  });

  it('reads a Manager', () => {
    const manager = mockup('Managers/BMC');
    assert.equal(str(manager, 'ManagerType'), 'BMC');
    assert.equal(str(manager, 'FirmwareVersion'), '1.45.455b66-rev4');
    assert.equal(
      actionTarget(manager, '#Manager.Reset'),
      '/redfish/v1/Managers/BMC/Actions/Manager.Reset',
    );
    assert.deepEqual(actionAllowableValues(manager, '#Manager.Reset', 'ResetType'), [
      'ForceRestart',
      'GracefulRestart',
    ]);
    assert.equal(optLink(manager, 'VirtualMedia'), undefined);
    assert.deepEqual(links(obj(manager, 'Links'), 'ManagerForServers'), [
      '/redfish/v1/Systems/437XR1138R2',
    ]);
  });

  it('reads virtual media', () => {
    const collection = mockup('Systems/437XR1138R2/VirtualMedia');
    assert.deepEqual(members(collection), [
      '/redfish/v1/Systems/437XR1138R2/VirtualMedia/Floppy1',
      '/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD1',
      '/redfish/v1/Systems/437XR1138R2/VirtualMedia/CD2',
    ]);
    const cd = mockup('Systems/437XR1138R2/VirtualMedia/CD1');
    assert.deepEqual(strings(cd, 'MediaTypes'), ['CD', 'DVD']);
    assert.equal(bool(cd, 'Inserted'), true);
    assert.equal(bool(cd, 'WriteProtected'), false);
    assert.equal(optStr(cd, 'Image'), 'redfish.dmtf.org/freeImages/freeOS.1.1.iso');
    assert.equal(optActionTarget(cd, '#VirtualMedia.InsertMedia'), undefined);
  });

  it('reads chassis thermal and power', () => {
    const chassis = mockup('Chassis/1U');
    assert.equal(str(chassis, 'ChassisType'), 'RackMount');
    assert.equal(link(chassis, 'Thermal'), '/redfish/v1/Chassis/1U/Thermal');
    assert.equal(link(chassis, 'Power'), '/redfish/v1/Chassis/1U/Power');
    const thermal = mockup('Chassis/1U/Thermal');
    const temperatures = objects(thermal, 'Temperatures');
    assert.ok(temperatures.length > 0);
    const cpu1 = temperatures[0]!;
    assert.equal(str(cpu1, 'Name'), 'CPU1 Temp');
    assert.equal(num(cpu1, 'ReadingCelsius'), 41);
    assert.equal(optNum(cpu1, 'UpperThresholdCritical'), 45);
    assert.equal(optNum(cpu1, 'LowerThresholdCritical'), undefined);
    const fan = objects(thermal, 'Fans')[0]!;
    assert.equal(num(fan, 'Reading'), 2100);
    assert.equal(str(fan, 'ReadingUnits'), 'RPM');
    assert.throws(
      () => str(fan, 'Reading'),
      protocolError(/"Reading" of .*Chassis\/1U\/Thermal at \/Fans\/0 is a number/),
    );
    const power = mockup('Chassis/1U/Power');
    const supply = objects(power, 'PowerSupplies')[0]!;
    assert.equal(num(supply, 'PowerCapacityWatts'), 800);
    assert.equal(num(supply, 'LastPowerOutputWatts'), 325);
    assert.equal(num(supply, 'LineInputVoltage'), 120);
    assert.equal(num(objects(power, 'Voltages')[0]!, 'ReadingVolts'), 12);
    assert.equal(typeof num(objects(power, 'PowerControl')[0]!, 'PowerConsumedWatts'), 'number');
  });

  it('reads simple storage', () => {
    const storage = mockup('Systems/437XR1138R2/SimpleStorage/1');
    const devices = objects(storage, 'Devices');
    assert.equal(devices.length, 4);
    assert.equal(num(devices[0]!, 'CapacityBytes'), 8_000_000_000_000);
    assert.equal(optNum(devices[2]!, 'CapacityBytes'), undefined);
    assert.equal(str(obj(devices[2]!, 'Status'), 'State'), 'Absent');
  });

  it('reads storage, drives and volumes (schema-shaped payloads)', () => {
    const storage: JsonObject = {
      '@odata.id': '/redfish/v1/Systems/1/Storage/RAID1',
      Id: 'RAID1',
      Drives: [
        { '@odata.id': '/redfish/v1/Systems/1/Storage/RAID1/Drives/0' },
        { '@odata.id': '/redfish/v1/Systems/1/Storage/RAID1/Drives/1' },
      ],
      Volumes: { '@odata.id': '/redfish/v1/Systems/1/Storage/RAID1/Volumes' },
      StorageControllers: [
        { MemberId: '0', SpeedGbps: 12, SupportedRAIDTypes: ['RAID0', 'RAID1'] },
      ],
    };
    tagJson(storage, 'https://bmc.example:443/redfish/v1/Systems/1/Storage/RAID1');
    assert.deepEqual(links(storage, 'Drives'), [
      '/redfish/v1/Systems/1/Storage/RAID1/Drives/0',
      '/redfish/v1/Systems/1/Storage/RAID1/Drives/1',
    ]);
    assert.equal(link(storage, 'Volumes'), '/redfish/v1/Systems/1/Storage/RAID1/Volumes');
    const controller = objects(storage, 'StorageControllers')[0]!;
    assert.deepEqual(strings(controller, 'SupportedRAIDTypes'), ['RAID0', 'RAID1']);
    assert.equal(num(controller, 'SpeedGbps'), 12);

    const drive: JsonObject = {
      '@odata.id': '/redfish/v1/Systems/1/Storage/RAID1/Drives/0',
      CapacityBytes: 899527000000,
      Protocol: 'SAS',
      MediaType: 'HDD',
      Status: { State: 'Enabled', Health: 'OK' },
    };
    assert.equal(num(drive, 'CapacityBytes'), 899527000000);
    assert.equal(oneOf(drive, 'MediaType', ['HDD', 'SSD', 'SMR']), 'HDD');
    assert.throws(() => str(drive, 'CapacityBytes'), protocolError(/Drives\/0/));

    const volume: JsonObject = {
      '@odata.id': '/redfish/v1/Systems/1/Storage/RAID1/Volumes/1',
      RAIDType: 'RAID1',
      CapacityBytes: 899527000000,
      Links: { Drives: [{ '@odata.id': '/redfish/v1/Systems/1/Storage/RAID1/Drives/0' }] },
      Actions: {
        '#Volume.Initialize': {
          target: '/redfish/v1/Systems/1/Storage/RAID1/Volumes/1/Actions/Volume.Initialize',
          'InitializeType@Redfish.AllowableValues': ['Fast', 'Slow'],
        },
      },
    };
    assert.equal(str(volume, 'RAIDType'), 'RAID1');
    assert.deepEqual(links(obj(volume, 'Links'), 'Drives'), [
      '/redfish/v1/Systems/1/Storage/RAID1/Drives/0',
    ]);
    assert.match(actionTarget(volume, '#Volume.Initialize'), /Volume\.Initialize$/);
    assert.deepEqual(actionAllowableValues(volume, '#Volume.Initialize', 'InitializeType'), [
      'Fast',
      'Slow',
    ]);
    assert.equal(arr(obj(volume, 'Links'), 'Drives').length, 1);
  });
});

import { randomUUID } from 'node:crypto';
import type { Node, Port, Portgroup } from '../../src/common/records.ts';

/** A node as enrolment leaves it, with whatever fields the test cares about. */
export function makeNode(overrides: Partial<Node> = {}): Node {
  return {
    uuid: randomUUID(),
    name: null,
    description: null,
    driver: 'fake-hardware',
    driverInfo: {},
    driverInternalInfo: {},
    instanceInfo: {},
    instanceUuid: null,
    properties: {},
    extra: {},
    provisionState: 'enroll',
    targetProvisionState: null,
    powerState: null,
    targetPowerState: null,
    maintenance: false,
    maintenanceReason: null,
    fault: null,
    lastError: null,
    reservation: null,
    conductorAffinity: null,
    conductorGroup: '',
    consoleEnabled: false,
    cleanStep: null,
    deployStep: null,
    raidConfig: {},
    targetRaidConfig: {},
    resourceClass: null,
    owner: null,
    lessee: null,
    automatedClean: null,
    protected: false,
    protectedReason: null,
    retired: false,
    retiredReason: null,
    traits: [],
    chassisUuid: null,
    inspectionStartedAt: null,
    inspectionFinishedAt: null,
    provisionUpdatedAt: null,
    createdAt: new Date(0),
    updatedAt: null,
    bootInterface: null,
    consoleInterface: null,
    deployInterface: null,
    inspectInterface: null,
    managementInterface: null,
    networkInterface: null,
    powerInterface: null,
    raidInterface: null,
    rescueInterface: null,
    storageInterface: null,
    vendorInterface: null,
    ...overrides,
  };
}

let macCounter = 0;

export function makePort(nodeUuid: string, overrides: Partial<Port> = {}): Port {
  macCounter += 1;
  const mac = `52:54:00:${[macCounter >> 16, (macCounter >> 8) & 0xff, macCounter & 0xff]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(':')}`;
  return {
    uuid: randomUUID(),
    nodeUuid,
    address: mac,
    name: null,
    localLinkConnection: {},
    pxeEnabled: true,
    physicalNetwork: null,
    portgroupUuid: null,
    internalInfo: {},
    extra: {},
    isSmartnic: false,
    ...overrides,
  };
}

export function makePortgroup(nodeUuid: string, overrides: Partial<Portgroup> = {}): Portgroup {
  return {
    uuid: randomUUID(),
    nodeUuid,
    name: null,
    address: null,
    mode: null,
    properties: {},
    standalonePortsSupported: true,
    internalInfo: {},
    extra: {},
    ...overrides,
  };
}

import { randomUUID } from 'node:crypto';
import type { Node, Port, Portgroup } from '../../src/common/records.ts';
import { NODE_DEFAULTS } from '../../src/db/rows/node-row.ts';
import { PORT_DEFAULTS, PORTGROUP_DEFAULTS } from '../../src/db/rows/port-row.ts';

/** A node as enrolment leaves it, with whatever fields the test cares about. */
export function makeNode(overrides: Partial<Node> = {}): Node {
  return {
    ...structuredClone(NODE_DEFAULTS),
    uuid: randomUUID(),
    driver: 'fake-hardware',
    createdAt: new Date(0),
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
    ...structuredClone(PORT_DEFAULTS),
    uuid: randomUUID(),
    nodeUuid,
    address: mac,
    createdAt: new Date(0),
    updatedAt: null,
    ...overrides,
  };
}

export function makePortgroup(nodeUuid: string, overrides: Partial<Portgroup> = {}): Portgroup {
  return {
    ...structuredClone(PORTGROUP_DEFAULTS),
    uuid: randomUUID(),
    nodeUuid,
    createdAt: new Date(0),
    updatedAt: null,
    ...overrides,
  };
}

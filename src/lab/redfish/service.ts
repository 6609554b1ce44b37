/**
 * What the resource handlers share: the systems by id, the sessions and the
 * tasks of one emulator, and the base of the links it writes.
 */
import type { SessionStore } from './sessions.ts';
import type { EmulatedSystem } from './system.ts';
import type { TaskRegistry } from './tasks.ts';

export interface RedfishService {
  readonly systems: ReadonlyMap<string, EmulatedSystem>;
  readonly sessions: SessionStore;
  readonly tasks: TaskRegistry;
}

export const ROOT = '/redfish/v1';

/** Whether an If-Match header allows a change to a resource whose ETag is `current`. */
export function ifMatchAllows(header: string | undefined, current: string): boolean {
  if (header === undefined) return true;
  // sushy retries a 412 with the weak tag made strong, so W/"x" and "x" both match.
  const strip = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(current));
}

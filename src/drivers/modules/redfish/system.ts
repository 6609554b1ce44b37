import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import type { Task } from '../../task.ts';
import { members } from './client/json.ts';
import { redfishCall } from './failures.ts';
import type { NodeRedfish } from './shared-client.ts';

/** A node's ComputerSystem as last read, with the ETag to PATCH it under. */
export interface SystemResource {
  readonly path: string;
  readonly body: JsonObject;
  readonly etag: string | undefined;
}

/**
 * Reads the node's ComputerSystem: redfish_system_id when given, else the
 * BMC's only system (several without an id is a configuration error that
 * names them).
 */
export async function readSystem(task: Task, bmc: NodeRedfish): Promise<SystemResource> {
  return redfishCall(task, 'read the system', async () => {
    let path = bmc.systemId;
    if (path === undefined) {
      const collection = await bmc.session.get('/redfish/v1/Systems', { signal: task.signal });
      const all = members(collection.body);
      const [only] = all;
      if (only === undefined || all.length > 1) {
        throw new FerriteError('InvalidParameterValue', {
          err: `redfish_system_id is needed: the BMC at ${bmc.target.address} manages ${all.length === 0 ? 'no systems' : all.join(', ')}.`,
        });
      }
      path = only;
    }
    const answer = await bmc.session.get(path, { signal: task.signal });
    return { path, body: answer.body, etag: answer.etag };
  });
}

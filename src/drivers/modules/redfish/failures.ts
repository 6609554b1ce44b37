import { FerriteError } from '../../../common/errors.ts';
import type { Task } from '../../task.ts';
import { RedfishError } from './client/errors.ts';

/**
 * Runs one exchange with the node's BMC for `what`. A BMC that cannot be
 * reached becomes Ironic's RedfishConnectionError (a retry may succeed),
 * any other failure its RedfishError, both naming the node and what was
 * being done, so they read well in last_error and in power sync's reason.
 */
export async function redfishCall<T>(task: Task, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof RedfishError)) throw error;
    if (error.kind === 'timeout' || error.kind === 'connection') {
      throw new FerriteError('RedfishConnectionError', {
        node: task.node.uuid,
        error: `${what}: ${error.message}`,
      });
    }
    throw new FerriteError('RedfishError', {
      error: `${what} on node ${task.node.uuid}: ${error.message}`,
    });
  }
}

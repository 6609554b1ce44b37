import { FerriteError } from '../../../common/errors.ts';
import type { Task } from '../../task.ts';
import { IpmiError } from './types.ts';

/**
 * Runs one IPMI exchange for `what` (e.g. "power status"); an IpmiError
 * becomes Ironic's IPMIFailure naming the node's BMC and the reason, so it
 * reads well in last_error and in power sync's maintenance reason.
 */
export async function ipmiCall<T>(task: Task, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof IpmiError) {
      throw new FerriteError('IPMIFailure', {
        cmd: `${what} on node ${task.node.uuid}: ${error.message}`,
      });
    }
    throw error;
  }
}

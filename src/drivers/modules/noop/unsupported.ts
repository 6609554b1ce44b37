import { FerriteError } from '../../../common/errors.ts';
import type { InterfaceType } from '../../interface-types.ts';
import type { Task } from '../../task.ts';

/** The error every no-op implementation raises: this driver does not do `iface`. */
export function unsupported(task: Task, iface: InterfaceType): FerriteError {
  return new FerriteError('UnsupportedDriverExtension', {
    driver: task.node.driver,
    extension: iface,
  });
}

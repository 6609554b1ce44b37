import { isFerriteError } from '../../common/errors.ts';
import type { InterfaceMap } from '../../drivers/driver.ts';
import { ALL_INTERFACES } from '../../drivers/interface-types.ts';
import type { InterfaceType } from '../../drivers/interface-types.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';

export interface InterfaceValidation {
  /** true: valid; false: not; null: the driver has no such interface. */
  readonly result: boolean | null;
  readonly reason?: string;
}

/** Runs every interface's validate for the node and reports each result with its reason. */
export function validateNode(
  ctx: ConductorContext,
  ident: string,
): Promise<Record<InterfaceType, InterfaceValidation>> {
  return ctx.tasks.run(ident, { shared: true, purpose: 'validating' }, async (task) => {
    const result = {} as Record<InterfaceType, InterfaceValidation>;
    for (const type of ALL_INTERFACES) {
      const impl = (task.driver as Partial<InterfaceMap>)[type];
      if (!impl) {
        result[type] = { result: null, reason: 'not supported' };
        continue;
      }
      try {
        await impl.validate(task);
        result[type] = { result: true };
      } catch (error) {
        if (!isFerriteError(error))
          ctx.logger.warn(
            { node: task.node.uuid, interface: type, error: describeError(error) },
            'unexpected validation error',
          );
        result[type] = { result: false, reason: describeError(error) };
      }
    }
    return result;
  });
}

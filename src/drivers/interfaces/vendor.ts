import type { JsonObject } from '../../common/json.ts';
import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/**
 * Vendor-specific extensions, exposed over the API as passthru methods
 * declared with `@passthru` (per node) and `@driverPassthru` (per driver).
 */
export interface VendorInterface extends BaseInterface {
  readonly interfaceType: 'vendor';
  /**
   * Validates the node for the interface (no method), or a passthru call to
   * `method` with `args`. Throws InvalidParameterValue or MissingParameterValue.
   */
  validate(task: Task, method?: string, args?: JsonObject): Promise<void>;
  /** Validates a driver passthru call. */
  driverValidate(method: string, args: JsonObject): Promise<void>;
}

export abstract class VendorBase extends InterfaceBase implements VendorInterface {
  readonly interfaceType = 'vendor' as const;
  override async validate(_task: Task, _method?: string, _args?: JsonObject): Promise<void> {}
  async driverValidate(_method: string, _args: JsonObject): Promise<void> {}
}

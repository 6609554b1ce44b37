import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import { VendorBase } from '../../interfaces/vendor.ts';
import type { Task } from '../../task.ts';
import { unsupported } from './unsupported.ts';

/** `no-vendor`: no vendor extensions; no passthru methods. */
export class NoVendor extends VendorBase {
  override async validate(task: Task, _method?: string, _args?: JsonObject): Promise<void> {
    throw unsupported(task, 'vendor');
  }
  override async driverValidate(_method: string, _args: JsonObject): Promise<void> {
    throw new FerriteError('UnsupportedDriverExtension', {
      driver: 'no-vendor',
      extension: 'vendor',
    });
  }
}

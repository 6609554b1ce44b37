import { FerriteError } from '../../../common/errors.ts';
import type { JsonValue } from '../../../common/json.ts';
import type { DriverInfoSpec } from '../../driver-info.ts';
import type { Task } from '../../task.ts';
import { isImageSource } from './options.ts';
import type { PxeOptions } from './options.ts';

/** The node's folder names of the deploy kernel and ramdisk (Ironic's labels). */
export const DEPLOY_KERNEL = 'deploy_kernel';
export const DEPLOY_RAMDISK = 'deploy_ramdisk';

function checkSource(value: JsonValue, key: string): void {
  if (typeof value !== 'string' || !isImageSource(value)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `${key} must be an http(s) URL, a file:// URL or an absolute path on the conductor, not ${JSON.stringify(value)}.`,
    });
  }
}

/**
 * driver_info of the boot interfaces that boot the deploy ramdisk from its
 * kernel and initramfs. Optional per node: the conductor's `[pxe]
 * deploy_kernel` and `deploy_ramdisk` are used when a node gives none.
 */
export const DEPLOY_IMAGE_DRIVER_INFO: DriverInfoSpec = {
  deploy_kernel: {
    description:
      'The kernel of the deploy ramdisk: an http(s) URL, a file:// URL or an absolute path on the conductor; defaults to [pxe] deploy_kernel.',
    check: checkSource,
  },
  deploy_ramdisk: {
    description:
      'The initramfs of the deploy ramdisk, as deploy_kernel; defaults to [pxe] deploy_ramdisk.',
    check: checkSource,
  },
};

/** Where a node's deploy kernel and ramdisk come from. */
export interface DeployImages {
  readonly kernel: string;
  readonly ramdisk: string;
}

/** A value that was given: a string as it is, anything else as JSON (for checkSource to refuse). */
function given(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The deploy images of the node (driver_info, else the conductor's), or undefined for either missing. */
export function findDeployImages(task: Task, options: PxeOptions): Partial<DeployImages> {
  const info = task.node.driverInfo;
  const kernel = given(info[DEPLOY_KERNEL]) ?? given(options.deployKernel);
  const ramdisk = given(info[DEPLOY_RAMDISK]) ?? given(options.deployRamdisk);
  return {
    ...(kernel === undefined ? {} : { kernel }),
    ...(ramdisk === undefined ? {} : { ramdisk }),
  };
}

/**
 * The deploy images of the node, checked: MissingParameterValue naming
 * what neither driver_info nor the conductor gives, InvalidParameterValue
 * for a value that is no URL or path.
 */
export function deployImages(task: Task, options: PxeOptions): DeployImages {
  const found = findDeployImages(task, options);
  const missing = [DEPLOY_KERNEL, DEPLOY_RAMDISK].filter(
    (key) => (key === DEPLOY_KERNEL ? found.kernel : found.ramdisk) === undefined,
  );
  if (found.kernel === undefined || found.ramdisk === undefined) {
    throw new FerriteError('MissingParameterValue', {
      err: `Missing the following properties in node's driver_info: ${missing.join(', ')} (and no [pxe] default is configured).`,
    });
  }
  checkSource(found.kernel, DEPLOY_KERNEL);
  checkSource(found.ramdisk, DEPLOY_RAMDISK);
  return { kernel: found.kernel, ramdisk: found.ramdisk };
}

import { BootDevice } from '../../../common/boot-devices.ts';
import { FerriteError, isFerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { checkDriverInfo, describeDriverInfo } from '../../driver-info.ts';
import type { DriverInfoSpec } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { BootBase } from '../../interfaces/boot.ts';
import type { RamdiskParams } from '../../interfaces/boot.ts';
import type { ManagementInterface } from '../../interfaces/management.ts';
import type { Task } from '../../task.ts';
import { DEPLOY_IMAGE_DRIVER_INFO, deployImages } from '../pxe/deploy-images.ts';
import type { DeployImages } from '../pxe/deploy-images.ts';
import { localHttpRoot, nodeHttpRoot } from '../pxe/node-http-root.ts';
import { pxeOptions } from '../pxe/options.ts';
import { buildRamdiskIso, removeRamdiskIso } from '../pxe/ramdisk-iso.ts';
import {
  actionTarget,
  links,
  members,
  optBool,
  optLink,
  optObj,
  optStr,
  strings,
} from './client/json.ts';
import { REDFISH_DRIVER_INFO, redfishNodeInfo } from './driver-info.ts';
import { redfishCall } from './failures.ts';
import { nodeRedfish } from './shared-client.ts';
import type { NodeRedfish } from './shared-client.ts';
import { readSystem } from './system.ts';

function httpUrl(value: unknown, key: string): string {
  if (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value)) {
    throw new FerriteError('InvalidParameterValue', {
      err: `${key} must be the http(s) URL of a bootable ISO image.`,
    });
  }
  return value;
}

/** The node's management interface, which sets the boot device. */
function management(task: Task): ManagementInterface {
  const found = task.driver.management;
  if (found === undefined) {
    throw new FerriteError('InvalidParameterValue', {
      err: 'redfish-virtual-media boot needs a management interface to set the boot device.',
    });
  }
  return found;
}

/** driver_info of the redfish-virtual-media boot interface. */
export const VIRTUAL_MEDIA_DRIVER_INFO: DriverInfoSpec = {
  ...REDFISH_DRIVER_INFO,
  redfish_deploy_iso: {
    description:
      'The http(s) URL of a bootable ISO with the deploy ramdisk, inserted as virtual media to deploy, clean or inspect; without it, Ferrite builds one per node from deploy_kernel and deploy_ramdisk.',
    check: (value, key) => {
      httpUrl(value, key);
    },
  },
  ...DEPLOY_IMAGE_DRIVER_INFO,
};

/** The prebuilt deploy ISO driver_info names, if any. */
function prebuiltIso(task: Task): string | undefined {
  const value = task.node.driverInfo['redfish_deploy_iso'];
  return value === undefined || value === null || value === ''
    ? undefined
    : httpUrl(value, 'redfish_deploy_iso');
}

/**
 * Boots a node from virtual media: the deploy ISO inserted in the CD of its
 * BMC's manager (ejecting whatever was there) with a one-time boot from cd,
 * ejected again after; the instance boots from its disk, or from
 * instance_info.boot_iso when it gives one. The deploy ISO is
 * driver_info.redfish_deploy_iso, or else one built for the node in the
 * conductor's HTTP root from its deploy kernel and ramdisk, carrying the
 * ramdisk parameters (rebuilt at each prepareRamdisk, removed at clean-up).
 */
export class RedfishVirtualMediaBoot extends BootBase {
  readonly #env: DriverEnvironment;

  constructor(env: DriverEnvironment) {
    super();
    this.#env = env;
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(VIRTUAL_MEDIA_DRIVER_INFO);
  }

  override async validate(task: Task): Promise<void> {
    redfishNodeInfo(task);
    checkDriverInfo(task, VIRTUAL_MEDIA_DRIVER_INFO);
    if (prebuiltIso(task) === undefined) this.#deployImages(task);
    const bootIso = task.node.instanceInfo['boot_iso'];
    if (bootIso !== undefined) httpUrl(bootIso, 'instance_info.boot_iso');
  }

  async prepareRamdisk(task: Task, ramdiskParams: RamdiskParams): Promise<void> {
    checkDriverInfo(task, VIRTUAL_MEDIA_DRIVER_INFO);
    let iso = prebuiltIso(task);
    if (iso === undefined) {
      const images = this.#deployImages(task);
      const { root, options } = nodeHttpRoot(this.#env);
      iso = await buildRamdiskIso(root, options, task, images, ramdiskParams);
    }
    await this.#insert(task, iso);
    await management(task).setBootDevice(task, BootDevice.CDROM, false);
  }

  async cleanUpRamdisk(task: Task): Promise<void> {
    await this.#eject(task);
    await this.#removeBuiltIso(task);
  }

  async prepareInstance(task: Task): Promise<void> {
    const bootIso = task.node.instanceInfo['boot_iso'];
    if (bootIso !== undefined) {
      await this.#insert(task, httpUrl(bootIso, 'instance_info.boot_iso'));
      await management(task).setBootDevice(task, BootDevice.CDROM, true);
      return;
    }
    await this.#eject(task);
    await management(task).setBootDevice(task, BootDevice.DISK, true);
  }

  async cleanUpInstance(task: Task): Promise<void> {
    await this.#eject(task);
    await this.#removeBuiltIso(task);
  }

  /** The deploy kernel and ramdisk to build an ISO from, with an error naming every way to give them. */
  #deployImages(task: Task): DeployImages {
    try {
      return deployImages(task, pxeOptions(this.#env));
    } catch (error) {
      if (!isFerriteError(error, 'MissingParameterValue')) throw error;
      throw new FerriteError('MissingParameterValue', {
        err: `Node ${task.node.uuid} needs driver_info redfish_deploy_iso, or deploy_kernel and deploy_ramdisk (or the conductor's [pxe] deploy_kernel and deploy_ramdisk) to build a deploy ISO from.`,
      });
    }
  }

  /** Removes the ISO built for the node, if any; needs no HTTP URL, so clean-up works whatever the settings. */
  async #removeBuiltIso(task: Task): Promise<void> {
    await removeRamdiskIso(localHttpRoot(this.#env), task.node.uuid);
  }

  async #insert(task: Task, image: string): Promise<void> {
    const bmc = nodeRedfish(this.#env, task);
    const { media } = await this.#cd(task, bmc);
    await redfishCall(task, 'insert the virtual media', async () => {
      if (optBool(media, 'Inserted') === true) {
        await bmc.session.post(
          actionTarget(media, '#VirtualMedia.EjectMedia'),
          {},
          { signal: task.signal },
        );
      }
      await bmc.session.post(
        actionTarget(media, '#VirtualMedia.InsertMedia'),
        { Image: image, Inserted: true, WriteProtected: true },
        { signal: task.signal },
      );
    });
  }

  async #eject(task: Task): Promise<void> {
    const bmc = nodeRedfish(this.#env, task);
    const { media } = await this.#cd(task, bmc);
    if (optBool(media, 'Inserted') !== true) return;
    await redfishCall(task, 'eject the virtual media', () =>
      bmc.session.post(
        actionTarget(media, '#VirtualMedia.EjectMedia'),
        {},
        { signal: task.signal },
      ),
    );
  }

  /** The first CD or DVD virtual media of the managers of the node's system. */
  async #cd(task: Task, bmc: NodeRedfish): Promise<{ path: string; media: JsonObject }> {
    const system = await readSystem(task, bmc);
    return redfishCall(task, 'find the virtual media', async () => {
      const get = async (path: string): Promise<JsonObject> =>
        (await bmc.session.get(path, { signal: task.signal })).body;
      const linksOf = optObj(system.body, 'Links');
      for (const manager of linksOf === undefined ? [] : links(linksOf, 'ManagedBy')) {
        const collection = optLink(await get(manager), 'VirtualMedia');
        if (collection === undefined) continue;
        for (const path of members(await get(collection))) {
          const media = await get(path);
          const types = strings(media, 'MediaTypes');
          if (types.includes('CD') || types.includes('DVD')) return { path, media };
        }
      }
      throw new FerriteError('InvalidParameterValue', {
        err: `The BMC at ${bmc.target.address} offers no CD or DVD virtual media for ${optStr(system.body, 'Id') ?? system.path}.`,
      });
    });
  }
}

import { BootDevice } from '../../../common/boot-devices.ts';
import { FerriteError } from '../../../common/errors.ts';
import type { DriverEnvironment } from '../../catalog.ts';
import { checkDriverInfo, describeDriverInfo } from '../../driver-info.ts';
import type { PropertyDescriptions } from '../../interfaces/base.ts';
import { BootBase } from '../../interfaces/boot.ts';
import type { RamdiskParams } from '../../interfaces/boot.ts';
import type { ManagementInterface } from '../../interfaces/management.ts';
import type { Task } from '../../task.ts';
import { BOOT_IPXE_SCRIPT, ipxeConfig, kernelCommandLine, pxelinuxConfig } from './boot-config.ts';
import {
  DEPLOY_IMAGE_DRIVER_INFO,
  DEPLOY_KERNEL,
  DEPLOY_RAMDISK,
  deployImages,
} from './deploy-images.ts';
import { localHttpRoot, nodeHttpRoot } from './node-http-root.ts';
import { pxeOptions } from './options.ts';
import { MAC_CONFIG_DIR } from './http-root.ts';
import type { HttpRoot } from './http-root.ts';

/** The name of a node's boot config in its folder (Ironic's). */
export const CONFIG_FILE = 'config';
/** The iPXE script at the top of the HTTP root that DHCP points iPXE at. */
export const BOOT_IPXE_FILE = 'boot.ipxe';

/** Which network boot loader reads the configs: PXELINUX or iPXE. */
export type PxeFlavour = 'pxe' | 'ipxe';

/** A MAC address as `aa-bb-cc-dd-ee-ff`. */
function hyphenated(mac: string): string {
  return mac.toLowerCase().replace(/:/g, '-');
}

/**
 * The per-MAC entry a loader looks up, relative to the HTTP root, as
 * Ironic lays them out: PXELINUX asks for `01-` (ARP type Ethernet)
 * followed by the MAC; Ironic's boot.ipxe asks for the bare MAC.
 */
export function macEntry(flavour: PxeFlavour, mac: string): string {
  const name = flavour === 'pxe' ? `01-${hyphenated(mac)}` : hyphenated(mac);
  return `${MAC_CONFIG_DIR}/${name}`;
}

/** The node's PXE-enabled ports, one of which network boot must come from. */
function pxePorts(task: Task): string[] {
  return task.ports.filter((port) => port.pxeEnabled && port.address !== '').map((p) => p.address);
}

/** Every MAC of the node: as Ironic, each gets an entry, whichever port the firmware uses. */
function allMacs(task: Task): string[] {
  return task.ports.filter((port) => port.address !== '').map((p) => p.address);
}

function management(task: Task, name: string): ManagementInterface {
  const found = task.driver.management;
  if (found === undefined) {
    throw new FerriteError('InvalidParameterValue', {
      err: `${name} boot needs a management interface to set the boot device.`,
    });
  }
  return found;
}

/**
 * Network boot of the deploy ramdisk from the conductor's HTTP root: the
 * kernel and initramfs staged in the node's folder, a boot config (a
 * PXELINUX config for `pxe`, an iPXE script for `ipxe`) linked from an
 * entry per MAC of the node, and a one-time boot from the network. The
 * instance (a whole-disk image) boots from its disk.
 */
export class PxeBoot extends BootBase {
  readonly #env: DriverEnvironment;
  readonly #flavour: PxeFlavour;

  constructor(env: DriverEnvironment, flavour: PxeFlavour) {
    super();
    this.#env = env;
    this.#flavour = flavour;
  }

  override getProperties(): PropertyDescriptions {
    return describeDriverInfo(DEPLOY_IMAGE_DRIVER_INFO);
  }

  override async validate(task: Task): Promise<void> {
    const options = pxeOptions(this.#env);
    checkDriverInfo(task, DEPLOY_IMAGE_DRIVER_INFO);
    deployImages(task, options);
    if (pxePorts(task).length === 0) {
      throw new FerriteError('MissingParameterValue', {
        err: `Node ${task.node.uuid} has no PXE-enabled port with a MAC address to boot ${this.#flavour} from.`,
      });
    }
    management(task, this.#flavour);
  }

  /** Inspection boots the same ramdisk the same way: the same checks. */
  async validateInspection(task: Task): Promise<void> {
    await this.validate(task);
  }

  async prepareRamdisk(task: Task, ramdiskParams: RamdiskParams): Promise<void> {
    const { root, options } = nodeHttpRoot(this.#env);
    const images = deployImages(task, options);
    const uuid = task.node.uuid;
    await root.stageImage(uuid, DEPLOY_KERNEL, images.kernel, task.signal);
    await root.stageImage(uuid, DEPLOY_RAMDISK, images.ramdisk, task.signal);
    const boot = {
      kernelUrl: root.nodeUrl(uuid, DEPLOY_KERNEL),
      ramdiskUrl: root.nodeUrl(uuid, DEPLOY_RAMDISK),
      commandLine: kernelCommandLine(ramdiskParams, options.kernelAppendParams),
    };
    const config = this.#flavour === 'pxe' ? pxelinuxConfig(boot) : ipxeConfig(boot);
    await root.writeFile(`${uuid}/${CONFIG_FILE}`, config);
    if (this.#flavour === 'ipxe') await root.writeFile(BOOT_IPXE_FILE, BOOT_IPXE_SCRIPT);
    await this.#unlinkMacs(root, uuid);
    for (const mac of allMacs(task)) {
      await root.linkToNode(macEntry(this.#flavour, mac), uuid, CONFIG_FILE);
    }
    await management(task, this.#flavour).setBootDevice(task, BootDevice.PXE, false);
  }

  async cleanUpRamdisk(task: Task): Promise<void> {
    const root = localHttpRoot(this.#env);
    await this.#unlinkMacs(root, task.node.uuid);
    await root.remove(`${task.node.uuid}/${CONFIG_FILE}`);
  }

  async prepareInstance(task: Task): Promise<void> {
    await this.cleanUpRamdisk(task);
    await management(task, this.#flavour).setBootDevice(task, BootDevice.DISK, true);
  }

  async cleanUpInstance(task: Task): Promise<void> {
    const root = localHttpRoot(this.#env);
    await this.#unlinkMacs(root, task.node.uuid);
    await root.removeNode(task.node.uuid);
  }

  /** Removes the node's MAC entries, also those of ports it no longer has. */
  async #unlinkMacs(root: HttpRoot, uuid: string): Promise<void> {
    await root.unlinkNode(MAC_CONFIG_DIR, uuid);
  }
}

/**
 * A lab: emulated servers on loopback, each with a BMC (Ferrite's Redfish
 * or IPMI emulator), NICs and a disk file, whose hosts follow what their
 * BMCs are told (see LabMachine). It prints the enrolment of its machines
 * as `ferrite create` (and `openstack baremetal create`) read it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { JsonObject } from '../common/json.ts';
import type { Logger } from '../common/logging.ts';
import type { Node } from '../common/records.ts';
import type { NewNode, NewPort } from '../db/store.ts';
import { ChassisAction } from '../drivers/modules/ipmi/commands/chassis.ts';
import { decodeBootFlags } from '../drivers/modules/ipmi/commands/boot-options.ts';
import { startBmcFleet } from './ipmi/fleet.ts';
import type { BmcFleet } from './ipmi/fleet.ts';
import { LabMachine } from './machine/machine.ts';
import type { BootChoice } from './machine/machine.ts';
import { startRedfishEmulator } from './redfish/server.ts';
import type { RedfishEmulator } from './redfish/server.ts';
import type { BootOverride, EmulatedSystem, ResetType } from './redfish/system.ts';

export type BmcKind = 'redfish' | 'ipmi';

export interface LabOptions {
  /** The BMC of each machine, in order (e.g. 4 × redfish then 4 × ipmi). */
  readonly machines: readonly BmcKind[];
  /** Where the disk files go. */
  readonly dir: string;
  readonly diskBytes: number;
  /** The conductor's HTTP root URL, where firmware finds network boot configs. */
  readonly bootUrl: string;
  /**
   * Deploy kernel and ramdisk for the enrolment. The lab boots neither (its
   * machines run `ferrite agent`), so by default it writes placeholders in `dir`.
   */
  readonly deployKernel?: string;
  readonly deployRamdisk?: string;
  readonly agentArgs?: readonly string[];
  readonly verifyImage?: boolean;
  readonly logger: Logger;
  /** A prefix for node names (default `lab`). */
  readonly namePrefix?: string;
}

/** A node of an enrolment file, as `openstack baremetal create` takes it. */
export interface EnrolmentNode extends JsonObject {
  name: string;
  driver: string;
  boot_interface: string;
  deploy_interface: string;
  inspect_interface: string;
  driver_info: JsonObject;
  properties: JsonObject;
  ports: { address: string; pxe_enabled: boolean }[];
}

export interface LabNode {
  readonly machine: LabMachine;
  readonly kind: BmcKind;
  readonly name: string;
  /** The Redfish system or the IPMI BMC, for tests that make it misbehave. */
  readonly system?: EmulatedSystem;
  readonly bmcPort?: number;
}

export interface Lab {
  readonly nodes: readonly LabNode[];
  readonly redfish: RedfishEmulator | undefined;
  readonly ipmi: BmcFleet | undefined;
  /** The nodes as an enrolment file (`{"nodes": [...]}`). */
  enrollment(): { nodes: EnrolmentNode[] };
  close(): Promise<void>;
}

/** The MAC of NIC `nic` of machine `index`: in QEMU's range, unique in the lab. */
function macOf(index: number, nic: number): string {
  const hex = (index + 1).toString(16).padStart(4, '0');
  return `52:54:00:${nic.toString(16).padStart(2, '0')}:${hex.slice(0, 2)}:${hex.slice(2)}`;
}

async function sparseFile(path: string, bytes: number): Promise<void> {
  const handle = await open(path, 'w');
  await handle.truncate(bytes);
  await handle.close();
}

/** What the Redfish boot override (as seen by the boot that used it) points at. */
function redfishBoot(boot: BootOverride, system: EmulatedSystem): BootChoice {
  if (boot.enabled === 'Disabled') return { device: 'default' };
  switch (boot.target) {
    case 'Pxe':
      return { device: 'network' };
    case 'Cd':
      return {
        device: 'cd',
        mediaUrl: system.virtualMedia.inserted
          ? (system.virtualMedia.image ?? undefined)
          : undefined,
      };
    case 'Hdd':
      return { device: 'disk' };
    default:
      return { device: 'default' };
  }
}

/** What IPMI's boot flags (parameter 5, as the host found them) point at. */
function ipmiBoot(flags: Uint8Array | undefined): BootChoice {
  if (!flags) return { device: 'default' };
  const decoded = decodeBootFlags(flags);
  if (!decoded.valid) return { device: 'default' };
  switch (decoded.device) {
    case 'pxe':
      return { device: 'network' };
    case 'disk':
    case 'safe':
      return { device: 'disk' };
    case 'cdrom':
      return { device: 'cd' };
    default:
      return { device: 'default' };
  }
}

/** A file standing in for a deploy kernel or ramdisk, as a file:// URL. */
function placeholder(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, `Ferrite lab ${name} (a placeholder: lab machines run ferrite agent)\n`);
  return `file://${path}`;
}

/** What enrolment needs of a conductor (`Conductor` has it). */
export interface Enroller {
  createNode(fields: NewNode): Promise<Node>;
  createPort(fields: NewPort): Promise<unknown>;
}

/** Enrols the lab's machines (nodes and their ports) straight into a conductor. */
export async function enrolLab(lab: Lab, conductor: Enroller): Promise<Map<string, Node>> {
  const enrolled = new Map<string, Node>();
  for (const spec of lab.enrollment().nodes) {
    const node = await conductor.createNode({
      name: spec.name,
      driver: spec.driver,
      driverInfo: spec.driver_info,
      properties: spec.properties,
      bootInterface: spec.boot_interface,
      deployInterface: spec.deploy_interface,
      inspectInterface: spec.inspect_interface,
    });
    for (const port of spec.ports) {
      await conductor.createPort({
        nodeUuid: node.uuid,
        address: port.address,
        pxeEnabled: port.pxe_enabled,
      });
    }
    enrolled.set(spec.name, node);
  }
  return enrolled;
}

export async function startLab(options: LabOptions): Promise<Lab> {
  mkdirSync(options.dir, { recursive: true });
  const deployKernel = options.deployKernel ?? placeholder(options.dir, 'deploy.kernel');
  const deployRamdisk = options.deployRamdisk ?? placeholder(options.dir, 'deploy.initramfs');
  const prefix = options.namePrefix ?? 'lab';
  const redfishCount = options.machines.filter((k) => k === 'redfish').length;
  const ipmiCount = options.machines.length - redfishCount;
  const machineMacs = options.machines.map((_, index) => [macOf(index, 0), macOf(index, 1)]);
  const redfishIndexes = options.machines.flatMap((k, i) => (k === 'redfish' ? [i] : []));
  const ipmiIndexes = options.machines.flatMap((k, i) => (k === 'ipmi' ? [i] : []));
  const redfish =
    redfishCount > 0
      ? await startRedfishEmulator({
          systems: redfishIndexes.map((index) => ({
            id: `${prefix}-${String(index)}`,
            name: `${prefix}-${String(index)}`,
            macs: machineMacs[index] ?? [],
            drives: [
              { id: 'Disk0', capacityBytes: options.diskBytes, mediaType: 'SSD', protocol: 'SATA' },
            ],
          })),
        })
      : undefined;
  const ipmi = ipmiCount > 0 ? await startBmcFleet({ count: ipmiCount }) : undefined;
  const nodes: LabNode[] = [];
  for (const [index, kind] of options.machines.entries()) {
    const name = `${prefix}-${String(index)}`;
    const disk = join(options.dir, `${name}.disk`);
    await sparseFile(disk, options.diskBytes);
    const machine = new LabMachine({
      name,
      macs: machineMacs[index] ?? [],
      disk,
      bootUrl: options.bootUrl,
      logger: options.logger,
      ...(options.agentArgs ? { agentArgs: options.agentArgs } : {}),
      ...(options.verifyImage === undefined ? {} : { verifyImage: options.verifyImage }),
      onSelfPowerOff: () => {
        if (system) system.powerState = 'Off';
        if (bmc) bmc.bmc.powerOn = false;
      },
    });
    const system = kind === 'redfish' ? redfish?.systems[redfishIndexes.indexOf(index)] : undefined;
    const bmc = kind === 'ipmi' ? ipmi?.bmcs[ipmiIndexes.indexOf(index)] : undefined;
    if (system) {
      system.onReset = (type: ResetType, seen: BootOverride, wasOn: boolean) => {
        switch (type) {
          case 'On':
            if (!wasOn) machine.powerOn(redfishBoot(seen, system));
            break;
          case 'ForceRestart':
          case 'GracefulRestart':
            machine.reset(redfishBoot(seen, system));
            break;
          case 'ForceOff':
            machine.powerOff(false);
            break;
          case 'GracefulShutdown':
            machine.powerOff(true);
            break;
          case 'Nmi':
            machine.nmi();
            break;
        }
      };
    }
    if (bmc) {
      bmc.bmc.onChassisControl = (event) => {
        switch (event.action) {
          case ChassisAction.POWER_UP:
            if (event.bootFlags) machine.powerOn(ipmiBoot(event.bootFlags));
            break;
          case ChassisAction.POWER_CYCLE:
          case ChassisAction.HARD_RESET:
            machine.reset(ipmiBoot(event.bootFlags));
            break;
          case ChassisAction.POWER_DOWN:
            machine.powerOff(false);
            break;
          case ChassisAction.SOFT_SHUTDOWN:
            machine.powerOff(true);
            break;
          case ChassisAction.DIAGNOSTIC_INTERRUPT:
            machine.nmi();
            break;
        }
      };
    }
    nodes.push({
      machine,
      kind,
      name,
      ...(system ? { system } : {}),
      ...(bmc ? { bmcPort: bmc.port } : {}),
    });
  }

  const enrollment = (): { nodes: EnrolmentNode[] } => ({
    nodes: nodes.map((n): EnrolmentNode => {
      const common = {
        name: n.name,
        deploy_interface: 'direct',
        inspect_interface: 'agent',
        properties: { root_device: { name: n.machine.disk } },
      };
      const images = { deploy_kernel: deployKernel, deploy_ramdisk: deployRamdisk };
      if (n.kind === 'redfish' && redfish && n.system) {
        return {
          ...common,
          driver: 'redfish',
          boot_interface: 'redfish-virtual-media',
          driver_info: {
            redfish_address: redfish.url,
            redfish_system_id: `/redfish/v1/Systems/${n.system.id}`,
            redfish_username: redfish.username,
            redfish_password: redfish.password,
            ...images,
          },
          // Redfish machines enrol without ports: in-band inspection finds their NICs.
          ports: [],
        };
      }
      return {
        ...common,
        driver: 'ipmi',
        boot_interface: 'ipxe',
        driver_info: {
          ipmi_address: '127.0.0.1',
          ipmi_port: n.bmcPort ?? 623,
          ipmi_username: ipmi?.username ?? 'admin',
          ipmi_password: ipmi?.password ?? 'password',
          ...images,
        },
        // Network boot finds a machine by its MAC: IPMI machines enrol with the NIC
        // they boot from, as operators do; in-band inspection finds the other.
        ports: n.machine.macs.slice(0, 1).map((address) => ({ address, pxe_enabled: true })),
      };
    }),
  });

  return {
    nodes,
    redfish,
    ipmi,
    enrollment,
    close: async () => {
      await Promise.all(nodes.map((n) => n.machine.close()));
      await redfish?.close();
      await ipmi?.close();
    },
  };
}

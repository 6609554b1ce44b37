/**
 * ComputerSystem resources: the Systems collection, each System (power,
 * boot override with If-Match, summaries, links), its Reset action and its
 * Ethernet interfaces, whose MACs are what inspection makes ports of.
 */
import {
  actionNotSupported,
  preconditionFailed,
  propertyMissing,
  propertyValueNotInList,
  resourceNotFound,
} from '../errors.ts';
import { asObject, collection, link } from '../router.ts';
import type { RequestContext, Route } from '../router.ts';
import { ifMatchAllows, ROOT } from '../service.ts';
import type { RedfishService } from '../service.ts';
import { BOOT_ENABLED, BOOT_MODES, BOOT_TARGETS, RESET_TYPES } from '../system.ts';
import type { BootOverride, EmulatedSystem, ResetType } from '../system.ts';

const SYSTEMS = `${ROOT}/Systems`;

export function systemResource(system: EmulatedSystem): unknown {
  const path = `${SYSTEMS}/${system.id}`;
  return {
    '@odata.id': path,
    '@odata.type': '#ComputerSystem.v1_20_0.ComputerSystem',
    Id: system.id,
    Name: system.name,
    SystemType: 'Physical',
    Manufacturer: 'Ferrite Lab',
    Model: 'Emulated Redfish System',
    SKU: 'FERRITE-EMU',
    SerialNumber: `EMU-${system.id}`,
    UUID: system.uuid,
    PowerState: system.powerState,
    IndicatorLED: 'Off',
    Status: { State: 'Enabled', Health: 'OK' },
    Boot: {
      BootSourceOverrideTarget: system.boot.target,
      'BootSourceOverrideTarget@Redfish.AllowableValues': BOOT_TARGETS,
      BootSourceOverrideEnabled: system.boot.enabled,
      'BootSourceOverrideEnabled@Redfish.AllowableValues': BOOT_ENABLED,
      BootSourceOverrideMode: system.boot.mode,
      'BootSourceOverrideMode@Redfish.AllowableValues': BOOT_MODES,
    },
    ProcessorSummary: {
      Count: system.processorCount,
      Model: 'Emulated x86-64 processor',
      Status: { State: 'Enabled', Health: 'OK' },
    },
    MemorySummary: {
      TotalSystemMemoryGiB: system.memoryGiB,
      Status: { State: 'Enabled', Health: 'OK' },
    },
    Processors: link(`${path}/Processors`),
    EthernetInterfaces: link(`${path}/EthernetInterfaces`),
    Storage: link(`${path}/Storage`),
    Links: {
      Chassis: [link(`${ROOT}/Chassis/${system.id}`)],
      ManagedBy: [link(`${ROOT}/Managers/${system.id}`)],
    },
    Actions: {
      '#ComputerSystem.Reset': {
        target: `${path}/Actions/ComputerSystem.Reset`,
        'ResetType@Redfish.AllowableValues': RESET_TYPES,
      },
    },
  };
}

/** The part of a PATCH body's Boot the System takes, validated against the allowable values. */
function bootChange(body: unknown): Partial<BootOverride> {
  const patch = asObject(body);
  const boot = asObject(patch?.['Boot']);
  if (boot === undefined) throw propertyMissing('Boot');
  const change: Partial<BootOverride> = {};
  const pick = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    if (!(name in boot)) return undefined;
    const value = boot[name];
    if (!allowed.includes(value as T)) throw propertyValueNotInList(name, value);
    return value as T;
  };
  const target = pick('BootSourceOverrideTarget', BOOT_TARGETS);
  const enabled = pick('BootSourceOverrideEnabled', BOOT_ENABLED);
  const mode = pick('BootSourceOverrideMode', BOOT_MODES);
  if (target !== undefined) change.target = target;
  if (enabled !== undefined) change.enabled = enabled;
  if (mode !== undefined) change.mode = mode;
  return change;
}

function withEtag(system: EmulatedSystem, etag: string): Record<string, string> {
  return system.etags ? { ETag: etag } : {};
}

function header(context: RequestContext, name: string): string | undefined {
  const value = context.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function systemRoutes(service: RedfishService): Route[] {
  return [
    {
      template: SYSTEMS,
      methods: {
        GET: () => ({
          status: 200,
          body: collection(
            SYSTEMS,
            'ComputerSystemCollection',
            'Computer System Collection',
            [...service.systems.keys()].map((id) => `${SYSTEMS}/${id}`),
          ),
        }),
      },
    },
    {
      template: `${SYSTEMS}/:system`,
      methods: {
        GET: (context) => {
          const system = context.system();
          return {
            status: 200,
            body: systemResource(system),
            headers: withEtag(system, system.systemEtag),
          };
        },
        PATCH: (context) => {
          const system = context.system();
          system.lastIfMatch = header(context, 'if-match');
          // A system told not to send ETags ignores If-Match, as such BMCs do.
          if (system.etags && !ifMatchAllows(header(context, 'if-match'), system.systemEtag)) {
            throw preconditionFailed(context.path);
          }
          system.setBoot(bootChange(context.json()));
          return {
            status: 200,
            body: systemResource(system),
            headers: withEtag(system, system.systemEtag),
          };
        },
      },
    },
    {
      template: `${SYSTEMS}/:system/Actions/ComputerSystem.Reset`,
      methods: {
        POST: (context) => {
          const system = context.system();
          const body = asObject(context.json()) ?? {};
          if (!('ResetType' in body)) throw propertyMissing('ResetType');
          const type = body['ResetType'];
          if (!RESET_TYPES.includes(type as ResetType))
            throw propertyValueNotInList('ResetType', type);
          system.reset(type as ResetType);
          return { status: 204 };
        },
      },
    },
    {
      template: `${SYSTEMS}/:system/Actions/:action`,
      methods: {
        POST: (context) => {
          context.system();
          throw actionNotSupported(context.params['action'] ?? '');
        },
      },
    },
    {
      template: `${SYSTEMS}/:system/Processors`,
      methods: {
        GET: (context) => {
          const system = context.system();
          const path = `${SYSTEMS}/${system.id}/Processors`;
          return {
            status: 200,
            body: collection(path, 'ProcessorCollection', 'Processors', [`${path}/CPU1`]),
          };
        },
      },
    },
    {
      // One socket holding every core: what inspection needs (architecture, count).
      template: `${SYSTEMS}/:system/Processors/:cpu`,
      methods: {
        GET: (context) => {
          const system = context.system();
          if (context.params['cpu'] !== 'CPU1') throw resourceNotFound(context.path);
          return {
            status: 200,
            body: {
              '@odata.id': `${SYSTEMS}/${system.id}/Processors/CPU1`,
              '@odata.type': '#Processor.v1_18_0.Processor',
              Id: 'CPU1',
              Name: 'Processor 1',
              Socket: 'CPU 1',
              ProcessorType: 'CPU',
              ProcessorArchitecture: 'x86',
              InstructionSet: 'x86-64',
              Model: 'Emulated x86-64 processor',
              TotalCores: system.processorCount,
              TotalThreads: system.processorCount,
              Status: { State: 'Enabled', Health: 'OK' },
            },
          };
        },
      },
    },
    {
      template: `${SYSTEMS}/:system/EthernetInterfaces`,
      methods: {
        GET: (context) => {
          const system = context.system();
          const path = `${SYSTEMS}/${system.id}/EthernetInterfaces`;
          return {
            status: 200,
            body: collection(
              path,
              'EthernetInterfaceCollection',
              'Ethernet Interfaces',
              system.macs.map((_, index) => `${path}/NIC${index + 1}`),
            ),
          };
        },
      },
    },
    {
      template: `${SYSTEMS}/:system/EthernetInterfaces/:nic`,
      methods: {
        GET: (context) => {
          const system = context.system();
          const nic = context.params['nic'] ?? '';
          const index = /^NIC(\d+)$/.exec(nic)?.[1];
          const mac = index === undefined ? undefined : system.macs[Number(index) - 1];
          if (mac === undefined) throw resourceNotFound(context.path);
          return {
            status: 200,
            body: {
              '@odata.id': `${SYSTEMS}/${system.id}/EthernetInterfaces/${nic}`,
              '@odata.type': '#EthernetInterface.v1_9_0.EthernetInterface',
              Id: nic,
              Name: `Ethernet interface ${nic}`,
              MACAddress: mac,
              PermanentMACAddress: mac,
              SpeedMbps: 25000,
              LinkStatus: 'LinkUp',
              Status: { State: 'Enabled', Health: 'OK' },
            },
          };
        },
      },
    },
  ];
}

/**
 * Storage under a System: one RAID controller (`Storage/1`) with the
 * system's drives and a Volumes collection. Creating a volume is
 * asynchronous, as on real controllers: 202 and a task monitor, the volume
 * existing only once the monitor has been polled to the end.
 */
import { propertyValueNotInList, propertyValueTypeError, resourceNotFound } from '../errors.ts';
import { asObject, collection, link } from '../router.ts';
import type { RequestContext, Route } from '../router.ts';
import { ROOT } from '../service.ts';
import type { RedfishService } from '../service.ts';
import { RAID_TYPES } from '../system.ts';
import type { Drive, EmulatedSystem, Volume } from '../system.ts';

export const STORAGE_ID = '1';

function storagePath(system: EmulatedSystem): string {
  return `${ROOT}/Systems/${system.id}/Storage/${STORAGE_ID}`;
}

/** The system, when the path names its one storage controller. */
function storageOf(context: RequestContext): EmulatedSystem {
  const system = context.system();
  if (context.params['storage'] !== STORAGE_ID) throw resourceNotFound(context.path);
  return system;
}

function driveResource(system: EmulatedSystem, drive: Drive): unknown {
  return {
    '@odata.id': `${storagePath(system)}/Drives/${drive.id}`,
    '@odata.type': '#Drive.v1_17_0.Drive',
    Id: drive.id,
    Name: drive.id,
    CapacityBytes: drive.capacityBytes,
    MediaType: drive.mediaType,
    Protocol: drive.protocol,
    Status: { State: 'Enabled', Health: 'OK' },
  };
}

function volumeResource(system: EmulatedSystem, volume: Volume): unknown {
  return {
    '@odata.id': `${storagePath(system)}/Volumes/${volume.id}`,
    '@odata.type': '#Volume.v1_9_0.Volume',
    Id: volume.id,
    Name: volume.name,
    RAIDType: volume.raidType,
    CapacityBytes: volume.capacityBytes,
    Status: { State: 'Enabled', Health: 'OK' },
    Links: { Drives: volume.drives.map((id) => link(`${storagePath(system)}/Drives/${id}`)) },
  };
}

/** A volume request's fields, refused with Redfish's 400s when they do not fit the controller. */
function volumeSpec(system: EmulatedSystem, body: unknown): Omit<Volume, 'id'> {
  const request = asObject(body);
  if (request === undefined) throw propertyValueTypeError('Volume', body);
  const raidType = request['RAIDType'] ?? 'RAID0';
  if (!RAID_TYPES.includes(raidType as (typeof RAID_TYPES)[number])) {
    throw propertyValueNotInList('RAIDType', raidType);
  }
  const capacity = request['CapacityBytes'];
  if (
    capacity !== undefined &&
    (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity <= 0)
  ) {
    throw propertyValueTypeError('CapacityBytes', capacity);
  }
  const links = asObject(request['Links']);
  const requested =
    links?.['Drives'] ??
    system.drives.map((drive) => link(`${storagePath(system)}/Drives/${drive.id}`));
  if (!Array.isArray(requested)) throw propertyValueTypeError('Links/Drives', requested);
  const drives = requested.map((entry: unknown) => {
    const id = asObject(entry)?.['@odata.id'];
    const drive = system.drives.find(
      (candidate) => `${storagePath(system)}/Drives/${candidate.id}` === id,
    );
    if (drive === undefined) throw propertyValueNotInList('Links/Drives', entry);
    return drive;
  });
  const total = drives.reduce((sum, drive) => sum + drive.capacityBytes, 0);
  const name = request['Name'];
  return {
    name: typeof name === 'string' ? name : `Volume ${system.volumes.size + 1}`,
    raidType: raidType as string,
    capacityBytes: typeof capacity === 'number' ? capacity : total,
    drives: drives.map((drive) => drive.id),
  };
}

export function storageRoutes(service: RedfishService): Route[] {
  const base = `${ROOT}/Systems/:system/Storage`;
  return [
    {
      template: base,
      methods: {
        GET: (context) => {
          const system = context.system();
          return {
            status: 200,
            body: collection(
              `${ROOT}/Systems/${system.id}/Storage`,
              'StorageCollection',
              'Storage',
              [storagePath(system)],
            ),
          };
        },
      },
    },
    {
      template: `${base}/:storage`,
      methods: {
        GET: (context) => {
          const system = storageOf(context);
          const path = storagePath(system);
          return {
            status: 200,
            body: {
              '@odata.id': path,
              '@odata.type': '#Storage.v1_15_0.Storage',
              Id: STORAGE_ID,
              Name: 'RAID controller',
              Status: { State: 'Enabled', Health: 'OK' },
              Drives: system.drives.map((drive) => link(`${path}/Drives/${drive.id}`)),
              'Drives@odata.count': system.drives.length,
              StorageControllers: [
                {
                  MemberId: '0',
                  Name: 'Emulated RAID controller',
                  SpeedGbps: 12,
                  SupportedRAIDTypes: RAID_TYPES,
                  Status: { State: 'Enabled', Health: 'OK' },
                },
              ],
              Volumes: link(`${path}/Volumes`),
            },
          };
        },
      },
    },
    {
      template: `${base}/:storage/Drives/:drive`,
      methods: {
        GET: (context) => {
          const system = storageOf(context);
          const drive = system.drives.find((candidate) => candidate.id === context.params['drive']);
          if (drive === undefined) throw resourceNotFound(context.path);
          return { status: 200, body: driveResource(system, drive) };
        },
      },
    },
    {
      template: `${base}/:storage/Volumes`,
      methods: {
        GET: (context) => {
          const system = storageOf(context);
          const path = `${storagePath(system)}/Volumes`;
          return {
            status: 200,
            body: {
              ...(collection(
                path,
                'VolumeCollection',
                'Volumes',
                [...system.volumes.keys()].map((id) => `${path}/${id}`),
              ) as object),
              '@Redfish.OperationApplyTimeSupport': {
                '@odata.type': '#Settings.v1_3_5.OperationApplyTimeSupport',
                SupportedValues: ['Immediate'],
              },
            },
          };
        },
        POST: (context) => {
          const system = storageOf(context);
          const spec = volumeSpec(system, context.json());
          return service.tasks.start(
            system.id,
            'Create volume',
            system.taskPolls,
            system.retryAfterSeconds,
            () => {
              const volume = system.addVolume(spec);
              return {
                status: 201,
                headers: { Location: `${storagePath(system)}/Volumes/${volume.id}` },
                body: volumeResource(system, volume),
              };
            },
          );
        },
      },
    },
    {
      template: `${base}/:storage/Volumes/:volume`,
      methods: {
        GET: (context) => {
          const system = storageOf(context);
          const volume = system.volumes.get(context.params['volume'] ?? '');
          if (volume === undefined) throw resourceNotFound(context.path);
          return { status: 200, body: volumeResource(system, volume) };
        },
        DELETE: (context) => {
          const system = storageOf(context);
          if (!system.deleteVolume(context.params['volume'] ?? ''))
            throw resourceNotFound(context.path);
          return { status: 204 };
        },
      },
    },
  ];
}

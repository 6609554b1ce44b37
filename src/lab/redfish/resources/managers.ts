/**
 * Managers (one BMC per system, with the system's id) and the BMC's virtual
 * CD: InsertMedia/EjectMedia actions, with an ETag on its GET as sushy
 * would send back on a PATCH.
 */
import {
  preconditionFailed,
  propertyMissing,
  propertyValueTypeError,
  resourceNotFound,
} from '../errors.ts';
import { asObject, collection, link } from '../router.ts';
import type { RequestContext, Route } from '../router.ts';
import { ifMatchAllows, ROOT } from '../service.ts';
import type { RedfishService } from '../service.ts';
import type { EmulatedSystem } from '../system.ts';

const MANAGERS = `${ROOT}/Managers`;
export const MEDIA_ID = 'Cd';

function mediaPath(system: EmulatedSystem): string {
  return `${MANAGERS}/${system.id}/VirtualMedia/${MEDIA_ID}`;
}

function mediaOf(context: RequestContext): EmulatedSystem {
  const system = context.system();
  if (context.params['media'] !== MEDIA_ID) throw resourceNotFound(context.path);
  return system;
}

function mediaResource(system: EmulatedSystem): unknown {
  const path = mediaPath(system);
  const media = system.virtualMedia;
  return {
    '@odata.id': path,
    '@odata.type': '#VirtualMedia.v1_6_0.VirtualMedia',
    Id: MEDIA_ID,
    Name: 'Virtual CD',
    MediaTypes: ['CD', 'DVD'],
    Image: media.image,
    ImageName: media.image === null ? null : (media.image.split('/').pop() ?? media.image),
    Inserted: media.inserted,
    WriteProtected: media.writeProtected,
    ConnectedVia: media.inserted ? 'URI' : 'NotConnected',
    TransferMethod: 'Stream',
    Actions: {
      '#VirtualMedia.InsertMedia': { target: `${path}/Actions/VirtualMedia.InsertMedia` },
      '#VirtualMedia.EjectMedia': { target: `${path}/Actions/VirtualMedia.EjectMedia` },
    },
  };
}

export function managerRoutes(service: RedfishService): Route[] {
  const base = `${MANAGERS}/:system`;
  return [
    {
      template: MANAGERS,
      methods: {
        GET: () => ({
          status: 200,
          body: collection(
            MANAGERS,
            'ManagerCollection',
            'Manager Collection',
            [...service.systems.keys()].map((id) => `${MANAGERS}/${id}`),
          ),
        }),
      },
    },
    {
      template: base,
      methods: {
        GET: (context) => {
          const system = context.system();
          const path = `${MANAGERS}/${system.id}`;
          return {
            status: 200,
            body: {
              '@odata.id': path,
              '@odata.type': '#Manager.v1_17_0.Manager',
              Id: system.id,
              Name: `BMC of ${system.name}`,
              ManagerType: 'BMC',
              FirmwareVersion: '1.0.0-ferrite',
              UUID: system.uuid.replace(/^5f3a/, '5f3b'),
              Status: { State: 'Enabled', Health: 'OK' },
              VirtualMedia: link(`${path}/VirtualMedia`),
              Links: {
                ManagerForServers: [link(`${ROOT}/Systems/${system.id}`)],
                ManagerForChassis: [link(`${ROOT}/Chassis/${system.id}`)],
              },
            },
          };
        },
      },
    },
    {
      template: `${base}/VirtualMedia`,
      methods: {
        GET: (context) => {
          const system = context.system();
          return {
            status: 200,
            body: collection(
              `${MANAGERS}/${system.id}/VirtualMedia`,
              'VirtualMediaCollection',
              'Virtual Media',
              [mediaPath(system)],
            ),
          };
        },
      },
    },
    {
      template: `${base}/VirtualMedia/:media`,
      methods: {
        GET: (context) => {
          const system = mediaOf(context);
          return {
            status: 200,
            body: mediaResource(system),
            headers: system.etags ? { ETag: system.mediaEtag } : {},
          };
        },
      },
    },
    {
      template: `${base}/VirtualMedia/:media/Actions/VirtualMedia.InsertMedia`,
      methods: {
        POST: (context) => {
          const system = mediaOf(context);
          const ifMatch = context.headers['if-match'];
          if (
            system.etags &&
            typeof ifMatch === 'string' &&
            !ifMatchAllows(ifMatch, system.mediaEtag)
          ) {
            throw preconditionFailed(context.path);
          }
          const body = asObject(context.json()) ?? {};
          if (!('Image' in body)) throw propertyMissing('Image');
          const image = body['Image'];
          if (typeof image !== 'string' || image === '')
            throw propertyValueTypeError('Image', image);
          const writeProtected = body['WriteProtected'];
          if (writeProtected !== undefined && typeof writeProtected !== 'boolean') {
            throw propertyValueTypeError('WriteProtected', writeProtected);
          }
          system.insertMedia(image, writeProtected ?? true);
          return { status: 204 };
        },
      },
    },
    {
      template: `${base}/VirtualMedia/:media/Actions/VirtualMedia.EjectMedia`,
      methods: {
        POST: (context) => {
          const system = mediaOf(context);
          context.json();
          system.ejectMedia();
          return { status: 204 };
        },
      },
    },
  ];
}

/** The `standby` extension: writing the image and leaving the ramdisk. */
import { open } from 'node:fs/promises';
import type { JsonObject } from '../../common/json.ts';
import { AgentCommandError } from '../command-runner.ts';
import type { CommandTable } from '../command-runner.ts';
import type { AgentHost } from '../host.ts';
import { readPartitionUuids } from '../disk/index.ts';
import { writeImage } from '../image/index.ts';
import type { ImageInfo } from '../image/index.ts';
import { objectParam, optionalObjectParam } from './params.ts';

function imageInfo(params: JsonObject): ImageInfo {
  const info = objectParam(params, 'image_info');
  const urls = info['urls'];
  if (typeof info['id'] !== 'string' || !Array.isArray(urls) || urls.length === 0) {
    throw new AgentCommandError(
      'Invalid image_info: it needs an id and a non-empty list of urls',
      'InvalidCommandParamsError',
      400,
    );
  }
  return info as unknown as ImageInfo;
}

/** Flushes a device's data to stable storage. */
async function syncDevice(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes the image `params.image_info` names to the root disk of
 * `params.node` (or of the looked-up node); what standby.prepare_image and
 * the write_image deploy step share.
 */
export async function writeImageCommand(
  host: AgentHost,
  params: JsonObject,
  signal: AbortSignal,
): Promise<string> {
  const info = imageInfo(params);
  if (
    optionalObjectParam(params, 'configdrive') !== undefined ||
    typeof params['configdrive'] === 'string'
  ) {
    throw new AgentCommandError(
      'Config drives are not written by Ferrite’s agent yet; deploy without one',
      'InvalidCommandParamsError',
      400,
    );
  }
  const device = host.rootDevice(optionalObjectParam(params, 'node')).name;
  const result = await writeImage(info, {
    device,
    allowMd5: host.allowMd5,
    signal,
    tmpDir: host.tmpDir,
  });
  host.imageDevice = device;
  return `image (${info.id}) written to device ${device} (${String(result.bytes)} bytes, ${result.algorithm} ${result.checksum})`;
}

export function standbyCommands(host: AgentHost): CommandTable {
  return {
    'standby.prepare_image': {
      async: true,
      run: (params, { signal }) => writeImageCommand(host, params, signal),
    },
    'standby.get_partition_uuids': {
      async: false,
      async run() {
        const device = host.imageDevice ?? host.rootDevice().name;
        return (await readPartitionUuids(device)) as unknown as JsonObject;
      },
    },
    'standby.sync': {
      async: false,
      async run() {
        const device = host.imageDevice ?? host.rootDevice().name;
        await syncDevice(device);
        return null;
      },
    },
    'standby.power_off': {
      async: true,
      async run() {
        host.power('off');
        return null;
      },
    },
    'standby.run_image': {
      async: true,
      async run() {
        host.power('reboot');
        return null;
      },
    },
  };
}

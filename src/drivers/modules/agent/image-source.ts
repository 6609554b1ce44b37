/**
 * What the agent is told to write: the node's instance_info turned into
 * ironic-python-agent's image_info. Sources are http(s) URLs with a
 * checksum (a value, or the URL of a checksum file), or file:// paths under
 * the directories the operator allowed, published to the agent over the
 * conductor's HTTP root.
 */
import { realpathSync } from 'node:fs';
import { basename, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject } from '../../../common/json.ts';
import type { AgentOptions } from './options.ts';

const HASH_LENGTHS: Readonly<Record<string, number>> = { md5: 32, sha256: 64, sha512: 128 };

function invalid(err: string): FerriteError {
  return new FerriteError('InvalidParameterValue', { err });
}

function optionalString(info: JsonObject, key: string): string | undefined {
  const value = info[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '')
    throw invalid(`instance_info.${key} must be a non-empty string`);
  return value;
}

/** The image source, checked: an http(s) URL, or a file:// URL / absolute path under an allowed directory. */
export interface ImageSource {
  readonly kind: 'http' | 'file';
  /** For http, the URL; for file, the real path on the conductor. */
  readonly location: string;
  readonly diskFormat: 'raw' | 'qcow2' | undefined;
  readonly checksum: { readonly algo?: string; readonly value: string };
}

function checkedChecksum(info: JsonObject, options: AgentOptions): ImageSource['checksum'] {
  const algo = optionalString(info, 'image_os_hash_algo');
  const value = optionalString(info, 'image_os_hash_value');
  const legacy = optionalString(info, 'image_checksum');
  if (algo !== undefined || value !== undefined) {
    if (algo === undefined || value === undefined) {
      throw invalid('instance_info.image_os_hash_algo and image_os_hash_value go together');
    }
    if (!(algo in HASH_LENGTHS))
      throw invalid(`instance_info.image_os_hash_algo must be sha256 or sha512, not "${algo}"`);
    if (algo === 'md5' && !options.allowMd5Checksum) {
      throw invalid(
        'MD5 checksums are not accepted (agent allow_md5_checksum is off); give a sha256 or sha512',
      );
    }
    if (
      !/^https?:\/\//.test(value) &&
      !new RegExp(`^[0-9a-fA-F]{${String(HASH_LENGTHS[algo])}}$`).test(value)
    ) {
      throw invalid(
        `instance_info.image_os_hash_value is not a ${algo} value or the URL of a checksum file`,
      );
    }
    return { algo, value };
  }
  if (legacy === undefined) {
    throw new FerriteError('MissingParameterValue', {
      err: 'An image checksum is required: instance_info.image_checksum, or image_os_hash_algo with image_os_hash_value',
    });
  }
  if (/^https?:\/\//.test(legacy)) return { value: legacy };
  const algoOf = Object.entries(HASH_LENGTHS).find(([, length]) => legacy.length === length)?.[0];
  if (algoOf === undefined || !/^[0-9a-fA-F]+$/.test(legacy)) {
    throw invalid(
      'instance_info.image_checksum is not an md5, sha256 or sha512 value, nor the URL of a checksum file',
    );
  }
  if (algoOf === 'md5' && !options.allowMd5Checksum) {
    throw invalid(
      'MD5 checksums are not accepted (agent allow_md5_checksum is off); give a sha256 or sha512',
    );
  }
  return { algo: algoOf, value: legacy };
}

function allowedFile(path: string, options: AgentOptions): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw invalid(`The image file ${path} does not exist on the conductor`);
  }
  const allowed = options.fileUrlAllowedPaths.some((dir) => {
    const root = dir.endsWith(sep) ? dir : `${dir}${sep}`;
    return real.startsWith(root);
  });
  if (!allowed) {
    throw invalid(
      `The image file ${path} is not under a directory allowed for file:// images (agent file_url_allowed_paths: ${options.fileUrlAllowedPaths.join(', ') || 'none'})`,
    );
  }
  return real;
}

/** Reads and checks instance_info's image fields. */
export function imageSource(info: JsonObject, options: AgentOptions): ImageSource {
  const source = optionalString(info, 'image_source');
  if (source === undefined) {
    throw new FerriteError('MissingParameterValue', {
      err: 'instance_info.image_source is required to deploy',
    });
  }
  const format = optionalString(info, 'image_disk_format');
  if (format !== undefined && format !== 'raw' && format !== 'qcow2') {
    throw invalid(`instance_info.image_disk_format must be raw or qcow2, not "${format}"`);
  }
  const diskFormat = format;
  if (/^https?:\/\//.test(source)) {
    try {
      new URL(source);
    } catch {
      throw invalid(`instance_info.image_source "${source}" is not a URL`);
    }
    return { kind: 'http', location: source, diskFormat, checksum: checkedChecksum(info, options) };
  }
  if (source.startsWith('file://') || source.startsWith('/')) {
    const path = allowedFile(
      source.startsWith('file://') ? fileURLToPath(source) : source,
      options,
    );
    return { kind: 'file', location: path, diskFormat, checksum: checkedChecksum(info, options) };
  }
  throw invalid(
    `instance_info.image_source must be an http(s) URL or a file:// path, not "${source}"`,
  );
}

/** image_info as the agent's standby.prepare_image takes it, for an image at `url`. */
export function agentImageInfo(source: ImageSource, url: string): JsonObject {
  const { algo, value } = source.checksum;
  return {
    id:
      source.kind === 'http'
        ? basename(new URL(source.location).pathname) || source.location
        : basename(source.location),
    urls: [url],
    ...(source.diskFormat ? { disk_format: source.diskFormat } : {}),
    ...(algo !== undefined ? { os_hash_algo: algo, os_hash_value: value } : { checksum: value }),
    stream_raw_images: true,
    image_type: 'whole-disk',
  };
}

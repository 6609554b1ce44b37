import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  readdir,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { FerriteError } from '../../../common/errors.ts';

/** The folder of the HTTP root where fetched images are kept, by the sha256 of their URL. */
export const CACHE_DIR = '_cache';
/** The folder of PXELINUX-style per-MAC config entries (Ironic's `pxe_config_subdir`). */
export const MAC_CONFIG_DIR = 'pxelinux.cfg';

const UUID_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function tempName(path: string): string {
  return `${path}.${randomBytes(6).toString('hex')}.tmp`;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The conductor's HTTP boot directory: one folder per node with what that
 * node boots, the per-MAC entries network boot firmware looks up, and a
 * cache of images fetched from URLs. Every file appears whole or not at all
 * (written aside, then renamed), because firmware may read it at any time.
 */
export class HttpRoot {
  /** The directory on the conductor. */
  readonly dir: string;
  /** The URL it is served at, without a trailing slash. */
  readonly url: string;

  constructor(dir: string, url: string) {
    this.dir = dir;
    this.url = url.replace(/\/+$/, '');
  }

  /** The node's folder; refuses a UUID that could name another path. */
  nodeDir(uuid: string): string {
    if (!UUID_LIKE.test(uuid)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Bad node UUID ${JSON.stringify(uuid)}.`,
      });
    }
    return join(this.dir, uuid);
  }

  /** The path of one file of the node's folder. */
  nodeFile(uuid: string, name: string): string {
    return join(this.nodeDir(uuid), name);
  }

  /** The URL of one file of the node's folder. */
  nodeUrl(uuid: string, name: string): string {
    this.nodeDir(uuid);
    return `${this.url}/${uuid}/${name}`;
  }

  /** Writes a file under the root (path relative to it) atomically. */
  async writeFile(relative: string, content: string | Uint8Array): Promise<string> {
    const path = join(this.dir, relative);
    await mkdir(dirname(path), { recursive: true });
    const temp = tempName(path);
    try {
      await writeFile(temp, content);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return path;
  }

  /**
   * Writes a file under the root by handing a temporary path to `produce`
   * (which writes it however it likes, e.g. streaming), then renaming it.
   */
  async produceFile(relative: string, produce: (temp: string) => Promise<void>): Promise<string> {
    const path = join(this.dir, relative);
    await mkdir(dirname(path), { recursive: true });
    const temp = tempName(path);
    try {
      await produce(temp);
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return path;
  }

  /**
   * Puts an image into the node's folder as `name`: an http(s) URL is
   * fetched once into the cache and hard-linked from there; a file on the
   * conductor (`file://` or an absolute path) is hard-linked, or copied
   * when it lives on another file system. Hard links rather than symbolic
   * ones, so that serving never follows a link out of the root.
   */
  async stageImage(
    uuid: string,
    name: string,
    source: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const target = this.nodeFile(uuid, name);
    const origin = /^https?:\/\//.test(source)
      ? await this.#cached(source, signal)
      : localPath(source);
    try {
      await stat(origin);
    } catch (error) {
      throw new FerriteError('ImageDownloadFailed', {
        image_href: source,
        reason: isMissing(error) ? 'no such file on the conductor' : (error as Error).message,
      });
    }
    await this.produceFile(join(uuid, name), async (temp) => {
      try {
        await link(origin, temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EXDEV' && code !== 'EPERM') throw error;
        await copyFile(origin, temp);
      }
    });
    return target;
  }

  /** The cached copy of a URL, fetching it when it is not there yet. */
  async #cached(url: string, signal?: AbortSignal): Promise<string> {
    const path = join(this.dir, CACHE_DIR, createHash('sha256').update(url).digest('hex'));
    try {
      await stat(path);
      return path;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    await mkdir(dirname(path), { recursive: true });
    const temp = tempName(path);
    try {
      const response = await fetch(url, signal ? { signal } : {});
      if (!response.ok || response.body === null) {
        throw new Error(`HTTP ${String(response.status)} ${response.statusText}`);
      }
      await pipeline(
        Readable.fromWeb(response.body),
        createWriteStream(temp),
        signal ? { signal } : {},
      );
      // Two nodes fetching the same URL at once both rename a complete file: either wins.
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      if (signal?.aborted === true) throw error;
      throw new FerriteError('ImageDownloadFailed', {
        image_href: url,
        reason: (error as Error).message,
      });
    }
    return path;
  }

  /** Points `relative` (a per-MAC entry) at the node's file `name`, replacing what was there. */
  async linkToNode(relative: string, uuid: string, name: string): Promise<void> {
    const path = join(this.dir, relative);
    await mkdir(dirname(path), { recursive: true });
    const depth = relative.split('/').length - 1;
    const pointer = `${'../'.repeat(depth)}${uuid}/${name}`;
    const temp = tempName(path);
    await symlink(pointer, temp);
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Removes a file under the root; nothing happens when it is not there. */
  async remove(relative: string): Promise<void> {
    try {
      await unlink(join(this.dir, relative));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /**
   * Removes every entry of `folder` (relative to the root) that links into
   * the node's folder, including those of ports the node no longer has.
   */
  async unlinkNode(folder: string, uuid: string): Promise<void> {
    this.nodeDir(uuid);
    let names: string[];
    try {
      names = await readdir(join(this.dir, folder));
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const name of names) {
      const path = join(this.dir, folder, name);
      let pointer: string;
      try {
        pointer = await readlink(path);
      } catch {
        continue;
      }
      if (pointer.split('/').includes(uuid)) await this.remove(join(folder, name));
    }
  }

  /** Removes the node's folder and everything in it. */
  async removeNode(uuid: string): Promise<void> {
    await rm(this.nodeDir(uuid), { recursive: true, force: true });
  }
}

/** The conductor path of a `file://` URL or an absolute path. */
function localPath(source: string): string {
  return source.startsWith('file://') ? fileURLToPath(source) : source;
}

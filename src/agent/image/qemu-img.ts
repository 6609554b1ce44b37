/**
 * qemu-img, which turns a staged qcow2 image into raw bytes on the disk.
 * The format is always given (-f qcow2), never probed, and an image that
 * points at other files (a backing file, an external data file) is refused:
 * the image comes from outside and must not read the agent's own files.
 */
import { spawn } from 'node:child_process';

/** The qcow2 magic, "QFI\xfb", at offset 0 of every qcow2 file. */
export const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);

/** What `qemu-img info` says that matters before converting. */
export interface QemuImageInfo {
  readonly format: string;
  readonly virtualSize: number;
  readonly backingFile: string | undefined;
  readonly dataFile: string | undefined;
}

/** qemu-img could not be run or exited non-zero; `missing` when it is not installed. */
export class QemuImgError extends Error {
  override readonly name = 'QemuImgError';
  readonly missing: boolean;
  constructor(message: string, missing: boolean) {
    super(message);
    this.missing = missing;
  }
}

/** The executable, overridable for an agent image that keeps it elsewhere. */
const QEMU_IMG = process.env.FERRITE_QEMU_IMG ?? 'qemu-img';

/** Runs qemu-img with `args` and returns its standard output. */
export function runQemuImg(args: readonly string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU_IMG, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal === undefined ? {} : { signal }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new QemuImgError(
            `${QEMU_IMG} is not installed: install the qemu-utils package in the agent's image ` +
              `(apt-get install qemu-utils) to write qcow2 images`,
            true,
          ),
        );
      } else reject(error);
    });
    child.on('close', (code, signalName) => {
      if (code === 0) {
        resolve(Buffer.concat(out).toString('utf8'));
        return;
      }
      const stderr = Buffer.concat(err).toString('utf8').trim().slice(-2000);
      const how =
        code === null ? `was killed by ${signalName ?? 'a signal'}` : `exited with ${code}`;
      reject(
        new QemuImgError(
          `qemu-img ${args[0] ?? ''} ${how}${stderr === '' ? '' : `: ${stderr}`}`,
          false,
        ),
      );
    });
  });
}

/** `qemu-img info` of a file read as `format`. */
export async function qemuImageInfo(
  path: string,
  format: string,
  signal?: AbortSignal,
): Promise<QemuImageInfo> {
  const text = await runQemuImg(['info', '-f', format, '--output=json', path], signal);
  const info = JSON.parse(text) as Record<string, unknown>;
  const specific = (info['format-specific'] as { data?: Record<string, unknown> } | undefined)
    ?.data;
  const string = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined;
  return {
    format: string(info.format) ?? format,
    virtualSize: Number(info['virtual-size']),
    backingFile: string(info['backing-filename']) ?? string(info['full-backing-filename']),
    dataFile: string(specific?.['data-file']),
  };
}

/** Converts a qcow2 file onto an existing raw target (-n: the target is not recreated). */
export async function convertToRaw(
  source: string,
  target: string,
  signal?: AbortSignal,
): Promise<void> {
  await runQemuImg(['convert', '-f', 'qcow2', '-O', 'raw', '-n', source, target], signal);
}

/**
 * The `log` extension: the agent's own journal and what the kernel says
 * about the machine, as a gzipped tarball in base64 (what Ironic stores
 * when it collects ramdisk logs).
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { CommandTable } from '../command-runner.ts';
import type { AgentHost } from '../host.ts';
import { tarArchive } from '../tar.ts';

async function optionalFile(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

export function logCommands(host: AgentHost, journal: () => readonly string[]): CommandTable {
  return {
    'log.collect_system_logs': {
      async: false,
      async run() {
        const files: { name: string; data: Buffer }[] = [
          { name: 'agent.log', data: Buffer.from(journal().join('\n') + '\n') },
          { name: 'inventory.json', data: Buffer.from(JSON.stringify(host.inventory(), null, 2)) },
        ];
        for (const [name, path] of [
          ['cmdline', '/proc/cmdline'],
          ['meminfo', '/proc/meminfo'],
          ['mounts', '/proc/mounts'],
        ] as const) {
          const data = await optionalFile(path);
          if (data) files.push({ name, data });
        }
        return { system_logs: gzipSync(tarArchive(files, new Date())).toString('base64') };
      },
    },
  };
}

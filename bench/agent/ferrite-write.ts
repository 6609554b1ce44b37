/**
 * One image write by Ferrite's writer, in a process of its own, for
 * bench/agent: prints one JSON line with the bytes written, the seconds from
 * the call to writeImage to its return (the process start excluded), and the
 * CPU seconds (user + system, every thread) the process spent meanwhile.
 *
 *   node --import tsx bench/agent/ferrite-write.ts <url> <sha256> <disk file>
 */
import { writeImage } from '../../src/agent/image/index.ts';

const [url, sha256, disk] = process.argv.slice(2);
if (url === undefined || sha256 === undefined || disk === undefined) {
  throw new Error('usage: ferrite-write.ts <url> <sha256> <disk>');
}
const start = performance.now();
const cpuStart = process.cpuUsage();
const result = await writeImage(
  {
    id: 'bench-image',
    urls: [url],
    disk_format: 'raw',
    os_hash_algo: 'sha256',
    os_hash_value: sha256,
  },
  { device: disk, allowMd5: false, signal: new AbortController().signal },
);
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ bytes: result.bytes, seconds, cpuSeconds })}\n`);

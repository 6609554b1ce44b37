/**
 * A plain static file server for bench/agent, run as a child process so it
 * does not share a CPU thread with the writer it feeds: GET /<name> streams
 * the file with 256 KiB reads; HEAD works too. Prints its port on the
 * first line of standard output, then serves until stdin closes.
 *
 *   node --import tsx bench/agent/file-server.ts <directory>
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';

const root = process.argv[2];
if (root === undefined) throw new Error('usage: file-server.ts <directory>');

const server = createServer((request, response) => {
  const name = basename(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
  const path = join(root, name);
  stat(path).then(
    (info) => {
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(info.size),
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      // 256 KiB reads measured faster than 64 KiB and 4 MiB ones (cache-friendly, few syscalls).
      createReadStream(path, { highWaterMark: 256 * 1024 }).pipe(response);
    },
    () => {
      response.writeHead(404).end();
    },
  );
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.stdout.write(`${address.port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  server.close();
  server.closeAllConnections();
});

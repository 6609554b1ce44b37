// A second process on a test database, for the tests that need one:
//   node --import tsx test/db/store-process.ts <url> reserve <host> <uuid>...
//     prints the reserve results, as a JSON array
//   node --import tsx test/db/store-process.ts <url> open
//     opens (migrating if needed) and prints "opened"
//   node --import tsx test/db/store-process.ts <url> increment <uuid> <times>
//     prints "ready" once the store is open, then increments extra.count
//     <times> times, one transaction each, and prints "done"
import { openStore } from '../../src/db/open.ts';

const [url, command, ...args] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: store-process.ts <url> <command> <args>...');
const store = await openStore(url, { poolSize: 2 });
try {
  if (command === 'open') {
    process.stdout.write('opened\n');
  } else if (command === 'reserve') {
    const [host, ...uuids] = args;
    const results: boolean[] = [];
    for (const uuid of uuids) results.push(await store.nodes.reserve(uuid, host ?? 'child'));
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } else if (command === 'increment') {
    const [uuid = '', times = '0'] = args;
    process.stdout.write('ready\n');
    for (let i = 0; i < Number(times); i++) {
      await store.transaction(async (tx) => {
        const node = await tx.nodes.get(uuid);
        await tx.nodes.update(uuid, { extra: { count: Number(node.extra.count ?? 0) + 1 } });
      });
    }
    process.stdout.write('done\n');
  } else {
    throw new Error(`unknown command ${String(command)}`);
  }
} finally {
  await store.close();
}

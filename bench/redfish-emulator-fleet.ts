/**
 * Ferrite's Redfish emulator as a fleet of BMCs in a process of its own,
 * for bench/redfish: `count` servers on ports of their own, one system
 * each, as a rack of servers has one BMC each.
 *
 *   redfish-emulator-fleet.ts COUNT
 *
 * Prints one JSON line ({ urls, username, password }) once every BMC
 * listens, and stops when its standard input closes.
 */
import { startRedfishEmulator } from '../src/lab/redfish/server.ts';

const count = Number(process.argv[2] ?? '100');
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: redfish-emulator-fleet COUNT\n');
  process.exit(2);
}
const emulators = await Promise.all(
  Array.from({ length: count }, () => startRedfishEmulator({ systems: 1 })),
);
process.stdout.write(
  `${JSON.stringify({
    urls: emulators.map((e) => e.url),
    username: emulators[0]?.username,
    password: emulators[0]?.password,
  })}\n`,
);
process.stdin.resume();
process.stdin.once('end', () => {
  void Promise.all(emulators.map((e) => e.close())).then(() => process.exit(0));
});

/**
 * A fleet of Ferrite's emulated BMCs in a process of its own, for
 * bench/ipmi: the BMCs must not share the measured client's event loop.
 *
 *   ipmi-emulator-fleet.ts COUNT
 *
 * Prints one JSON line ({ host, ports, username, password }) once every BMC
 * listens, and stops when its standard input closes (its parent is gone).
 */
import { startBmcFleet } from '../src/lab/ipmi/fleet.ts';

const count = Number(process.argv[2] ?? '100');
if (!Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: ipmi-emulator-fleet COUNT\n');
  process.exit(2);
}
const fleet = await startBmcFleet({ count });
process.stdout.write(
  `${JSON.stringify({
    host: fleet.bmcs[0]?.host ?? '127.0.0.1',
    ports: fleet.bmcs.map((b) => b.port),
    username: fleet.username,
    password: fleet.password,
  })}\n`,
);
process.stdin.resume();
process.stdin.once('end', () => {
  void fleet.close().then(() => process.exit(0));
});

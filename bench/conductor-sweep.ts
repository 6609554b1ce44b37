/**
 * The sweep half of bench/conductor, in a process of its own: a conductor
 * that starts on a database of 10,000 nodes and runs one power-sync sweep.
 * Its peak RSS is what a conductor managing that fleet needs, undisturbed
 * by the set-up that filled the database.
 *
 *   node dist/bench/conductor-sweep.js <database-url> <expected-nodes>
 * Prints one JSON line: { sweepSeconds, checked, peakRssMb }.
 */
import { NO_PERIODIC_WORK } from '../src/conductor/config.ts';
import { Conductor } from '../src/conductor/conductor.ts';
import { openStore } from '../src/db/open.ts';

const [url, expected] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: conductor-sweep <database-url> <expected-nodes>');
const store = await openStore(url, { poolSize: 8 });
const conductor = new Conductor({
  store,
  settings: {
    host: 'bench-sweeper',
    ...NO_PERIODIC_WORK,
  },
});
try {
  await conductor.start();
  const started = performance.now();
  const report = await conductor.powerSync.sweep();
  const sweepSeconds = (performance.now() - started) / 1000;
  if (expected !== undefined && report.checked !== Number(expected)) {
    throw new Error(`sweep checked ${report.checked} of ${expected} nodes`);
  }
  process.stdout.write(
    `${JSON.stringify({
      sweepSeconds: Number(sweepSeconds.toFixed(2)),
      checked: report.checked,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  await conductor.stop();
  await store.close();
}

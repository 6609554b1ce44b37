/**
 * bench/redfish: the power state of many Redfish BMCs, read by Ferrite's
 * Redfish client as a power sync does.
 *
 *   npm run bench:redfish -- [--bmcs 1000] [--parallel 64]
 *
 * The BMCs are Ferrite's Redfish emulator, one server (one port, one
 * system) per BMC, all in a child process so that they do not share the
 * client's event loop. Three sweeps, each a GET of every system's
 * ComputerSystem at `parallel` at a time:
 *   cold     a new client: a session is created on every BMC (a POST to
 *            SessionService) and a connection opened to each;
 *   warm     the same client again: sessions and connections kept;
 *   warm_2   once more, for the spread.
 * Prints one JSON line: seconds per sweep, systems answered, peak RSS.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eachLimited } from '../src/conductor/periodic/schedule.ts';
import { RedfishClient } from '../src/drivers/modules/redfish/client/redfish-client.ts';
import { optStr } from '../src/drivers/modules/redfish/client/json.ts';

const { values } = parseArgs({
  options: {
    bmcs: { type: 'string', default: '1000' },
    parallel: { type: 'string', default: '64' },
  },
});
const BMCS = Number(values.bmcs);
const PARALLEL = Number(values.parallel);

interface Fleet {
  readonly urls: readonly string[];
  readonly username: string;
  readonly password: string;
}

const script = fileURLToPath(
  new URL(`./redfish-emulator-fleet${extname(import.meta.url)}`, import.meta.url),
);
const child = spawn(process.execPath, [...process.execArgv, script, String(BMCS)], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const fleet = await new Promise<Fleet>((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', (line) =>
    resolve(JSON.parse(line) as Fleet),
  );
  child.once('exit', (code) => reject(new Error(`emulator fleet exited (${String(code)})`)));
});

async function sweep(
  client: RedfishClient,
): Promise<{ seconds: number; answered: number; failures: string[] }> {
  const start = performance.now();
  let answered = 0;
  const failures: string[] = [];
  await eachLimited(fleet.urls, PARALLEL, async (url) => {
    try {
      const session = client.session({
        address: url,
        username: fleet.username,
        password: fleet.password,
        authType: 'session',
      });
      const system = await session.get('/redfish/v1/Systems/system-0');
      if (optStr(system.body, 'PowerState') !== undefined) answered++;
    } catch (error) {
      if (failures.length < 3) failures.push((error as Error).message);
    }
  });
  return { seconds: Math.round(performance.now() - start) / 1000, answered, failures };
}

const client = new RedfishClient({ timeoutMs: 10_000, retries: 1 });
try {
  const cold = await sweep(client);
  const warm = await sweep(client);
  const warm2 = await sweep(client);
  const report = {
    bench: 'redfish',
    bmcs: BMCS,
    parallel: PARALLEL,
    host_cpus: cpus().length,
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    seconds: { cold: cold.seconds, warm: warm.seconds, warm_2: warm2.seconds },
    answered: { cold: cold.answered, warm: warm.answered, warm_2: warm2.answered },
    client_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(cold.failures.length + warm.failures.length > 0
      ? { failures: [...cold.failures, ...warm.failures] }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
} finally {
  await client.close();
  child.stdin.end();
}

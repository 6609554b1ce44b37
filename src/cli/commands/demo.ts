import { join } from 'node:path';
import { createLogger } from '../../common/logging.ts';
import { startDemo } from '../../lab/demo.ts';
import type { DemoMachineStatus, RunningDemo } from '../../lab/demo.ts';
import type { BmcKind } from '../../lab/lab.ts';
import { commandFlags, untilStopped } from '../command-args.ts';
import type { CommandIo } from '../output.ts';
import { formatTable } from '../output.ts';

export const DEMO_HELP = `Usage: ferrite demo [options]

Starts Ferrite (embedded SQLite) and a lab of emulated servers on this
machine — half with a Redfish BMC booting from virtual media, half with an
IPMI BMC booting with iPXE — enrols them, and takes each one through
manage, in-band inspection, automated cleaning and a deploy of an image
Ferrite makes itself, showing progress. Then Ferrite keeps running for you
to look around; Ctrl-C stops everything.

  --machines N       how many machines (default 8)
  --port PORT        the API's port (default 6385; 0 for a free one)
  --host HOST        the API's address (default 127.0.0.1)
  --dir DIR          where the demo keeps its database, disks and boot files
                     (default .ferrite/demo, emptied first)
  --image-size MIB   the size of the image Ferrite makes (default 16)
  --exit-when-done   exit once every machine is active (0) or one failed (1),
                     instead of staying up
`;

const KIND_LABEL: Readonly<Record<BmcKind, string>> = {
  redfish: 'Redfish, virtual media',
  ipmi: 'IPMI, iPXE',
};

function table(machines: readonly DemoMachineStatus[]): string {
  return formatTable(
    ['MACHINE', 'BMC', 'PHASE', 'STATE', 'POWER', 'BOOTED FROM DISK'],
    machines.map((m) => [
      m.name,
      KIND_LABEL[m.kind],
      m.phase,
      m.provisionState,
      m.powerState ?? '-',
      m.booted ?? '',
    ]),
  );
}

function guide(demo: RunningDemo): string {
  const url = demo.apiUrl;
  return [
    '',
    `Ferrite is running at ${url} (no authentication) with ${String(demo.machines.length)} lab machines.`,
    'Look around:',
    `  ferrite node list --url ${url}`,
    `  ferrite node show demo-0 --url ${url}`,
    `  curl -s ${url}/v1/nodes/demo-0 -H 'X-OpenStack-Ironic-API-Version: 1.82'`,
    `  openstack --os-auth-type none --os-endpoint ${url} baremetal node list`,
    `  ferrite node undeploy demo-0 --wait --url ${url}   # cleaning wipes its disk`,
    'Press Ctrl-C to stop Ferrite and the lab.',
    '',
  ].join('\n');
}

/** `ferrite demo`: the lab deployed end to end, then left running until Ctrl-C (or `signal`). */
export async function demoCommand(
  argv: readonly string[],
  io: CommandIo,
  signal?: AbortSignal,
): Promise<number> {
  const values = commandFlags(
    'demo',
    argv,
    {
      machines: { type: 'string', default: '8' },
      port: { type: 'string', default: '6385' },
      host: { type: 'string', default: '127.0.0.1' },
      dir: { type: 'string', default: join('.ferrite', 'demo') },
      'image-size': { type: 'string', default: '16' },
      'exit-when-done': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    DEMO_HELP,
    io,
  );
  if (typeof values === 'number') return values;
  const count = Number(values.machines);
  const port = Number(values.port);
  const imageMiB = Number(values['image-size']);
  if (!Number.isInteger(count) || count < 1 || count > 200) {
    io.err.write('ferrite demo: --machines is a whole number from 1 to 200\n');
    return 2;
  }
  if (
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535 ||
    !Number.isInteger(imageMiB) ||
    imageMiB < 4
  ) {
    io.err.write('ferrite demo: --port is 0–65535 and --image-size at least 4 (MiB)\n');
    return 2;
  }
  const machines: BmcKind[] = Array.from({ length: count }, (_, i) =>
    i < Math.ceil(count / 2) ? 'redfish' : 'ipmi',
  );
  const live = 'isTTY' in io.out && (io.out as { isTTY?: boolean }).isTTY === true;
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  io.out.write(`Starting Ferrite and a lab of ${String(count)} machines in ${values.dir} …\n`);
  const demo = await startDemo({
    dir: values.dir,
    host: values.host,
    port,
    machines,
    imageMiB,
    diskBytes: 256 * 1024 * 1024,
    logger: createLogger('warn'),
  });
  io.out.write(
    `Ferrite listens on ${demo.apiUrl}; image ${demo.image.label.name} (${String(imageMiB)} MiB, sha256 ${demo.image.sha256.slice(0, 12)}…)\n`,
  );

  // A live table on a terminal; one line per change otherwise (logs, CI).
  const seen = new Map<string, string>();
  let drawn = 0;
  const draw = (): void => {
    if (live) {
      const text = `${table(demo.machines)}[${elapsed()}]\n`;
      io.out.write(`${drawn > 0 ? `\x1b[${String(drawn)}A\x1b[J` : ''}${text}`);
      drawn = text.split('\n').length - 1;
      return;
    }
    for (const m of demo.machines) {
      const line = `${m.phase} ${m.provisionState}`;
      if (seen.get(m.name) === line) continue;
      seen.set(m.name, line);
      io.out.write(
        `[${elapsed()}] ${m.name} (${m.kind}): ${m.phase}, ${m.provisionState}${m.lastError && m.phase === 'failed' ? ` — ${m.lastError}` : ''}\n`,
      );
    }
  };
  const ticker = setInterval(draw, live ? 250 : 100);
  const allActive = await demo.finished;
  clearInterval(ticker);
  draw();
  if (allActive) {
    io.out.write(
      `\nAll ${String(count)} machines are active in ${elapsed()}; each booted the image from its disk:\n`,
    );
    io.out.write(table(demo.machines));
  } else {
    io.out.write('\nNot every machine made it:\n');
    for (const m of demo.machines.filter((x) => x.phase === 'failed'))
      io.out.write(`  ${m.name}: ${m.lastError ?? ''}\n`);
  }
  if (values['exit-when-done'] === true) {
    await demo.stop();
    return allActive ? 0 : 1;
  }
  io.out.write(guide(demo));
  await untilStopped(signal);
  io.out.write('Stopping the lab and Ferrite …\n');
  await demo.stop();
  return allActive ? 0 : 1;
}

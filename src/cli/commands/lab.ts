import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createLogger } from '../../common/logging.ts';
import { startLab } from '../../lab/lab.ts';
import type { BmcKind } from '../../lab/lab.ts';
import { commandFlags, untilStopped } from '../command-args.ts';
import type { CommandIo } from '../output.ts';

export const LAB_HELP = `Usage: ferrite lab [options]

Starts a fleet of emulated servers on loopback, each with a BMC (Ferrite's
Redfish or IPMI emulator), NICs and a sparse disk file, whose firmware boots
Ferrite's agent from the conductor's HTTP root. Prints the enrolment of the
machines as JSON (what \`ferrite create\` and \`openstack baremetal create\`
read), then runs until Ctrl-C.

  --size N           how many machines (default 4)
  --bmc KIND         redfish, ipmi or mixed (default mixed: half each)
  --disk-size MIB    each machine's disk (default 1024)
  --api-url URL      the Ferrite API the machines' firmware is told about
                     (default http://127.0.0.1:6385)
  --boot-url URL     the conductor's HTTP boot root (default <api-url>/boot)
  --dir DIR          where the disks go (default .ferrite/lab)
  --output FILE      write the enrolment there instead of standard output
  --prefix NAME      node names are NAME-0, NAME-1, … (default lab)
`;

/** `ferrite lab`: a fleet of emulated machines, until SIGINT/SIGTERM or `signal`. */
export async function labCommand(
  argv: readonly string[],
  io: CommandIo,
  signal?: AbortSignal,
): Promise<number> {
  const values = commandFlags(
    'lab',
    argv,
    {
      size: { type: 'string', default: '4' },
      bmc: { type: 'string', default: 'mixed' },
      'disk-size': { type: 'string', default: '1024' },
      'api-url': { type: 'string', default: 'http://127.0.0.1:6385' },
      'boot-url': { type: 'string' },
      dir: { type: 'string', default: join('.ferrite', 'lab') },
      output: { type: 'string' },
      prefix: { type: 'string', default: 'lab' },
      help: { type: 'boolean' },
    },
    LAB_HELP,
    io,
  );
  if (typeof values === 'number') return values;
  const size = Number(values.size);
  const diskMiB = Number(values['disk-size']);
  if (
    !Number.isInteger(size) ||
    size < 1 ||
    size > 1000 ||
    !Number.isInteger(diskMiB) ||
    diskMiB < 16
  ) {
    io.err.write('ferrite lab: --size is 1–1000 and --disk-size at least 16 (MiB)\n');
    return 2;
  }
  if (!['redfish', 'ipmi', 'mixed'].includes(values.bmc)) {
    io.err.write(`ferrite lab: --bmc is redfish, ipmi or mixed, not "${values.bmc}"\n`);
    return 2;
  }
  const machines: BmcKind[] = Array.from({ length: size }, (_, i) =>
    values.bmc === 'mixed'
      ? i < Math.ceil(size / 2)
        ? 'redfish'
        : 'ipmi'
      : (values.bmc as BmcKind),
  );
  const dir = resolve(values.dir);
  mkdirSync(dir, { recursive: true });
  const apiUrl = values['api-url'].replace(/\/+$/, '');
  const lab = await startLab({
    machines,
    dir,
    diskBytes: diskMiB * 1024 * 1024,
    bootUrl: values['boot-url'] ?? `${apiUrl}/boot`,
    logger: createLogger('warn'),
    namePrefix: values.prefix,
  });
  const enrolment = `${JSON.stringify(lab.enrollment(), null, 2)}\n`;
  if (values.output !== undefined) {
    writeFileSync(values.output, enrolment);
    io.err.write(
      `ferrite lab: ${String(size)} machines running; their enrolment is in ${values.output}\n`,
    );
  } else {
    io.out.write(enrolment);
  }
  io.err.write(
    `ferrite lab: firmware boots from ${values['boot-url'] ?? `${apiUrl}/boot`}; enrol with \`ferrite create <file> --url ${apiUrl}\`. Ctrl-C stops the lab.\n`,
  );
  await untilStopped(signal);
  await lab.close();
  return 0;
}

import { parseArgs } from 'node:util';
import { createDriverFactory } from '../../drivers/builtin.ts';
import type { DriverFactory } from '../../drivers/factory.ts';
import { ALL_INTERFACES } from '../../drivers/interface-types.ts';
import type { CommandIo } from '../output.ts';
import { formatTable } from '../output.ts';

export const DRIVERS_HELP = `Usage: ferrite drivers [--format table|json]

Lists the hardware types this Ferrite offers and, for each interface, the
implementations the type supports (in order of preference) and its default.
`;

/** `ferrite drivers`: the hardware types, their interfaces and implementations. */
export async function driversCommand(
  argv: readonly string[],
  io: CommandIo,
  factory: DriverFactory = createDriverFactory(),
): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { format: { type: 'string', default: 'table' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    io.out.write(DRIVERS_HELP);
    return 0;
  }
  if (values.format !== 'table' && values.format !== 'json') {
    io.err.write(`ferrite drivers: --format must be table or json, not "${values.format}"\n`);
    return 2;
  }
  const types = factory.summaries();
  if (values.format === 'json') {
    io.out.write(`${JSON.stringify(types, null, 2)}\n`);
    return 0;
  }
  const blocks = types.map((t) => {
    const rows = ALL_INTERFACES.map((type) => {
      const info = t.interfaces[type];
      const supported = info.supported.map((impl) =>
        info.enabled.includes(impl) ? impl : `${impl} (disabled)`,
      );
      return [type, info.default, supported.join(', ')];
    });
    return `${t.name}: ${t.description}\n${formatTable(['interface', 'default', 'supported'], rows)}`;
  });
  io.out.write(blocks.join('\n'));
  return 0;
}

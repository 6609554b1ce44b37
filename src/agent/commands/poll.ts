/** The `poll` extension: the hardware inventory, read when asked. */
import type { JsonObject } from '../../common/json.ts';
import type { CommandTable } from '../command-runner.ts';
import type { AgentHost } from '../host.ts';

export function pollCommands(host: AgentHost): CommandTable {
  return {
    'poll.get_hardware_info': {
      async: false,
      async run() {
        return host.inventory() as unknown as JsonObject;
      },
    },
  };
}

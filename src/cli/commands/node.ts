import { runGroup } from '../client/command.ts';
import type { CommandIo } from '../output.ts';
import { NODE_STATE_ACTIONS } from './node/actions.ts';
import { NODE_READ_ACTIONS } from './node/read.ts';
import { NODE_WRITE_ACTIONS } from './node/write.ts';

/** `ferrite node <action>`: the nodes of a Ferrite (or Ironic) through its /v1 API. */
export function nodeCommand(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return runGroup(
    'ferrite node',
    { ...NODE_READ_ACTIONS, ...NODE_WRITE_ACTIONS, ...NODE_STATE_ACTIONS },
    argv,
    io,
    env,
  );
}

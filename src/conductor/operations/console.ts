import { FerriteError } from '../../common/errors.ts';
import { requireInterface } from '../../drivers/driver.ts';
import type { ConsoleInfo } from '../../drivers/interfaces/console.ts';
import type { ConductorContext } from '../context.ts';
import { describeError } from '../context.ts';

/** Starts or stops the node's console in the background; a request for the current mode does nothing. */
export function setConsoleMode(
  ctx: ConductorContext,
  ident: string,
  enabled: boolean,
): Promise<void> {
  return ctx.tasks.run(
    ident,
    { purpose: enabled ? 'starting console' : 'stopping console' },
    async (task) => {
      const console = requireInterface(task.driver, 'console');
      await console.validate(task);
      if (task.node.consoleEnabled === enabled) return;
      task.spawn(
        async (t) => {
          if (enabled) await console.startConsole(t);
          else await console.stopConsole(t);
          t.node.consoleEnabled = enabled;
          t.node.lastError = null;
        },
        (t, error) => {
          t.node.lastError = `Failed to ${enabled ? 'start' : 'stop'} console for node ${t.node.uuid}: ${describeError(error)}`;
        },
      );
    },
  );
}

/** Where to connect to the node's console; NodeConsoleNotEnabled unless it is on. */
export function getConsole(ctx: ConductorContext, ident: string): Promise<ConsoleInfo> {
  return ctx.tasks.run(ident, { shared: true, purpose: 'reading console' }, async (task) => {
    const console = requireInterface(task.driver, 'console');
    if (!task.node.consoleEnabled)
      throw new FerriteError('NodeConsoleNotEnabled', { node: task.node.uuid });
    return console.getConsole(task);
  });
}

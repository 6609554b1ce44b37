import { FerriteError } from '../../../common/errors.ts';
import { ConsoleBase } from '../../interfaces/console.ts';
import type { ConsoleInfo } from '../../interfaces/console.ts';
import type { Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/** driver_internal_info key: whether the fake console is running. */
export const FAKE_CONSOLE_KEY = 'fake_console_active';

/** A console that starts and stops, and hands out a URL only while running. */
export class FakeConsole extends ConsoleBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  async startConsole(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    task.node.driverInternalInfo[FAKE_CONSOLE_KEY] = true;
  }

  async stopConsole(task: Task): Promise<void> {
    await fakeWait(task, this.delay);
    Reflect.deleteProperty(task.node.driverInternalInfo, FAKE_CONSOLE_KEY);
  }

  async getConsole(task: Task): Promise<ConsoleInfo> {
    if (task.node.driverInternalInfo[FAKE_CONSOLE_KEY] !== true) {
      throw new FerriteError('NodeConsoleNotEnabled', { node: task.node.uuid });
    }
    return { type: 'fake', url: `fake://console/${task.node.uuid}` };
  }
}

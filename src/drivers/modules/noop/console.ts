import { ConsoleBase } from '../../interfaces/console.ts';
import type { ConsoleInfo } from '../../interfaces/console.ts';
import type { Task } from '../../task.ts';
import { unsupported } from './unsupported.ts';

/** `no-console`: the node has no console; validation and every action fail. */
export class NoConsole extends ConsoleBase {
  override async validate(task: Task): Promise<void> {
    throw unsupported(task, 'console');
  }
  async startConsole(task: Task): Promise<void> {
    throw unsupported(task, 'console');
  }
  async stopConsole(task: Task): Promise<void> {
    throw unsupported(task, 'console');
  }
  async getConsole(task: Task): Promise<ConsoleInfo> {
    throw unsupported(task, 'console');
  }
}

import type { Task } from '../task.ts';
import { InterfaceBase } from './base.ts';
import type { BaseInterface } from './base.ts';

/** Where a client connects to a node's serial console. */
export interface ConsoleInfo {
  /** e.g. `shellinabox`, `socat`, `websocket`, `fake`. */
  readonly type: string;
  readonly url: string;
}

/** The node's serial console. */
export interface ConsoleInterface extends BaseInterface {
  readonly interfaceType: 'console';
  startConsole(task: Task): Promise<void>;
  stopConsole(task: Task): Promise<void>;
  getConsole(task: Task): Promise<ConsoleInfo>;
}

export abstract class ConsoleBase extends InterfaceBase implements ConsoleInterface {
  readonly interfaceType = 'console' as const;
  abstract startConsole(task: Task): Promise<void>;
  abstract stopConsole(task: Task): Promise<void>;
  abstract getConsole(task: Task): Promise<ConsoleInfo>;
}

import { InspectBase } from '../../interfaces/inspect.ts';
import type { InspectResult } from '../../interfaces/inspect.ts';
import type { Task } from '../../task.ts';
import { unsupported } from './unsupported.ts';

/** `no-inspect`: the node cannot be inspected. */
export class NoInspect extends InspectBase {
  override async validate(task: Task): Promise<void> {
    throw unsupported(task, 'inspect');
  }
  async inspectHardware(task: Task): Promise<InspectResult> {
    throw unsupported(task, 'inspect');
  }
}

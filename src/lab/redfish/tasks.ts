/**
 * Asynchronous operations (DSP0266 §12.2): an operation answered 202 gets a
 * task (`TaskService/Tasks/{n}`) and a task monitor (`…/Tasks/{n}/Monitor`).
 * The monitor answers 202 with Retry-After for the system's configured number
 * of polls, then runs the operation and answers its result from then on —
 * so a test decides how long a client has to wait, counted in polls.
 */
import type { Reply } from './router.ts';

export const TASKS_PATH = '/redfish/v1/TaskService/Tasks';

export interface EmulatedTask {
  readonly id: string;
  readonly systemId: string;
  readonly name: string;
  /** Polls still to answer 202. */
  pollsLeft: number;
  readonly retryAfterSeconds: number;
  /** Runs the operation, once, when the polls are used up. */
  readonly complete: () => Reply;
  result?: Reply;
}

export class TaskRegistry {
  readonly #tasks = new Map<string, EmulatedTask>();
  #next = 1;

  /** Registers an operation; the 202 reply that points at its monitor. */
  start(
    systemId: string,
    name: string,
    polls: number,
    retryAfterSeconds: number,
    complete: () => Reply,
  ): Reply {
    const task: EmulatedTask = {
      id: String(this.#next),
      systemId,
      name,
      pollsLeft: polls,
      retryAfterSeconds,
      complete,
    };
    this.#next += 1;
    this.#tasks.set(task.id, task);
    if (polls <= 0) this.#finish(task);
    // No body: sushy's TaskMonitor.from_response would take a Task's
    // @odata.id over the Location header and poll the Task instead.
    return {
      status: 202,
      headers: {
        Location: `${TASKS_PATH}/${task.id}/Monitor`,
        'Retry-After': String(retryAfterSeconds),
      },
    };
  }

  get(id: string): EmulatedTask | undefined {
    return this.#tasks.get(id);
  }

  list(): EmulatedTask[] {
    return [...this.#tasks.values()];
  }

  /** One poll of the monitor. */
  poll(task: EmulatedTask): Reply {
    if (task.result === undefined) {
      if (task.pollsLeft > 0) {
        task.pollsLeft -= 1;
        return {
          status: 202,
          body: this.resource(task),
          headers: {
            Location: `${TASKS_PATH}/${task.id}/Monitor`,
            'Retry-After': String(task.retryAfterSeconds),
          },
        };
      }
      this.#finish(task);
    }
    return task.result as Reply;
  }

  /** The Task resource. */
  resource(task: EmulatedTask): unknown {
    const done = task.result !== undefined;
    const ok = done && (task.result as Reply).status < 400;
    return {
      '@odata.id': `${TASKS_PATH}/${task.id}`,
      '@odata.type': '#Task.v1_7_0.Task',
      Id: task.id,
      Name: task.name,
      TaskState: done ? (ok ? 'Completed' : 'Exception') : 'Running',
      TaskStatus: done && !ok ? 'Critical' : 'OK',
      PercentComplete: done ? 100 : 50,
      TaskMonitor: `${TASKS_PATH}/${task.id}/Monitor`,
      Messages: [],
    };
  }

  #finish(task: EmulatedTask): void {
    task.result = task.complete();
  }
}

import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { isFerriteError } from '../../src/common/errors.ts';
import type { ErrorCode, FerriteError } from '../../src/common/errors.ts';
import { isJsonObject } from '../../src/common/json.ts';
import type { Port, Portgroup } from '../../src/common/records.ts';
import type { BaseInterface } from '../../src/drivers/interfaces/base.ts';
import type { Task } from '../../src/drivers/task.ts';
import type { ContractFixture, ContractSubject } from './subject.ts';
import { drive } from '../support/drive.ts';

export { drive };

/** A fixture plus `run`, which awaits an operation while driving the clock. */
export interface Harness<T extends BaseInterface> extends ContractFixture<T> {
  readonly run: <R>(operation: Promise<R>) => Promise<R>;
}

export async function open<T extends BaseInterface>(
  subject: ContractSubject<T>,
): Promise<Harness<T>> {
  const fixture = await subject.setUp();
  return {
    impl: fixture.impl,
    task: fixture.task,
    clock: fixture.clock,
    tearDown: async () => fixture.tearDown?.(),
    run: (operation) => drive(fixture.clock, operation),
  };
}

/**
 * A node:test body that sets the subject up, runs `body`, and tears it down
 * whatever happened.
 */
export function withFixture<T extends BaseInterface>(
  subject: ContractSubject<T>,
  body: (h: Harness<T>, t: TestContext) => Promise<void>,
): (t: TestContext) => Promise<void> {
  return async (t) => {
    const harness = await open(subject);
    try {
      await body(harness, t);
    } finally {
      await harness.tearDown?.();
    }
  };
}

function describeError(error: unknown): string {
  if (isFerriteError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Asserts that `operation` rejects with a FerriteError of `code`, or (unless
 * `exact`) of a code deriving from it, as MissingParameterValue derives from
 * InvalidParameterValue. Returns the error for further checks.
 */
export async function rejectsWith(
  operation: Promise<unknown>,
  code: ErrorCode,
  options: { readonly exact?: boolean; readonly what?: string } = {},
): Promise<FerriteError> {
  const what = options.what ? `${options.what}: ` : '';
  let outcome: unknown;
  try {
    outcome = await operation;
  } catch (error) {
    assert.ok(isFerriteError(error, code), `${what}expected ${code}, got ${describeError(error)}`);
    if (options.exact) assert.equal(error.code, code, `${what}expected exactly ${code}`);
    return error;
  }
  return assert.fail(`${what}expected ${code}, but it resolved to ${JSON.stringify(outcome)}`);
}

/** Asserts that `operation` rejects with some FerriteError. */
export async function rejectsWithFerriteError(
  operation: Promise<unknown>,
  what: string,
): Promise<FerriteError> {
  try {
    await operation;
  } catch (error) {
    assert.ok(
      isFerriteError(error),
      `${what}: expected a FerriteError, got ${describeError(error)}`,
    );
    return error;
  }
  return assert.fail(`${what}: expected a FerriteError, but it resolved`);
}

const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

export function assertSnakeCase(name: string, what: string): void {
  assert.match(name, SNAKE_CASE, `${what} "${name}" is not snake_case`);
}

/** Asserts that `value` is a plain object mapping strings to non-empty strings. */
export function assertDescriptions(value: unknown, what: string): void {
  assert.ok(isJsonObject(value), `${what} must be an object`);
  for (const [key, description] of Object.entries(value)) {
    assert.equal(typeof description, 'string', `${what}.${key} must be a string`);
    assert.notEqual(description, '', `${what}.${key} must not be empty`);
  }
}

/** Whether a promise has settled yet: for watching operations parked on a clock. */
export function track<R>(operation: Promise<R>): { readonly settled: () => boolean } {
  let settled = false;
  operation.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { settled: () => settled };
}

/**
 * The node fields only the conductor moves (the state machine, maintenance,
 * the instance): a driver call must leave them as they were.
 */
export function conductorFields(task: Task): Partial<Task['node']> {
  const { provisionState, targetProvisionState, maintenance, maintenanceReason, instanceUuid } =
    task.node;
  return { provisionState, targetProvisionState, maintenance, maintenanceReason, instanceUuid };
}

/** A deep copy of the node, for "nothing changed" checks. */
export function snapshotNode(task: Task): Task['node'] {
  return structuredClone(task.node);
}

export interface SaveRecord {
  readonly ports: Port[];
  readonly portgroups: Portgroup[];
}

/**
 * Records, at every `task.save()`, the ports and portgroups as they were
 * then, without changing what save does. Returns the records and a restore.
 */
export function recordSaves(task: Task): { readonly saves: SaveRecord[]; restore(): void } {
  const saves: SaveRecord[] = [];
  const own = Object.getOwnPropertyDescriptor(task, 'save');
  const original = task.save.bind(task);
  Object.defineProperty(task, 'save', {
    configurable: true,
    writable: true,
    value: async (): Promise<void> => {
      saves.push({
        ports: structuredClone(task.ports),
        portgroups: structuredClone(task.portgroups),
      });
      await original();
    },
  });
  return {
    saves,
    restore() {
      if (own) Object.defineProperty(task, 'save', own);
      else Reflect.deleteProperty(task, 'save');
    },
  };
}

import { FerriteError } from '../../../common/errors.ts';
import type { JsonObject, JsonValue } from '../../../common/json.ts';
import { VendorBase } from '../../interfaces/vendor.ts';
import { driverPassthru, passthru } from '../../passthru.ts';
import type { PassthruContext } from '../../passthru.ts';
import type { Task } from '../../task.ts';
import { fakeWait } from './options.ts';
import type { FakeDelay } from './options.ts';

/** Methods that need a `bar` argument, and the value each one answers true to. */
const EXPECTED_BAR: Readonly<Record<string, string>> = {
  first_method: 'baz',
  second_method: 'kazoo',
  third_method_sync: 'meow',
  fourth_method_shared_lock: 'woof',
};

/**
 * A vendor interface with one method of every kind: asynchronous with the
 * exclusive lock, synchronous, asynchronous with a shared lock, and driver
 * methods that need no node. Each node method answers whether `bar` has the
 * value it expects, after the configured delay.
 */
export class FakeVendor extends VendorBase {
  constructor(private readonly delay?: FakeDelay) {
    super();
  }

  override async validate(_task: Task, method?: string, args: JsonObject = {}): Promise<void> {
    if (method === undefined || !(method in EXPECTED_BAR)) return;
    if (typeof args['bar'] !== 'string' || args['bar'] === '') {
      throw new FerriteError('MissingParameterValue', {
        err: `Parameter 'bar' not passed to method '${method}'.`,
      });
    }
  }

  override async driverValidate(method: string, args: JsonObject): Promise<void> {
    if (method !== 'sleep') return;
    const seconds = args['seconds'];
    if (typeof seconds !== 'number' || !(seconds >= 0)) {
      throw new FerriteError('InvalidParameterValue', {
        err: `Parameter 'seconds' of method 'sleep' must be a non-negative number.`,
      });
    }
  }

  @passthru(['POST'], { description: 'Test if the value of bar is baz' })
  async firstMethod(task: Task, args: JsonObject): Promise<boolean> {
    return this.#answer(task, 'first_method', args);
  }

  @passthru(['POST'], { description: 'Test if the value of bar is kazoo' })
  async secondMethod(task: Task, args: JsonObject): Promise<boolean> {
    return this.#answer(task, 'second_method', args);
  }

  @passthru(['POST'], { async: false, description: 'Test if the value of bar is meow' })
  async thirdMethodSync(task: Task, args: JsonObject): Promise<boolean> {
    return this.#answer(task, 'third_method_sync', args);
  }

  @passthru(['POST'], {
    requireExclusiveLock: false,
    description: 'Test if the value of bar is woof',
  })
  async fourthMethodSharedLock(task: Task, args: JsonObject): Promise<boolean> {
    return this.#answer(task, 'fourth_method_shared_lock', args);
  }

  @driverPassthru(['GET', 'POST'], {
    async: false,
    description: 'Return the arguments of the call',
  })
  async echo(_context: PassthruContext, args: JsonObject): Promise<JsonValue> {
    return args;
  }

  @driverPassthru(['POST'], { description: 'Wait for `seconds` seconds in the background' })
  async sleep(context: PassthruContext, args: JsonObject): Promise<undefined> {
    const seconds = typeof args['seconds'] === 'number' ? args['seconds'] : 0;
    await context.clock.sleep(seconds * 1000, context.signal);
  }

  async #answer(task: Task, method: string, args: JsonObject): Promise<boolean> {
    await fakeWait(task, this.delay);
    return args['bar'] === EXPECTED_BAR[method];
  }
}

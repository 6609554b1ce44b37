import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SharedResources } from './shared-resources.ts';

it('makes each shared resource once and closes them all, even when one fails', async () => {
  const resources = new SharedResources();
  const closed: string[] = [];
  let made = 0;
  const make =
    (name: string, fails = false) =>
    () => {
      made += 1;
      return {
        name,
        close: async () => {
          closed.push(name);
          if (fails) throw new Error(`${name} failed to close`);
        },
      };
    };
  const first = resources.get('a', make('a', true));
  assert.equal(resources.get('a', make('other')), first);
  resources.get('b', make('b'));
  assert.equal(made, 2);
  await resources.close();
  assert.deepEqual(closed.sort(), ['a', 'b']);
  assert.throws(() => resources.get('c', make('c')), /after close/);
});

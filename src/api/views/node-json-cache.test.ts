import assert from 'node:assert/strict';
import { it } from 'node:test';
import { NodeJsonCache } from './node-json-cache.ts';

const text = (b: Buffer | undefined): string | undefined => b?.toString('utf8');

it('answers only for the revision and variant it was given, and stays bounded', () => {
  const cache = new NodeJsonCache(2);
  cache.set('a', 1, 'v1', Buffer.from('{"a":1}'));
  cache.set('a', 1, 'v2', Buffer.from('{"a":"other view"}'));
  assert.equal(text(cache.get('a', 1, 'v1')), '{"a":1}');
  assert.equal(text(cache.get('a', 1, 'v2')), '{"a":"other view"}');
  assert.equal(cache.get('a', 2, 'v1'), undefined, 'another revision misses');
  cache.set('a', 2, 'v1', Buffer.from('{"a":2}'));
  assert.equal(cache.get('a', 1, 'v1'), undefined, 'a new revision drops the old views');
  assert.equal(cache.get('a', 2, 'v2'), undefined);
  cache.set('b', 1, 'v1', Buffer.from('{}'));
  assert.equal(cache.size, 2);
  cache.set('c', 1, 'v1', Buffer.from('{}'));
  assert.equal(cache.size, 1, 'past its bound the cache starts again');
  assert.equal(text(cache.get('c', 1, 'v1')), '{}');
  for (let i = 0; i < 20; i++) cache.set('c', 1, `v${i}`, Buffer.from(String(i)));
  assert.equal(text(cache.get('c', 1, 'v19')), '19');
});

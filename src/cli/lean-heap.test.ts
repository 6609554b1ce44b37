import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useLeanHeap } from './lean-heap.ts';

describe('the lean heap of ferrite serve', () => {
  it('leaves heap flags an operator gave alone', () => {
    assert.equal(useLeanHeap(['--max-semi-space-size=16'], ''), false);
    assert.equal(useLeanHeap([], '--max-old-space-size=4096'), false);
    assert.equal(useLeanHeap([], '--heap_growing_percent=50'), false);
  });

  it('applies its flags otherwise', () => {
    assert.equal(useLeanHeap(['--enable-source-maps'], '--no-warnings'), true);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handlerChannel } from './handler-channel.ts';

describe('handlerChannel', () => {
  it('hands requests to the handler and returns its answer', async () => {
    const channel = handlerChannel((request) => ({
      completionCode: 0,
      data: Uint8Array.from([
        request.netFn,
        request.command,
        request.lun ?? 9,
        ...(request.data ?? []),
      ]),
    }));
    const response = await channel.request({
      netFn: 0x00,
      command: 0x02,
      data: Uint8Array.from([3]),
    });
    assert.deepEqual(response, { completionCode: 0, data: Uint8Array.from([0, 2, 0, 3]) });
  });

  it('answers 0xFF for a throwing handler, like the session server', async () => {
    const channel = handlerChannel(() => {
      throw new Error('boom');
    });
    assert.equal((await channel.request({ netFn: 6, command: 1 })).completionCode, 0xff);
  });

  it('rejects with kind aborted', async () => {
    const channel = handlerChannel(() => ({ completionCode: 0, data: new Uint8Array(0) }));
    await assert.rejects(channel.request({ netFn: 6, command: 1 }, AbortSignal.abort()), {
      kind: 'aborted',
    });
  });
});

import assert from 'node:assert/strict';
import { isFerriteError } from '../../src/common/errors.ts';
import type { ErrorCode } from '../../src/common/errors.ts';

/** Asserts that `promise` rejects with the catalogue error `code` (and a message containing `text`). */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: ErrorCode,
  text?: string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isFerriteError(error), `expected FerriteError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (text !== undefined) assert.ok(error.message.includes(text), error.message);
    return true;
  });
}

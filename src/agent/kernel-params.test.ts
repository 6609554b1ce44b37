import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseKernelParams } from './kernel-params.ts';

describe('parseKernelParams', () => {
  it('reads key=value words, quoted values and bare flags', () => {
    const params = parseKernelParams(
      'BOOT_IMAGE=/vmlinuz ipa-api-url=http://10.0.0.1:6385 ipa-agent-token="abc=def" nofb  quiet\n',
    );
    assert.equal(params.get('ipa-api-url'), 'http://10.0.0.1:6385');
    assert.equal(params.get('ipa-agent-token'), 'abc=def', 'only the first = splits');
    assert.equal(params.get('quiet'), 'true');
    assert.equal(params.get('BOOT_IMAGE'), '/vmlinuz');
    assert.equal(params.size, 5);
    const quoted = parseKernelParams('a="two words" b=');
    assert.equal(quoted.get('a'), 'two words');
    assert.equal(quoted.get('b'), '');
  });
});

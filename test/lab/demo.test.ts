/**
 * `ferrite demo` as the README's main job, non-interactively: Ferrite and a
 * lab of eight machines (four Redfish, four IPMI), each taken to active and
 * booting the image from its disk; the command exits 0 only then.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { demoCommand } from '../../src/cli/commands/demo.ts';
import { captureIo } from '../cli/harness.ts';

describe('ferrite demo --exit-when-done', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-demo-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes every machine of the lab to active, each booting the image from its disk', async () => {
    const io = captureIo();
    const code = await demoCommand(
      ['--exit-when-done', '--port', '0', '--dir', join(dir, 'demo')],
      io,
    );
    assert.equal(code, 0, `${io.text.out}\n${io.text.err}`);
    assert.match(io.text.out, /All 8 machines are active/);
    const summary = io.text.out.slice(io.text.out.indexOf('All 8 machines'));
    for (let i = 0; i < 8; i++) {
      const kind = i < 4 ? 'Redfish, virtual media' : 'IPMI, iPXE';
      assert.match(
        summary,
        new RegExp(`demo-${String(i)}\\s+${kind}\\s+done\\s+active\\s+power on\\s+ferrite-demo`),
      );
    }
    for (const phase of ['manage', 'inspect', 'provide', 'deploy']) {
      assert.match(
        io.text.out,
        new RegExp(`demo-0 \\(redfish\\): ${phase}`),
        `progress shows ${phase}`,
      );
    }
  });

  it('refuses bad options with a usage error', async () => {
    const io = captureIo();
    assert.equal(await demoCommand(['--machines', 'many'], io), 2);
    assert.match(io.text.err, /--machines/);
  });
});

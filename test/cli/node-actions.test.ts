// `ferrite node` actions, `--wait` among them, against fake hardware whose
// operations take simulated time: each poll of a wait moves the clock one
// step, so a wait sees every state a node passes through.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCliApi, startSteppedApi } from './harness.ts';
import type { CliApi } from './harness.ts';

const FAST = ['--poll-interval', '0.001'];

describe('ferrite node actions', () => {
  let api: CliApi;

  before(async () => {
    api = await startSteppedApi({ power: 1, deploy: 2, boot: 0.5, management: 0.5 }, 0.5);
    const created = await api.run('node', 'create', '--driver', 'fake-hardware', '--name', 'n1');
    assert.equal(created.code, 0, created.err);
  });
  after(async () => {
    await api.close();
  });

  it('manages, provides and deploys with --wait, printing each state change', async () => {
    const manage = await api.run('node', 'manage', 'n1', '--wait', ...FAST);
    assert.equal(manage.code, 0, manage.err);
    assert.equal(manage.out, '');
    assert.match(manage.err, /n1: manageable\n$/);

    const provide = await api.run('node', 'provide', 'n1', '--wait', '600', ...FAST);
    assert.equal(provide.code, 0, provide.err);
    assert.match(provide.err, /n1: available\n$/);

    const deploy = await api.run('node', 'deploy', 'n1', ...FAST, '--wait');
    assert.equal(deploy.code, 0, deploy.err);
    const lines = deploy.err.trimEnd().split('\n');
    assert.equal(lines.at(-1), 'n1: active');
    assert.ok(lines.includes('n1: deploying → active'), deploy.err);
    assert.equal(new Set(lines).size, lines.length, 'one line per change');

    const shown = await api.run('node', 'show', 'n1', '--fields', 'provision_state');
    assert.match(shown.out, /^provision_state\s+active$/m);
  });

  it('powers off and on with --wait', async () => {
    const off = await api.run('node', 'power', 'off', 'n1', '--wait', ...FAST);
    assert.equal(off.code, 0, off.err);
    assert.deepEqual(off.err.trimEnd().split('\n'), ['n1: power on → power off', 'n1: power off']);
    const on = await api.run('node', 'power', 'on', 'n1', '--wait=30', ...FAST);
    assert.equal(on.code, 0, on.err);
    assert.deepEqual(on.err.trimEnd().split('\n'), ['n1: power off → power on', 'n1: power on']);
    const soft = await api.run('node', 'power', 'on', 'n1', '--soft');
    assert.equal(soft.code, 2);
    assert.match(soft.err, /--soft is for off and reboot/);
    const reboot = await api.run('node', 'power', 'reboot', 'n1', '--wait', ...FAST);
    assert.equal(reboot.code, 0, reboot.err);
    assert.match(reboot.err, /n1: power on\n$/);
    const bad = await api.run('node', 'power', 'sideways', 'n1');
    assert.equal(bad.code, 2);
  });

  it('fails a --wait with the node’s last_error when the deploy fails', async () => {
    const undeploy = await api.run('node', 'undeploy', 'n1', '--wait', ...FAST);
    assert.equal(undeploy.code, 0, undeploy.err);
    assert.match(undeploy.err, /n1: available\n$/);
    const steps = JSON.stringify([
      { interface: 'deploy', step: 'no_such_step', priority: 50, args: {} },
    ]);
    const deploy = await api.run(
      'node',
      'deploy',
      'n1',
      '--deploy-steps',
      steps,
      '--wait',
      ...FAST,
    );
    assert.equal(deploy.code, 1);
    assert.match(
      deploy.err,
      /^ferrite node deploy: node n1 ended in "deploy failed", not "active": .*no_such_step/m,
    );
  });
});

describe('ferrite node management actions', () => {
  let api: CliApi;

  before(async () => {
    api = await startCliApi();
    const created = await api.run('node', 'create', '--driver', 'fake-hardware', '--name', 'm1');
    assert.equal(created.code, 0, created.err);
  });
  after(async () => {
    await api.close();
  });

  it('sets and shows the boot device', async () => {
    const set = await api.run('node', 'boot-device', 'set', 'm1', 'pxe', '--persistent');
    assert.equal(set.code, 0, set.err);
    const show = await api.run('node', 'boot-device', 'show', 'm1');
    assert.equal(show.code, 0, show.err);
    assert.equal(show.out, 'Field        Value\nboot_device  pxe\npersistent   true\n');
    const supported = await api.run(
      'node',
      'boot-device',
      'show',
      'm1',
      '--supported',
      '--format',
      'json',
    );
    assert.ok(
      Array.isArray(
        (JSON.parse(supported.out) as { supported_boot_devices: unknown }).supported_boot_devices,
      ),
    );
    const missing = await api.run('node', 'boot-device', 'set', 'm1');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /missing DEVICE/);
    const wrong = await api.run('node', 'boot-device', 'set', 'm1', 'floppy');
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /\(HTTP 400\)\n$/);
  });

  it('enables, shows and disables the console', async () => {
    assert.equal((await api.run('node', 'console', 'enable', 'm1')).code, 0);
    const shown = await api.run('node', 'console', 'show', 'm1', '--format', 'json');
    assert.equal((JSON.parse(shown.out) as { console_enabled: unknown }).console_enabled, true);
    assert.equal((await api.run('node', 'console', 'disable', 'm1')).code, 0);
    const off = await api.run('node', 'console', 'show', 'm1');
    assert.match(off.out, /^console_enabled\s+false$/m);
  });

  it('sets and unsets maintenance with a reason', async () => {
    const set = await api.run('node', 'maintenance', 'set', 'm1', '--reason', 'fan noise');
    assert.equal(set.code, 0, set.err);
    const shown = await api.run('node', 'show', 'm1', '--fields', 'maintenance,maintenance_reason');
    assert.equal(
      shown.out,
      'Field               Value\nmaintenance         true\nmaintenance_reason  fan noise\n',
    );
    const listed = await api.run('node', 'list', '--maintenance', '--format', 'json');
    assert.equal((JSON.parse(listed.out) as unknown[]).length, 1);
    assert.equal((await api.run('node', 'maintenance', 'unset', 'm1')).code, 0);
    const after = await api.run('node', 'show', 'm1', '--fields', 'maintenance');
    assert.match(after.out, /^maintenance\s+false$/m);
  });

  it('validates the interfaces, one row each', async () => {
    const result = await api.run('node', 'validate', 'm1');
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /^Interface\s+Result\s+Reason$/m);
    assert.match(result.out, /^power\s+true$/m);
    const json = JSON.parse((await api.run('node', 'validate', 'm1', '--format', 'json')).out) as {
      interface: string;
    }[];
    assert.ok(json.some((r) => r.interface === 'deploy'));
  });

  it('runs manual clean steps, refusing a missing or malformed --clean-steps', async () => {
    assert.equal((await api.run('node', 'manage', 'm1', '--wait', ...FAST)).code, 0);
    const missing = await api.run('node', 'clean', 'm1');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /--clean-steps is required/);
    const malformed = await api.run('node', 'clean', 'm1', '--clean-steps', '[{');
    assert.equal(malformed.code, 2);
    assert.match(malformed.err, /--clean-steps is not JSON/);
    const steps = JSON.stringify([{ interface: 'raid', step: 'delete_configuration' }]);
    const clean = await api.run('node', 'clean', 'm1', '--clean-steps', steps, '--wait', ...FAST);
    assert.equal(clean.code, 0, clean.err);
    assert.match(clean.err, /m1: manageable\n$/);
  });

  it('inspects a manageable node with --wait', async () => {
    const inspect = await api.run('node', 'inspect', 'm1', '--wait', ...FAST);
    assert.equal(inspect.code, 0, inspect.err);
    assert.match(inspect.err, /m1: manageable\n$/);
  });

  it('deploys with a JSON config drive and rebuilds', async () => {
    assert.equal((await api.run('node', 'provide', 'm1', '--wait', ...FAST)).code, 0);
    const drive = JSON.stringify({ meta_data: { hostname: 'm1' }, user_data: '#cloud-config' });
    const deploy = await api.run(
      'node',
      'deploy',
      'm1',
      '--config-drive',
      drive,
      '--wait',
      ...FAST,
    );
    assert.equal(deploy.code, 0, deploy.err);
    const rebuild = await api.run(
      'node',
      'rebuild',
      'm1',
      '--config-drive',
      drive,
      '--wait',
      ...FAST,
    );
    assert.equal(rebuild.code, 0, rebuild.err);
    assert.match(rebuild.err, /m1: active\n$/);
    const undeploy = await api.run('node', 'undeploy', 'm1', '--wait', ...FAST);
    assert.equal(undeploy.code, 0, undeploy.err);
  });

  it('ends a failing deploy with exit 1 and the last_error', async () => {
    const create = await api.run(
      'node',
      'create',
      '--driver',
      'scripted-hardware',
      '--name',
      'f1',
      '--driver-info',
      'scripted_fail=["deploy.deploy"]',
    );
    assert.equal(create.code, 0, create.err);
    for (const action of ['manage', 'provide']) {
      const r = await api.run('node', action, 'f1', '--wait', ...FAST);
      assert.equal(r.code, 0, r.err);
    }
    const deploy = await api.run('node', 'deploy', 'f1', '--wait', ...FAST);
    assert.equal(deploy.code, 1);
    assert.match(deploy.err, /f1: deploy failed → active\n/);
    assert.match(deploy.err, /ended in "deploy failed", not "active": .*broke as scripted/);
    const abort = await api.run('node', 'abort', 'f1', '--wait', ...FAST);
    assert.equal(abort.code, 1, 'deploy failed cannot be aborted');
    assert.match(abort.err, /\(HTTP 400\)/);
  });

  it('gives up a --wait at its timeout, saying where the node is', async () => {
    const create = await api.run(
      'node',
      'create',
      '--driver',
      'scripted-hardware',
      '--name',
      'slow',
      '--driver-info',
      'scripted_async=["deploy.deploy"]',
    );
    assert.equal(create.code, 0, create.err);
    for (const action of ['manage', 'provide']) {
      assert.equal((await api.run('node', action, 'slow', '--wait', ...FAST)).code, 0);
    }
    // The deploy waits for an agent that never calls back.
    const deploy = await api.run('node', 'deploy', 'slow', '--wait', '0.05', ...FAST);
    assert.equal(deploy.code, 1);
    assert.match(
      deploy.err,
      /timed out after 0\.05s waiting for node slow to reach "active"; it is wait call-back → active\n$/,
    );
  });
});

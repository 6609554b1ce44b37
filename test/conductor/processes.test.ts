import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NO_PERIODIC_WORK } from '../../src/conductor/config.ts';
import { Conductor } from '../../src/conductor/conductor.ts';
import { forEachDatabase } from '../support/databases.ts';

const CHILD = fileURLToPath(new URL('../support/child-conductor.ts', import.meta.url));

/** Starts the child conductor; resolves with it once `ready` matches a line of its output. */
function child(args: string[]): {
  done: Promise<string>;
  line: (pattern: RegExp) => Promise<string>;
  kill(): void;
} {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) {
      const match = out.split('\n').find((l) => w.pattern.test(l));
      if (match !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(match);
      }
    }
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const done = new Promise<string>((resolve, reject) => {
    proc.on('exit', (code, signal) => {
      if (code === 0 || signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child exited with ${code ?? signal}: ${err}`));
    });
  });
  return {
    done,
    line: (pattern) =>
      new Promise<string>((resolve, reject) => {
        waiters.push({ pattern, resolve });
        done.then(
          () => reject(new Error(`child ended without printing ${pattern}: ${err}`)),
          reject,
        );
      }),
    kill: () => proc.kill('SIGKILL'),
  };
}

forEachDatabase((db) => {
  it('lets two processes contend for one node without ever holding it together', async () => {
    const url = await db.freshUrl();
    const store = await db.openUrl(url);
    const node = await store.nodes.create({ driver: 'fake-hardware' });
    const a = child(['lock', url, node.uuid, '40', 'process-a']);
    const b = child(['lock', url, node.uuid, '40', 'process-b']);
    const results = (await Promise.all([a.done, b.done])).map(
      (out) => JSON.parse(out.trim()) as { acquired: number; violations: number },
    );
    assert.deepEqual(
      results.map((r) => [r.acquired, r.violations]),
      [
        [40, 0],
        [40, 0],
      ],
    );
    const after = await store.nodes.get(node.uuid);
    assert.equal(after.reservation, null);
    assert.deepEqual(after.extra, {});
  });

  it('fails a deploy whose conductor was killed, when a conductor starts again', async () => {
    const url = await db.freshUrl();
    const victim = child(['deploy', url, 'conductor-k']);
    const uuid = (await victim.line(/^DEPLOYING /)).split(' ')[1] as string;
    victim.kill();
    await victim.done;
    const store = await db.openUrl(url);
    const stranded = await store.nodes.get(uuid);
    assert.equal(stranded.provisionState, 'deploying');
    assert.equal(stranded.reservation, 'conductor-k', 'the killed conductor left its lock');

    const successor = new Conductor({
      store,
      settings: {
        host: 'conductor-k',
        ...NO_PERIODIC_WORK,
      },
    });
    const failed = await successor.start();
    assert.deepEqual(failed, [uuid]);
    const recovered = await store.nodes.get(uuid);
    assert.equal(recovered.provisionState, 'deploy failed');
    assert.equal(recovered.targetProvisionState, 'active');
    assert.equal(recovered.reservation, null);
    assert.equal(
      recovered.lastError,
      "The deploying state can't be resumed by conductor conductor-k. Moving to fail state.",
    );
    await successor.stop();
  });
});

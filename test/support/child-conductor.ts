/**
 * A conductor in a process of its own, for tests about several processes
 * sharing a database and about a conductor being killed.
 *
 *   lock <db-url> <node> <count> <host>   take the node's lock `count` times,
 *                                         checking nobody else holds it meanwhile
 *   deploy <db-url> <host>                enrol a fake node and deploy it with a
 *                                         deploy step that never ends; prints
 *                                         "DEPLOYING <uuid>" once it is in deploying
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Conductor } from '../../src/conductor/conductor.ts';
import { openStore } from '../../src/db/open.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';

const [mode, url, ...rest] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: child-conductor.ts lock|deploy <db-url> …');
const store = await openStore(url, { poolSize: 2 });

if (mode === 'lock') {
  const [uuid, count, host] = rest as [string, string, string];
  const conductor = new Conductor({
    store,
    settings: { host, lockRetry: { attempts: 100_000, intervalMs: 2 } },
  });
  let violations = 0;
  for (let i = 0; i < Number(count); i++) {
    await conductor.tasks.run(uuid, { purpose: 'contending' }, async (task) => {
      const before = await store.nodes.get(uuid);
      if (before.reservation !== host || before.extra['holder'] !== undefined) violations += 1;
      task.node.extra = { holder: host };
      await task.save();
      await nextTurn();
      const during = await store.nodes.get(uuid);
      if (during.reservation !== host || during.extra['holder'] !== host) violations += 1;
      task.node.extra = {};
    });
  }
  process.stdout.write(`${JSON.stringify({ host, acquired: Number(count), violations })}\n`);
  await store.close();
} else if (mode === 'deploy') {
  const [host] = rest as [string];
  // A deploy that takes an hour: the parent kills this process in the middle of it.
  const factory = createDriverFactory({ options: { fake: { deploy: 3600 } } });
  const conductor = new Conductor({ store, factory, settings: { host, automatedClean: false } });
  await conductor.start();
  const node = await conductor.createNode({ driver: 'fake-hardware' });
  await conductor.changeProvisionState(node.uuid, 'manage');
  await conductor.idle();
  await conductor.changeProvisionState(node.uuid, 'provide');
  await conductor.idle();
  await conductor.changeProvisionState(node.uuid, 'active');
  for (;;) {
    const current = await store.nodes.get(node.uuid);
    if (current.provisionState === 'deploying' && current.reservation === host) break;
    await nextTurn();
  }
  process.stdout.write(`DEPLOYING ${node.uuid}\n`);
  await new Promise(() => undefined);
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}

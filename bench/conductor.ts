/**
 * bench/conductor: the conductor's throughput in one process.
 *
 *   node --import tsx bench/conductor.ts [--db sqlite|postgres://…] [--nodes 1000] [--sweep 10000]
 *
 * 1,000 fake-hardware nodes go through enroll → manage → provide (automated
 * cleaning running one fake step) → deploy → undeploy (with cleaning) →
 * delete, each phase for all nodes at once, as API clients would submit
 * them (retrying on 503). Then one power-sync sweep over 10,000 nodes.
 * Prints one JSON line: nodes/s per phase, the lifecycle's seconds and this
 * process's peak RSS, and the sweep's seconds and peak RSS, measured in a
 * conductor process of its own that starts on the 10,000-node database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { isFerriteError } from '../src/common/errors.ts';
import { NO_PERIODIC_WORK } from '../src/conductor/config.ts';
import { Conductor } from '../src/conductor/conductor.ts';
import { eachLimited } from '../src/conductor/periodic/schedule.ts';
import { openStore } from '../src/db/open.ts';
import type { Store } from '../src/db/store.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    nodes: { type: 'string', default: '1000' },
    sweep: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '64' },
  },
});
const NODES = Number(values.nodes);
const SWEEP = Number(values.sweep);
const CLIENTS = Number(values.clients);

/** A database of the bench's own: a temp SQLite file, or a fresh PostgreSQL database. */
async function database(): Promise<{ url: string; dispose: () => Promise<void> }> {
  if (values.db === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ferrite-bench-'));
    return {
      url: `sqlite://${join(dir, 'bench.db')}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new pg.Client({ connectionString: values.db });
  await admin.connect();
  const name = `ferrite_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(values.db);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * Runs the sweep in a conductor process of its own (the sibling script,
 * compiled or through tsx as this one runs), so its memory is measured
 * without the set-up's.
 */
async function sweepInAFreshProcess(
  url: string,
  expected: number,
): Promise<{ sweepSeconds: number; peakRssMb: number }> {
  const here = fileURLToPath(import.meta.url);
  const script = join(dirname(here), `conductor-sweep${extname(here)}`);
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...process.execArgv,
    script,
    url,
    String(expected),
  ]);
  return JSON.parse(stdout) as { sweepSeconds: number; peakRssMb: number };
}

/** Submits like an API client: a conductor that is busy (503) is asked again. */
async function submit(call: () => Promise<unknown>): Promise<void> {
  for (;;) {
    try {
      await call();
      return;
    } catch (error) {
      if (isFerriteError(error, 'TemporaryFailure') || isFerriteError(error, 'NodeLocked')) {
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      throw error;
    }
  }
}

async function phase(
  conductor: Conductor,
  uuids: readonly string[],
  call: (uuid: string) => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  await eachLimited(uuids, CLIENTS, (uuid) => submit(() => call(uuid)));
  await conductor.idle();
  const seconds = (performance.now() - started) / 1000;
  return Math.round(uuids.length / seconds);
}

async function expectAll(store: Store, uuids: readonly string[], state: string): Promise<void> {
  const nodes = await store.nodes.getMany(uuids);
  const wrong = nodes.filter((n) => n.provisionState !== state);
  if (wrong.length > 0) {
    throw new Error(
      `${wrong.length} nodes not ${state}, e.g. ${wrong[0]?.provisionState}: ${wrong[0]?.lastError ?? ''}`,
    );
  }
}

const db = await database();
const store = await openStore(db.url, { poolSize: 8 });
const conductor = new Conductor({
  store,
  settings: {
    host: 'bench-conductor',
    ...NO_PERIODIC_WORK,
    // Automated cleaning runs a real (fake) step on every node.
    cleanStepPriorityOverrides: { 'raid.delete_configuration': 10 },
  },
});
await conductor.start();

try {
  const uuids: string[] = [];
  const started = performance.now();
  const rates: Record<string, number> = {};
  const enrollStart = performance.now();
  await eachLimited(
    Array.from({ length: NODES }, (_, i) => i),
    CLIENTS,
    async (i) => {
      uuids.push(
        (await conductor.createNode({ driver: 'fake-hardware', name: `bench-${i}` })).uuid,
      );
    },
  );
  rates['enroll'] = Math.round(NODES / ((performance.now() - enrollStart) / 1000));
  rates['manage'] = await phase(conductor, uuids, (u) =>
    conductor.changeProvisionState(u, 'manage'),
  );
  await expectAll(store, uuids, 'manageable');
  rates['provide'] = await phase(conductor, uuids, (u) =>
    conductor.changeProvisionState(u, 'provide'),
  );
  await expectAll(store, uuids, 'available');
  rates['deploy'] = await phase(conductor, uuids, (u) =>
    conductor.changeProvisionState(u, 'active'),
  );
  await expectAll(store, uuids, 'active');
  rates['undeploy'] = await phase(conductor, uuids, (u) =>
    conductor.changeProvisionState(u, 'deleted'),
  );
  await expectAll(store, uuids, 'available');
  rates['delete'] = await phase(conductor, uuids, (u) => conductor.deleteNode(u));
  const lifecycleSeconds = (performance.now() - started) / 1000;
  if ((await store.nodes.count()) !== 0) throw new Error('nodes left after delete');

  // The sweep's fleet is set up in bulk (interfaces resolved once, a
  // transaction per 500 nodes): only the sweep is measured.
  const interfaces = Object.fromEntries(
    Object.entries(conductor.factory.resolveInterfaces({ driver: 'fake-hardware' })).map(
      ([type, name]) => [`${type}Interface`, name],
    ),
  );
  for (let first = 0; first < SWEEP; first += 500) {
    await store.transaction(async (tx) => {
      for (let i = first; i < Math.min(SWEEP, first + 500); i++) {
        await tx.nodes.create({
          driver: 'fake-hardware',
          name: `sweep-${i}`,
          provisionState: 'manageable',
          powerState: 'power off',
          ...interfaces,
        });
      }
    });
  }
  const sweep = await sweepInAFreshProcess(db.url, SWEEP);

  process.stdout.write(
    `${JSON.stringify({
      bench: 'conductor',
      database: store.dialect,
      nodes: NODES,
      nodesPerSecond: rates,
      lifecycleSeconds: Number(lifecycleSeconds.toFixed(2)),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      sweepNodes: SWEEP,
      sweepSeconds: sweep.sweepSeconds,
      sweepPeakRssMb: sweep.peakRssMb,
    })}\n`,
  );
} finally {
  await conductor.stop();
  await store.close();
  await db.dispose();
}

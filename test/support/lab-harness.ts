/**
 * Ferrite and a lab on loopback, for end-to-end tests: the API (with the
 * HTTP boot root) and a conductor on the system clock, a lab of emulated
 * machines whose firmware boots from that root, and the lab's enrolment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../src/api/app.ts';
import { silentLogger } from '../../src/common/logging.ts';
import type { Node } from '../../src/common/records.ts';
import { Conductor } from '../../src/conductor/conductor.ts';
import type { ConductorSettings } from '../../src/conductor/config.ts';
import { openStore } from '../../src/db/open.ts';
import type { Store } from '../../src/db/store.ts';
import { createDriverFactory } from '../../src/drivers/builtin.ts';
import type { DriverFactory } from '../../src/drivers/factory.ts';
import { enrolLab, startLab } from '../../src/lab/lab.ts';
import type { BmcKind, Lab } from '../../src/lab/lab.ts';

export interface LabHarness {
  readonly dir: string;
  readonly store: Store;
  readonly conductor: Conductor;
  readonly api: FastifyInstance;
  readonly apiUrl: string;
  readonly lab: Lab;
  /** Enrols the lab's machines (nodes and ports) and returns the nodes by name. */
  enrol(): Promise<Map<string, Node>>;
  /** Waits until the node is unlocked and satisfies `ready` (a real-time wait: other processes work). */
  until(uuid: string, ready: (node: Node) => boolean, what: string): Promise<Node>;
  close(): Promise<void>;
}

export async function startLabHarness(
  machines: readonly BmcKind[],
  settings: ConductorSettings = {},
): Promise<LabHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'ferrite-lab-test-'));
  const options = {
    agent: { apiUrl: '', commandTimeoutMs: 10_000, commandRetries: 1, fileUrlAllowedPaths: [dir] },
    pxe: { httpRoot: join(dir, 'httpboot'), httpUrl: '' },
    ipmi: { requestTimeoutMs: 300, retries: 1 },
    redfish: { requestTimeoutMs: 1000, retries: 1, powerPollIntervalMs: 50 },
  };
  const store = await openStore(`sqlite://${join(dir, 'ferrite.db')}`);
  const factory: DriverFactory = createDriverFactory({ options });
  const conductor = new Conductor({
    store,
    factory,
    settings: {
      host: 'lab-conductor',
      powerSync: { intervalMs: 0 },
      ...settings,
    },
  });
  await conductor.start();
  const api = await buildApi({ conductor, store, httpRoot: options.pxe.httpRoot });
  const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  options.agent.apiUrl = apiUrl;
  options.pxe.httpUrl = `${apiUrl}/boot`;
  const lab = await startLab({
    machines,
    dir: join(dir, 'disks'),
    diskBytes: 64 * 1024 * 1024,
    bootUrl: options.pxe.httpUrl,
    logger: silentLogger,
  });

  const until = async (
    uuid: string,
    ready: (node: Node) => boolean,
    what: string,
  ): Promise<Node> => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const node = await store.nodes.get(uuid);
      if (ready(node) && node.reservation === null) return node;
      if (Date.now() > deadline) {
        const machine = lab.nodes.find((n) => n.name === node.name)?.machine;
        throw new Error(
          `${node.name ?? uuid} never ${what}: ${node.provisionState} (target ${String(node.targetProvisionState)}), last_error ${String(node.lastError)}; machine ${machine?.state ?? '?'}: ${machine?.history.join(' → ') ?? ''}\n${machine?.agentLog() ?? ''}`,
        );
      }
      await sleep(25);
    }
  };

  return {
    dir,
    store,
    conductor,
    api,
    apiUrl,
    lab,
    until,
    enrol: () => enrolLab(lab, conductor),
    close: async () => {
      await lab.close();
      await api.close();
      await conductor.stop();
      await factory.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

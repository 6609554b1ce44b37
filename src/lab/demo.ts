/**
 * `ferrite demo`: Ferrite (embedded SQLite) and a lab of emulated machines
 * in one process, every machine taken enroll → manageable → inspected →
 * cleaned → available → active with an image Ferrite makes itself. What
 * it shows as it goes comes out as events; the command draws them.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../api/app.ts';
import type { Logger } from '../common/logging.ts';
import type { Node } from '../common/records.ts';
import { Conductor } from '../conductor/conductor.ts';
import { openStore } from '../db/open.ts';
import type { Store } from '../db/store.ts';
import { createDriverFactory } from '../drivers/builtin.ts';
import type { DriverFactory } from '../drivers/factory.ts';
import { makeDemoImage } from './image/demo-image.ts';
import type { DemoImage } from './image/demo-image.ts';
import { enrolLab, startLab } from './lab.ts';
import type { BmcKind, Lab } from './lab.ts';

const MIB = 1024 * 1024;

export interface DemoOptions {
  /** Where the database, disks and HTTP root go (emptied first). */
  readonly dir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly machines: readonly BmcKind[];
  readonly imageMiB: number;
  readonly diskBytes: number;
  readonly logger: Logger;
  /** Limit on each phase of each machine, in ms. */
  readonly phaseTimeoutMs?: number;
}

/** One step of a machine's way to active. */
export const DEMO_PHASES = ['manage', 'inspect', 'provide', 'deploy'] as const;
export type DemoPhase = (typeof DEMO_PHASES)[number];

/** Where each phase should leave the node. */
const TARGET: Readonly<Record<DemoPhase, string>> = {
  manage: 'manageable',
  inspect: 'manageable',
  provide: 'available',
  deploy: 'active',
};
const FAILED = ['inspect failed', 'clean failed', 'deploy failed', 'error', 'enroll'];

export interface DemoMachineStatus {
  readonly name: string;
  readonly kind: BmcKind;
  readonly uuid: string;
  phase: DemoPhase | 'done' | 'failed';
  provisionState: string;
  powerState: string | null;
  lastError: string | null;
  /** What the machine booted from its disk at the end. */
  booted: string | undefined;
}

export interface RunningDemo {
  readonly apiUrl: string;
  readonly store: Store;
  readonly conductor: Conductor;
  readonly lab: Lab;
  readonly image: DemoImage;
  readonly machines: readonly DemoMachineStatus[];
  /** Resolves when every machine is active or one has failed: true when all are active. */
  readonly finished: Promise<boolean>;
  stop(): Promise<void>;
}

async function waitFor(
  store: Store,
  uuid: string,
  target: string,
  timeoutMs: number,
  onChange: (node: Node) => void,
): Promise<Node> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const node = await store.nodes.get(uuid);
    onChange(node);
    const settled = node.targetProvisionState === null && node.reservation === null;
    if (settled && node.provisionState === target) return node;
    if (settled && FAILED.includes(node.provisionState)) {
      throw new Error(
        `${node.name ?? uuid} ended in ${node.provisionState}: ${node.lastError ?? 'no error recorded'}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${node.name ?? uuid} did not reach ${target} in time (still ${node.provisionState})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function assertEnrolled(name: string): never {
  throw new Error(`lab machine ${name} was not enrolled`);
}

export async function startDemo(given: DemoOptions): Promise<RunningDemo> {
  // Absolute: allowed image paths and file:// URLs need it.
  const options = { ...given, dir: resolve(given.dir) };
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const image = await makeDemoImage(join(options.dir, 'ferrite-demo.raw'), options.imageMiB);
  const driverOptions = {
    agent: { apiUrl: '', fileUrlAllowedPaths: [options.dir] },
    pxe: { httpRoot: join(options.dir, 'httpboot'), httpUrl: '' },
  };
  const store = await openStore(`sqlite://${join(options.dir, 'ferrite.db')}`);
  const factory: DriverFactory = createDriverFactory({ options: driverOptions });
  const conductor = new Conductor({
    store,
    factory,
    logger: options.logger,
    settings: { host: 'demo-conductor' },
  });
  await conductor.start();
  let api: FastifyInstance | undefined;
  let lab: Lab | undefined;
  const stop = async (): Promise<void> => {
    await lab?.close();
    await api?.close();
    await conductor.stop();
    await factory.close();
    await store.close();
  };
  try {
    api = await buildApi({ conductor, store, httpRoot: driverOptions.pxe.httpRoot });
    const apiUrl = await api.listen({ host: options.host, port: options.port });
    driverOptions.agent.apiUrl = apiUrl;
    driverOptions.pxe.httpUrl = `${apiUrl}/boot`;
    lab = await startLab({
      machines: options.machines,
      dir: join(options.dir, 'disks'),
      diskBytes: Math.max(options.diskBytes, image.bytes + 4 * MIB),
      bootUrl: driverOptions.pxe.httpUrl,
      logger: options.logger,
      namePrefix: 'demo',
    });
    const machines: DemoMachineStatus[] = [];
    const enrolled = await enrolLab(lab, conductor);
    for (const spec of lab.enrollment().nodes) {
      const node = enrolled.get(spec.name) ?? assertEnrolled(spec.name);
      machines.push({
        name: spec.name,
        kind: spec.driver === 'redfish' ? 'redfish' : 'ipmi',
        uuid: node.uuid,
        phase: 'manage',
        provisionState: node.provisionState,
        powerState: node.powerState,
        lastError: null,
        booted: undefined,
      });
    }
    const timeoutMs = options.phaseTimeoutMs ?? 10 * 60_000;
    const runningLab = lab;
    const takeToActive = async (status: DemoMachineStatus): Promise<void> => {
      const track = (node: Node): void => {
        status.provisionState = node.provisionState;
        status.powerState = node.powerState;
        status.lastError = node.lastError;
      };
      for (const phase of DEMO_PHASES) {
        status.phase = phase;
        if (phase === 'deploy') {
          await conductor.updateNode(status.uuid, {
            instanceInfo: {
              image_source: `file://${image.path}`,
              image_os_hash_algo: 'sha256',
              image_os_hash_value: image.sha256,
            },
          });
        }
        await conductor.changeProvisionState(status.uuid, phase === 'deploy' ? 'active' : phase);
        await waitFor(store, status.uuid, TARGET[phase], timeoutMs, track);
      }
      const machine = runningLab.nodes.find((n) => n.name === status.name)?.machine;
      await machine?.settled();
      const os = machine?.os;
      status.booted = os?.bootable
        ? `${os.label.name}${os.intact ? '' : ' (damaged!)'}`
        : undefined;
      status.phase = 'done';
    };
    const finished = Promise.all(
      machines.map((m) =>
        takeToActive(m).then(
          () => true,
          (error: unknown) => {
            m.phase = 'failed';
            m.lastError = error instanceof Error ? error.message : String(error);
            return false;
          },
        ),
      ),
    ).then((results) => results.every(Boolean));
    return { apiUrl, store, conductor, lab, image, machines, finished, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

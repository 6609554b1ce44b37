import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCapabilities } from '../../src/common/capabilities.ts';
import type { JsonObject } from '../../src/common/json.ts';
import { ProvisionState } from '../../src/common/states.ts';
import type { InspectInterface, InspectResult } from '../../src/drivers/interfaces/inspect.ts';
import type { Task } from '../../src/drivers/task.ts';
import { baseContract } from './base.contract.ts';
import { withFixture } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

const RESULTS: readonly unknown[] = [
  ProvisionState.MANAGEABLE,
  undefined,
  ProvisionState.INSPECTWAIT,
];

/** The properties inspection must fill, as the scheduler reads them. */
export function assertEssentialProperties(properties: JsonObject): void {
  const { cpus, cpu_arch: cpuArch, memory_mb: memoryMb, local_gb: localGb } = properties;
  assert.ok(Number.isInteger(cpus) && (cpus as number) > 0, `cpus ${JSON.stringify(cpus)}`);
  assert.ok(typeof cpuArch === 'string' && cpuArch !== '', `cpu_arch ${JSON.stringify(cpuArch)}`);
  assert.ok(
    Number.isInteger(memoryMb) && (memoryMb as number) > 0,
    `memory_mb ${JSON.stringify(memoryMb)}`,
  );
  assert.ok(
    Number.isInteger(localGb) && (localGb as number) >= 0,
    `local_gb ${JSON.stringify(localGb)}`,
  );
}

async function inspect(task: Task, impl: InspectInterface, run: <R>(p: Promise<R>) => Promise<R>) {
  task.node.provisionState = 'inspecting';
  const result: InspectResult = await run(impl.inspectHardware(task));
  assert.ok(RESULTS.includes(result), `inspectHardware resolved to ${String(result)}`);
  return result;
}

/**
 * The inspect interface: inspectHardware resolves to manageable, nothing or
 * inspect wait; when it finished, the node has cpus, cpu_arch, memory_mb and
 * local_gb, and kept the properties inspection does not own.
 */
export function inspectContract(subject: ContractSubject<InspectInterface>): void {
  describe(`inspect contract: ${subject.name}`, () => {
    baseContract(subject, 'inspect');

    it(
      'validates the node it was set up with',
      withFixture(subject, async ({ impl, task, run }) => {
        await run(impl.validate(task));
      }),
    );

    it(
      'fills cpus, cpu_arch, memory_mb and local_gb when it finishes',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if ((await inspect(task, impl, run)) === ProvisionState.INSPECTWAIT) {
          t.skip('inspection continues asynchronously; properties arrive later');
          return;
        }
        assertEssentialProperties(task.node.properties);
      }),
    );

    it(
      'keeps the properties and capabilities it does not discover',
      withFixture(subject, async ({ impl, task, run }, t) => {
        task.node.properties = {
          ...task.node.properties,
          contract_note: 'kept',
          capabilities: 'contract_probe:yes',
        };
        if ((await inspect(task, impl, run)) === ProvisionState.INSPECTWAIT) {
          t.skip('inspection continues asynchronously');
          return;
        }
        assert.equal(task.node.properties['contract_note'], 'kept');
        const capabilities = parseCapabilities(task.node.properties['capabilities']);
        assert.equal(capabilities.get('contract_probe'), 'yes', 'an existing capability was lost');
      }),
    );

    it(
      'finds the same hardware when inspecting again',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if ((await inspect(task, impl, run)) === ProvisionState.INSPECTWAIT) {
          t.skip('inspection continues asynchronously');
          return;
        }
        const essentials = (p: JsonObject): unknown[] => [
          p['cpus'],
          p['cpu_arch'],
          p['memory_mb'],
          p['local_gb'],
        ];
        const first = essentials(task.node.properties);
        await inspect(task, impl, run);
        assert.deepEqual(essentials(task.node.properties), first);
      }),
    );

    it(
      'aborts an inspection that continues asynchronously',
      withFixture(subject, async ({ impl, task, run }, t) => {
        if (!impl.abort) {
          t.skip('abort is not implemented');
          return;
        }
        if ((await inspect(task, impl, run)) !== ProvisionState.INSPECTWAIT) {
          t.skip('inspection finishes synchronously; nothing to abort');
          return;
        }
        await run(impl.abort(task));
      }),
    );
  });
}

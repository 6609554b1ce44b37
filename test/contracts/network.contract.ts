import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJsonObject } from '../../src/common/json.ts';
import type { Port, Portgroup } from '../../src/common/records.ts';
import type { NetworkInterface, VifInfo } from '../../src/drivers/interfaces/network.ts';
import type { Task } from '../../src/drivers/task.ts';
import { makePort, makePortgroup } from '../support/node.ts';
import { baseContract } from './base.contract.ts';
import { recordSaves, rejectsWith, withFixture } from './helpers.ts';
import type { Harness } from './helpers.ts';
import type { ContractSubject } from './subject.ts';

export interface NetworkContractOptions {
  /**
   * `tracked`: VIFs are bound to a port or portgroup and listed (flat,
   * neutron). `ignored`: VIFs are accepted and forgotten (noop).
   */
  readonly vifs: 'tracked' | 'ignored';
}

/** Where a port or portgroup records its VIFs, by network (Ironic's internal_info keys). */
const TENANT_VIF = 'tenant_vif_port_id';
const CLEANING_VIF = 'cleaning_vif_port_id';

function addPort(task: Task, overrides: Partial<Port> = {}): Port {
  const port = makePort(task.node.uuid, overrides);
  task.ports.push(port);
  return port;
}

function addPortgroup(task: Task, members: number, overrides: Partial<Portgroup> = {}) {
  const group = makePortgroup(task.node.uuid, overrides);
  task.portgroups.push(group);
  const ports = Array.from({ length: members }, () => addPort(task, { portgroupUuid: group.uuid }));
  return { group, ports };
}

/** Which VIF each port and portgroup carries right now, by uuid. */
async function currentVifs(h: Harness<NetworkInterface>): Promise<Record<string, string | null>> {
  const result: Record<string, string | null> = {};
  for (const obj of [...h.task.ports, ...h.task.portgroups]) {
    result[obj.uuid] = await h.run(h.impl.getCurrentVif(h.task, obj));
  }
  return result;
}

/** The uuids holding `vif` right now. */
async function holders(h: Harness<NetworkInterface>, vif: string): Promise<string[]> {
  return Object.entries(await currentVifs(h))
    .filter(([, v]) => v === vif)
    .map(([uuid]) => uuid);
}

async function attach(h: Harness<NetworkInterface>, info: VifInfo): Promise<void> {
  await h.run(h.impl.vifAttach(h.task, info));
}

async function listed(h: Harness<NetworkInterface>): Promise<string[]> {
  return (await h.run(h.impl.vifList(h.task))).map((v) => v.id).sort();
}

function assertVifMap(value: unknown, task: Task, what: string): void {
  assert.ok(isJsonObject(value), `${what} must resolve to an object`);
  const known = new Set([...task.ports, ...task.portgroups].map((p) => p.uuid));
  for (const [uuid, vif] of Object.entries(value)) {
    assert.ok(known.has(uuid), `${what}: ${uuid} is not a port or portgroup of the node`);
    assert.equal(typeof vif, 'string', `${what}: VIF of ${uuid}`);
  }
}

function commonNetworkTests(subject: ContractSubject<NetworkInterface>): void {
  it(
    'validates the node it was set up with',
    withFixture(subject, async ({ impl, task, run }) => {
      addPort(task);
      await run(impl.validate(task));
    }),
  );

  it(
    'reacts to port and portgroup updates',
    withFixture(subject, async ({ impl, task, run }) => {
      const { group, ports } = addPortgroup(task, 2);
      const port = ports[0]!;
      port.extra = { ...port.extra, updated: true };
      await run(impl.portChanged(task, port));
      group.extra = { ...group.extra, updated: true };
      await run(impl.portgroupChanged(task, group));
    }),
  );

  it(
    'moves the node through the provisioning, tenant and cleaning networks',
    withFixture(subject, async ({ impl, task, run }) => {
      addPort(task);
      addPortgroup(task, 2);
      await run(impl.addProvisioningNetwork(task));
      await run(impl.removeProvisioningNetwork(task));
      await run(impl.configureTenantNetworks(task));
      await run(impl.unconfigureTenantNetworks(task));
      assertVifMap(await run(impl.addCleaningNetwork(task)), task, 'addCleaningNetwork');
      await run(impl.removeCleaningNetwork(task));
    }),
  );

  it(
    'adds and removes the rescuing and inspection networks when it has them',
    withFixture(subject, async ({ impl, task, run }, t) => {
      addPort(task);
      let exercised = 0;
      if (impl.validateRescue) {
        await run(impl.validateRescue(task));
        exercised += 1;
      }
      if (impl.addRescuingNetwork && impl.removeRescuingNetwork) {
        assertVifMap(await run(impl.addRescuingNetwork(task)), task, 'addRescuingNetwork');
        await run(impl.removeRescuingNetwork(task));
        exercised += 1;
      }
      if (impl.validateInspection) {
        await run(impl.validateInspection(task));
        exercised += 1;
      }
      if (impl.addInspectionNetwork && impl.removeInspectionNetwork) {
        assertVifMap(await run(impl.addInspectionNetwork(task)), task, 'addInspectionNetwork');
        await run(impl.removeInspectionNetwork(task));
        exercised += 1;
      }
      if (exercised === 0) t.skip('no rescuing or inspection network methods');
    }),
  );

  it(
    'answers needPowerOn and getNodeNetworkData with the right types when it has them',
    withFixture(subject, async ({ impl, task, run }, t) => {
      if (!impl.needPowerOn && !impl.getNodeNetworkData) {
        t.skip('neither needPowerOn nor getNodeNetworkData is implemented');
        return;
      }
      if (impl.needPowerOn) assert.equal(typeof impl.needPowerOn(task), 'boolean');
      if (impl.getNodeNetworkData)
        assert.ok(isJsonObject(await run(impl.getNodeNetworkData(task))));
    }),
  );

  it(
    'reports no current VIF on a fresh port or portgroup',
    withFixture(subject, async (h) => {
      addPort(h.task);
      addPortgroup(h.task, 1);
      for (const [uuid, vif] of Object.entries(await currentVifs(h))) {
        assert.equal(vif, null, `${uuid} has VIF ${String(vif)}`);
      }
    }),
  );
}

function trackedVifTests(subject: ContractSubject<NetworkInterface>): void {
  it(
    'attaches a VIF to a free port and lists it',
    withFixture(subject, async (h) => {
      const port = addPort(h.task);
      await attach(h, { id: 'vif-a' });
      assert.deepEqual(await listed(h), ['vif-a']);
      assert.deepEqual(await holders(h, 'vif-a'), [port.uuid]);
    }),
  );

  it(
    'attaches VIFs to distinct ports, lists them all',
    withFixture(subject, async (h) => {
      addPort(h.task);
      addPort(h.task);
      await attach(h, { id: 'vif-a' });
      await attach(h, { id: 'vif-b' });
      assert.deepEqual(await listed(h), ['vif-a', 'vif-b']);
      const a = await holders(h, 'vif-a');
      const b = await holders(h, 'vif-b');
      assert.equal(a.length, 1);
      assert.equal(b.length, 1);
      assert.notEqual(a[0], b[0], 'two VIFs share a port');
    }),
  );

  it(
    'refuses the same VIF twice with VifAlreadyAttached (HTTP 409), changing nothing',
    withFixture(subject, async (h) => {
      addPort(h.task);
      addPort(h.task);
      await attach(h, { id: 'vif-a' });
      const before = await currentVifs(h);
      const error = await rejectsWith(
        h.run(h.impl.vifAttach(h.task, { id: 'vif-a' })),
        'VifAlreadyAttached',
      );
      assert.equal(error.status, 409);
      assert.deepEqual(await currentVifs(h), before);
      assert.deepEqual(await listed(h), ['vif-a']);
    }),
  );

  it(
    'refuses a VIF without an id with InvalidParameterValue',
    withFixture(subject, async (h) => {
      addPort(h.task);
      await rejectsWith(h.run(h.impl.vifAttach(h.task, { id: '' })), 'InvalidParameterValue');
      assert.deepEqual(await listed(h), []);
    }),
  );

  it(
    'refuses with NoFreePhysicalPorts when the node has no port',
    withFixture(subject, async (h) => {
      await rejectsWith(h.run(h.impl.vifAttach(h.task, { id: 'vif-a' })), 'NoFreePhysicalPorts');
    }),
  );

  it(
    'refuses with NoFreePhysicalPorts when every port is taken',
    withFixture(subject, async (h) => {
      addPort(h.task);
      await attach(h, { id: 'vif-a' });
      await rejectsWith(h.run(h.impl.vifAttach(h.task, { id: 'vif-b' })), 'NoFreePhysicalPorts');
      assert.deepEqual(await listed(h), ['vif-a']);
    }),
  );

  it(
    'does not use a portgroup that has no ports',
    withFixture(subject, async (h) => {
      addPortgroup(h.task, 0);
      await rejectsWith(h.run(h.impl.vifAttach(h.task, { id: 'vif-a' })), 'NoFreePhysicalPorts');
    }),
  );

  it(
    'prefers a portgroup over a plain port',
    withFixture(subject, async (h) => {
      addPort(h.task, { pxeEnabled: true });
      const { group } = addPortgroup(h.task, 2);
      await attach(h, { id: 'vif-a' });
      assert.deepEqual(await holders(h, 'vif-a'), [group.uuid]);
    }),
  );

  it(
    'prefers a PXE-enabled port over others',
    withFixture(subject, async (h) => {
      addPort(h.task, { pxeEnabled: false });
      const pxe = addPort(h.task, { pxeEnabled: true });
      addPort(h.task, { pxeEnabled: false });
      await attach(h, { id: 'vif-a' });
      assert.deepEqual(await holders(h, 'vif-a'), [pxe.uuid]);
    }),
  );

  it(
    'attaches to the port named by port_uuid',
    withFixture(subject, async (h) => {
      addPortgroup(h.task, 2);
      addPort(h.task, { pxeEnabled: true });
      const chosen = addPort(h.task, { pxeEnabled: false });
      await attach(h, { id: 'vif-a', port_uuid: chosen.uuid });
      assert.deepEqual(await holders(h, 'vif-a'), [chosen.uuid]);
    }),
  );

  it(
    'attaches to the portgroup named by portgroup_uuid',
    withFixture(subject, async (h) => {
      addPort(h.task, { pxeEnabled: true });
      addPortgroup(h.task, 2);
      const { group } = addPortgroup(h.task, 2);
      await attach(h, { id: 'vif-a', portgroup_uuid: group.uuid });
      assert.deepEqual(await holders(h, 'vif-a'), [group.uuid]);
    }),
  );

  it(
    'refuses a VIF pinned to a port that is taken, changing nothing',
    withFixture(subject, async (h) => {
      const taken = addPort(h.task);
      addPort(h.task);
      await attach(h, { id: 'vif-a', port_uuid: taken.uuid });
      const before = await currentVifs(h);
      await rejectsWith(
        h.run(h.impl.vifAttach(h.task, { id: 'vif-b', port_uuid: taken.uuid })),
        'NoFreePhysicalPorts',
      );
      assert.deepEqual(await currentVifs(h), before);
    }),
  );

  it(
    'refuses a VIF pinned to a port or portgroup the node does not have, or to a portgroup member',
    withFixture(subject, async (h) => {
      const { group, ports } = addPortgroup(h.task, 2);
      addPort(h.task);
      const member = ports[0];
      assert.ok(member);
      const before = await currentVifs(h);
      await rejectsWith(
        h.run(h.impl.vifAttach(h.task, { id: 'vif-a', port_uuid: makePort('other').uuid })),
        'InvalidParameterValue',
      );
      await rejectsWith(
        h.run(
          h.impl.vifAttach(h.task, { id: 'vif-a', portgroup_uuid: makePortgroup('other').uuid }),
        ),
        'InvalidParameterValue',
      );
      await rejectsWith(
        h.run(h.impl.vifAttach(h.task, { id: 'vif-a', port_uuid: member.uuid })),
        'InvalidParameterValue',
        { what: `port ${member.uuid} is in portgroup ${group.uuid}` },
      );
      assert.deepEqual(await currentVifs(h), before);
    }),
  );

  it(
    'detaches a VIF, freeing its port for another',
    withFixture(subject, async (h) => {
      const port = addPort(h.task);
      await attach(h, { id: 'vif-a' });
      await h.run(h.impl.vifDetach(h.task, 'vif-a'));
      assert.deepEqual(await listed(h), []);
      assert.equal(await h.run(h.impl.getCurrentVif(h.task, port)), null);
      await attach(h, { id: 'vif-b' });
      assert.deepEqual(await holders(h, 'vif-b'), [port.uuid]);
    }),
  );

  it(
    'detaches a VIF from a portgroup',
    withFixture(subject, async (h) => {
      const { group } = addPortgroup(h.task, 2);
      await attach(h, { id: 'vif-a' });
      assert.deepEqual(await holders(h, 'vif-a'), [group.uuid]);
      await h.run(h.impl.vifDetach(h.task, 'vif-a'));
      assert.deepEqual(await listed(h), []);
      assert.deepEqual(await holders(h, 'vif-a'), []);
    }),
  );

  it(
    'refuses to detach a VIF that is not attached with VifNotAttached',
    withFixture(subject, async (h) => {
      addPort(h.task);
      await attach(h, { id: 'vif-a' });
      await rejectsWith(h.run(h.impl.vifDetach(h.task, 'vif-unknown')), 'VifNotAttached');
      assert.deepEqual(await listed(h), ['vif-a']);
      await h.run(h.impl.vifDetach(h.task, 'vif-a'));
      await rejectsWith(h.run(h.impl.vifDetach(h.task, 'vif-a')), 'VifNotAttached', {
        what: 'detaching twice',
      });
    }),
  );

  it(
    'reports the cleaning VIF as current before the tenant VIF',
    withFixture(subject, async (h) => {
      const port = addPort(h.task, {
        internalInfo: { [TENANT_VIF]: 'vif-tenant', [CLEANING_VIF]: 'vif-cleaning' },
      });
      const { group } = addPortgroup(h.task, 1, {
        internalInfo: { [CLEANING_VIF]: 'vif-cleaning-pg', [TENANT_VIF]: 'vif-tenant-pg' },
      });
      assert.equal(await h.run(h.impl.getCurrentVif(h.task, port)), 'vif-cleaning');
      assert.equal(await h.run(h.impl.getCurrentVif(h.task, group)), 'vif-cleaning-pg');
      const tenantOnly = addPort(h.task, { internalInfo: { [TENANT_VIF]: 'vif-t' } });
      assert.equal(await h.run(h.impl.getCurrentVif(h.task, tenantOnly)), 'vif-t');
    }),
  );

  it(
    'saves the task after attaching and after detaching',
    withFixture(subject, async (h) => {
      addPort(h.task);
      const recorder = recordSaves(h.task);
      try {
        await attach(h, { id: 'vif-a' });
        const afterAttach = recorder.saves.at(-1);
        assert.ok(afterAttach, 'vifAttach did not save');
        const savedHolders: string[] = [];
        for (const obj of [...afterAttach.ports, ...afterAttach.portgroups]) {
          if ((await h.run(h.impl.getCurrentVif(h.task, obj))) === 'vif-a') {
            savedHolders.push(obj.uuid);
          }
        }
        assert.equal(savedHolders.length, 1, 'the saved ports do not carry the VIF');

        const count = recorder.saves.length;
        await h.run(h.impl.vifDetach(h.task, 'vif-a'));
        assert.ok(recorder.saves.length > count, 'vifDetach did not save');
        const afterDetach = recorder.saves.at(-1)!;
        for (const obj of [...afterDetach.ports, ...afterDetach.portgroups]) {
          assert.notEqual(await h.run(h.impl.getCurrentVif(h.task, obj)), 'vif-a');
        }
      } finally {
        recorder.restore();
      }
    }),
  );
}

function ignoredVifTests(subject: ContractSubject<NetworkInterface>): void {
  it(
    'accepts VIFs, lists none and binds none',
    withFixture(subject, async (h) => {
      addPort(h.task);
      addPortgroup(h.task, 2);
      const before = structuredClone([...h.task.ports, ...h.task.portgroups]);
      await attach(h, { id: 'vif-a' });
      await attach(h, { id: 'vif-a' });
      assert.deepEqual(await h.run(h.impl.vifList(h.task)), []);
      assert.deepEqual(await holders(h, 'vif-a'), []);
      assert.deepEqual([...h.task.ports, ...h.task.portgroups], before);
    }),
  );

  it(
    'detaches any VIF without complaint',
    withFixture(subject, async (h) => {
      await h.run(h.impl.vifDetach(h.task, 'vif-never-attached'));
      assert.deepEqual(await h.run(h.impl.vifList(h.task)), []);
    }),
  );

  it(
    'reports no current VIF even when a port records one',
    withFixture(subject, async (h) => {
      const port = addPort(h.task, { internalInfo: { [TENANT_VIF]: 'vif-t' } });
      assert.equal(await h.run(h.impl.getCurrentVif(h.task, port)), null);
    }),
  );
}

/**
 * The network interface. Every implementation handles port updates and the
 * network moves of provisioning; implementations that track VIFs bind them
 * to the best free port or portgroup, refuse duplicates and unknown detaches,
 * and save what they changed.
 */
export function networkContract(
  subject: ContractSubject<NetworkInterface>,
  options: NetworkContractOptions,
): void {
  describe(`network contract (VIFs ${options.vifs}): ${subject.name}`, () => {
    baseContract(subject, 'network');
    commonNetworkTests(subject);
    if (options.vifs === 'tracked') trackedVifTests(subject);
    else ignoredVifTests(subject);
  });
}

import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import { NO_PERIODIC_WORK } from '../../src/conductor/config.ts';
import { isFerriteError } from '../../src/common/errors.ts';
import type { ErrorCode } from '../../src/common/errors.ts';
import { forEachDatabase } from '../support/databases.ts';
import { drive } from '../support/drive.ts';
import { startConductor } from '../support/conductor.ts';
import type { ConductorHarness } from '../support/conductor.ts';

const fails = (code: ErrorCode, pattern?: RegExp) => (error: unknown) =>
  isFerriteError(error, code) && (pattern === undefined || pattern.test(error.message));

forEachDatabase((db) => {
  let h: ConductorHarness;
  let clock: SimulatedClock;

  before(async () => {
    clock = new SimulatedClock();
    h = await startConductor(await db.open({ clock }), {}, { clock });
  });

  const c = (): ConductorHarness['conductor'] => h.conductor;

  async function managed(fields: Parameters<ConductorHarness['enroll']>[0] = {}) {
    const node = await h.enroll(fields);
    await h.act(c().changeProvisionState(node.uuid, 'manage'));
    return h.node(node.uuid);
  }

  it('takes a fake-hardware node through its whole life, recording every step', async () => {
    const node = await h.enroll({ name: 'rack1-u07' });
    assert.equal(node.provisionState, 'enroll');
    assert.equal(node.powerInterface, 'fake');
    assert.equal(node.networkInterface, 'flat');
    await h.act(c().changeProvisionState('rack1-u07', 'manage'));
    const managedNode = await h.node(node.uuid);
    assert.equal(managedNode.provisionState, 'manageable');
    assert.equal(managedNode.powerState, 'power off');
    await h.act(c().changeProvisionState(node.uuid, 'provide'));
    assert.equal((await h.node(node.uuid)).provisionState, 'available');
    await h.act(
      c().changeProvisionState(node.uuid, 'active', {
        configdrive: { meta_data: { hostname: 'web-1' } },
      }),
    );
    const deployed = await h.node(node.uuid);
    assert.equal(deployed.provisionState, 'active');
    assert.equal(deployed.targetProvisionState, null);
    assert.equal(deployed.conductorAffinity, 'conductor-1');
    assert.deepEqual(deployed.instanceInfo['configdrive'], { meta_data: { hostname: 'web-1' } });
    assert.equal(deployed.deployStep, null);
    assert.equal(deployed.driverInternalInfo['deploy_steps'], undefined);
    await h.act(c().changeProvisionState(node.uuid, 'deleted'));
    const undeployed = await h.node(node.uuid);
    assert.equal(undeployed.provisionState, 'available');
    assert.deepEqual(undeployed.instanceInfo, {});
    await h.act(c().changeProvisionState(node.uuid, 'manage'));
    await h.act(c().deleteNode(node.uuid));
    await assert.rejects(h.node(node.uuid), fails('NodeNotFound'));
    const seen = h.transitions.filter((t) => t.node === node.uuid).map((t) => t.to);
    assert.deepEqual(seen, [
      'verifying',
      'manageable',
      'cleaning',
      'available',
      'deploying',
      'active',
      'deleting',
      'cleaning',
      'available',
      'manageable',
    ]);
  });

  it('refuses what the state machine does not allow, saying what is allowed', async () => {
    const node = await h.enroll();
    await assert.rejects(
      c().changeProvisionState(node.uuid, 'active'),
      fails(
        'InvalidStateRequested',
        /"active" can not be performed on node "[^"]+" while it is in state "enroll"\. Allowed in this state: manage\./,
      ),
    );
    assert.equal((await h.node(node.uuid)).reservation, null);
  });

  it('runs automated cleaning only when enabled (conductor-wide or per node)', async () => {
    const off = await startConductor(
      h.store,
      { host: 'conductor-noclean', automatedClean: false },
      { clock },
    );
    const node = await off.enroll({ driver: 'scripted-hardware' });
    await off.act(off.conductor.changeProvisionState(node.uuid, 'manage'));
    await off.act(off.conductor.changeProvisionState(node.uuid, 'provide'));
    const provided = await h.node(node.uuid);
    assert.equal(provided.provisionState, 'available');
    assert.equal(provided.driverInternalInfo['scripted_ran'], undefined, 'no clean step ran');
    await off.stop();
    const perNode = await managed({ driver: 'scripted-hardware', automatedClean: false });
    await h.act(c().changeProvisionState(perNode.uuid, 'provide'));
    assert.equal((await h.node(perNode.uuid)).driverInternalInfo['scripted_ran'], undefined);
    const cleaned = await managed({ driver: 'scripted-hardware' });
    await h.act(c().changeProvisionState(cleaned.uuid, 'provide'));
    assert.deepEqual((await h.node(cleaned.uuid)).driverInternalInfo['scripted_ran'], [
      'deploy.erase_devices',
      'deploy.erase_metadata',
    ]);
  });

  it('validates manual clean steps before moving the node', async () => {
    const node = await managed({ driver: 'scripted-hardware' });
    await assert.rejects(
      c().changeProvisionState(node.uuid, 'clean'),
      fails('MissingParameterValue', /clean_steps is required/),
    );
    await assert.rejects(
      c().changeProvisionState(node.uuid, 'clean', {
        cleanSteps: [{ interface: 'deploy', step: 'shred' }],
      }),
      fails('InvalidParameterValue', /node does not support this clean step/),
    );
    await assert.rejects(
      c().changeProvisionState(node.uuid, 'clean', {
        cleanSteps: [{ interface: 'raid', step: 'create_configuration', args: { level: 5 } }],
      }),
      fails('InvalidParameterValue', /unexpected arguments: level/),
    );
    assert.equal((await h.node(node.uuid)).provisionState, 'manageable');
    await h.act(
      c().setTargetRaidConfig(node.uuid, {
        logical_disks: [{ raid_level: '1', size_gb: 100, is_root_volume: true }],
      }),
    );
    await h.act(
      c().changeProvisionState(node.uuid, 'clean', {
        cleanSteps: [
          {
            interface: 'raid',
            step: 'create_configuration',
            args: { create_nonroot_volumes: false },
          },
        ],
      }),
    );
    const built = await h.node(node.uuid);
    assert.equal(built.provisionState, 'manageable');
    assert.equal((built.raidConfig['logical_disks'] as unknown[]).length, 1);
    assert.equal(built.properties['local_gb'], 100);
  });

  it('changes power in the background with target_power_state in flight, and records failures', async () => {
    const node = await managed({ driver: 'scripted-hardware' });
    let finish!: () => void;
    const inFlight = new Promise<void>((resolve) => (finish = resolve));
    // The BMC answers only when the test says so: the change is seen in flight.
    h.power.bmc(node.uuid).hold = inFlight;
    await c().changePowerState(node.uuid, 'power on');
    const during = await h.node(node.uuid);
    assert.equal(during.targetPowerState, 'power on');
    finish();
    await inFlight;
    await h.settle();
    const on = await h.node(node.uuid);
    assert.equal(on.powerState, 'power on');
    assert.equal(on.targetPowerState, null);
    await h.act(c().changePowerState(node.uuid, 'rebooting'));
    assert.equal((await h.node(node.uuid)).powerState, 'power on');
    await h.act(c().changePowerState(node.uuid, 'soft power off'));
    assert.equal((await h.node(node.uuid)).powerState, 'power off');
    await assert.rejects(
      c().changePowerState(node.uuid, 'power on', 0),
      fails('InvalidParameterValue', /timeout/),
    );
    await assert.rejects(
      c().changePowerState(node.uuid, 'power on', 1.5),
      fails('InvalidParameterValue'),
    );

    const scripted = await managed({ driver: 'scripted-hardware' });
    await assert.rejects(
      c().changePowerState(scripted.uuid, 'soft rebooting'),
      fails('InvalidParameterValue', /not supported/),
    );
    h.power.bmc(scripted.uuid).failing = true;
    await h.act(c().changePowerState(scripted.uuid, 'power on'));
    const failed = await h.node(scripted.uuid);
    assert.equal(failed.targetPowerState, null);
    assert.match(
      failed.lastError ?? '',
      /Failed to change power state to 'power on'.*IPMI call failed/,
    );
    assert.equal(failed.reservation, null);
  });

  it('fails a fake power change whose delay exceeds the timeout, on the simulated clock', async () => {
    const slow = await startConductor(h.store, { host: 'conductor-slow' }, { clock });
    // startConductor's factory has no fake delays; a power interface with one comes from a fresh factory.
    const { createDriverFactory } = await import('../../src/drivers/builtin.ts');
    const { Conductor } = await import('../../src/conductor/conductor.ts');
    await slow.stop();
    const conductor = new Conductor({
      store: h.store,
      clock,
      factory: createDriverFactory({ clock, options: { fake: { power: 30 } } }),
      settings: {
        host: 'conductor-slow',
        ...NO_PERIODIC_WORK,
      },
    });
    const node = await conductor.createNode({ driver: 'fake-hardware' });
    await drive(clock, conductor.changeProvisionState(node.uuid, 'manage'));
    await drive(clock, conductor.idle());
    const before = clock.now();
    await drive(clock, conductor.changePowerState(node.uuid, 'power on', 10));
    await drive(clock, conductor.idle());
    assert.equal(clock.now() - before, 10_000);
    const failed = await h.node(node.uuid);
    assert.equal(failed.powerState, 'power off');
    assert.match(failed.lastError ?? '', /Failed to set node power state to power on/);
    await drive(clock, conductor.changePowerState(node.uuid, 'power on', 60));
    await drive(clock, conductor.idle());
    assert.equal((await h.node(node.uuid)).powerState, 'power on');
  });

  it('reads and sets boot devices, sensors, NMI and boot mode', async () => {
    const node = await managed();
    await h.act(c().setBootDevice(node.uuid, 'cdrom', true));
    assert.deepEqual(await h.act(c().getBootDevice(node.uuid)), {
      bootDevice: 'cdrom',
      persistent: true,
    });
    assert.deepEqual(await h.act(c().getSupportedBootDevices(node.uuid)), [
      'pxe',
      'disk',
      'cdrom',
      'bios',
      'safe',
    ]);
    await assert.rejects(
      c().setBootDevice(node.uuid, 'floppy'),
      fails('InvalidParameterValue', /supported are pxe, disk, cdrom, bios, safe/),
    );
    const sensors = await h.act(c().getSensorsData(node.uuid));
    assert.match(
      sensors['Temperature']?.['CPU1 Temp (0x1)']?.['Sensor Reading'] ?? '',
      /degrees C/,
    );
    await h.act(c().injectNmi(node.uuid));
    assert.equal((await h.node(node.uuid)).driverInternalInfo['fake_nmi_count'], 1);
    await h.act(c().setBootMode(node.uuid, 'bios'));
    await assert.rejects(c().setBootMode(node.uuid, 'coreboot'), fails('InvalidParameterValue'));
    const manual = await managed({ driver: 'manual-management' });
    await assert.rejects(
      c().injectNmi(manual.uuid),
      fails('UnsupportedDriverExtension', /inject_nmi/),
    );
  });

  it('starts and stops the console', async () => {
    const node = await managed();
    await assert.rejects(c().getConsole(node.uuid), fails('NodeConsoleNotEnabled'));
    await h.act(c().setConsoleMode(node.uuid, true));
    assert.equal((await h.node(node.uuid)).consoleEnabled, true);
    assert.deepEqual(await h.act(c().getConsole(node.uuid)), {
      type: 'fake',
      url: `fake://console/${node.uuid}`,
    });
    await h.act(c().setConsoleMode(node.uuid, false));
    assert.equal((await h.node(node.uuid)).consoleEnabled, false);
    const manual = await managed({ driver: 'manual-management' });
    await assert.rejects(
      c().setConsoleMode(manual.uuid, true),
      fails('UnsupportedDriverExtension', /console/),
    );
  });

  it('checks and stores the target RAID configuration', async () => {
    const node = await managed();
    await assert.rejects(
      c().setTargetRaidConfig(node.uuid, { logical_disks: [{ raid_level: '7', size_gb: 1 }] }),
      fails('InvalidParameterValue', /raid_level must be one of/),
    );
    const config = { logical_disks: [{ raid_level: '5', size_gb: 'MAX' }] };
    await h.act(c().setTargetRaidConfig(node.uuid, config));
    assert.deepEqual((await h.node(node.uuid)).targetRaidConfig, config);
    await h.act(c().setTargetRaidConfig(node.uuid, {}));
    assert.deepEqual((await h.node(node.uuid)).targetRaidConfig, {});
    assert.ok('raid_level' in c().raidLogicalDiskProperties('fake-hardware'));
    const manual = await managed({ driver: 'manual-management' });
    await assert.rejects(
      c().setTargetRaidConfig(manual.uuid, config),
      fails('UnsupportedDriverExtension', /raid/),
    );
  });

  it('attaches, lists and detaches VIFs on the node’s ports', async () => {
    const node = await managed();
    const port = await h.store.ports.create({ nodeUuid: node.uuid, address: '52:54:00:aa:bb:01' });
    await h.act(c().vifAttach(node.uuid, { id: 'vif-1' }));
    assert.deepEqual(await h.act(c().vifList(node.uuid)), [{ id: 'vif-1' }]);
    assert.equal((await h.store.ports.get(port.uuid)).internalInfo['tenant_vif_port_id'], 'vif-1');
    await assert.rejects(c().vifAttach(node.uuid, { id: 'vif-1' }), fails('VifAlreadyAttached'));
    await assert.rejects(c().vifAttach(node.uuid, { id: 'vif-2' }), fails('NoFreePhysicalPorts'));
    await h.act(c().vifDetach(node.uuid, 'vif-1'));
    assert.deepEqual(await h.act(c().vifList(node.uuid)), []);
    await assert.rejects(c().vifDetach(node.uuid, 'vif-1'), fails('VifNotAttached'));
  });

  it('calls vendor passthru methods, synchronously or in the background, under the declared lock', async () => {
    const node = await managed();
    assert.deepEqual(Object.keys(await h.act(c().nodeVendorMethods(node.uuid))).sort(), [
      'first_method',
      'fourth_method_shared_lock',
      'second_method',
      'third_method_sync',
    ]);
    assert.deepEqual(
      await h.act(c().nodeVendorPassthru(node.uuid, 'third_method_sync', 'POST', { bar: 'meow' })),
      {
        result: true,
        async: false,
        attach: false,
      },
    );
    const held = await c().tasks.acquire(node.uuid, { purpose: 'holding' });
    const shared = await c().nodeVendorPassthru(node.uuid, 'fourth_method_shared_lock', 'POST', {
      bar: 'woof',
    });
    assert.deepEqual(shared, { result: undefined, async: true, attach: false });
    await assert.rejects(
      drive(clock, c().nodeVendorPassthru(node.uuid, 'second_method', 'POST', { bar: 'kazoo' })),
      fails('NodeLocked'),
    );
    await held.release();
    await assert.rejects(
      c().nodeVendorPassthru(node.uuid, 'first_method', 'POST', {}),
      fails('MissingParameterValue', /bar/),
    );
    await assert.rejects(
      c().nodeVendorPassthru(node.uuid, 'no_such', 'POST', {}),
      fails('UnsupportedDriverExtension'),
    );
    await assert.rejects(
      c().nodeVendorPassthru(node.uuid, 'first_method', 'GET', { bar: 'x' }),
      fails('InvalidParameterValue', /does not support HTTP GET/),
    );
    assert.deepEqual(await c().driverVendorPassthru('fake-hardware', 'echo', 'GET', { a: 1 }), {
      result: { a: 1 },
      async: false,
      attach: false,
    });
    assert.deepEqual(Object.keys(c().driverVendorMethods('fake-hardware')).sort(), [
      'echo',
      'sleep',
    ]);
    await assert.rejects(
      c().driverVendorPassthru('fake-hardware', 'sleep', 'POST', { seconds: -1 }),
      fails('InvalidParameterValue'),
    );
    await h.settle();
  });

  it('validates every interface and reports each reason', async () => {
    const node = await managed({ driver: 'manual-management' });
    const report = await h.act(c().validateNode(node.uuid));
    assert.deepEqual(report.power, { result: true });
    assert.equal(report.console.result, false);
    assert.match(report.console.reason ?? '', /does not support console/);
    assert.equal(Object.keys(report).length, 11);
  });

  it('enters and leaves maintenance, clearing the fault on the way out', async () => {
    const node = await managed();
    await h.act(c().setMaintenance(node.uuid, true, 'replacing a DIMM'));
    const inMaintenance = await h.node(node.uuid);
    assert.equal(inMaintenance.maintenance, true);
    assert.equal(inMaintenance.maintenanceReason, 'replacing a DIMM');
    await assert.rejects(
      c().changeProvisionState(node.uuid, 'provide'),
      fails('NodeInMaintenance'),
    );
    await h.store.nodes.update(node.uuid, { fault: 'power failure' });
    await h.act(c().setMaintenance(node.uuid, false));
    const out = await h.node(node.uuid);
    assert.deepEqual([out.maintenance, out.maintenanceReason, out.fault], [false, null, null]);
  });

  it('deletes only nodes in a deletable state, without an instance, unprotected', async () => {
    const active = await managed();
    await h.act(c().changeProvisionState(active.uuid, 'provide'));
    await h.act(c().changeProvisionState(active.uuid, 'active'));
    await assert.rejects(
      c().deleteNode(active.uuid),
      fails('InvalidState', /while it is in provision state "active"/),
    );
    await h.act(c().setMaintenance(active.uuid, true));
    await h.act(
      c().updateNode(active.uuid, { instanceUuid: '3d1b8a6c-3f00-4b8a-9d55-2f3a1c4e5b6a' }),
    );
    await assert.rejects(c().deleteNode(active.uuid), fails('NodeAssociated'));
    await h.act(c().updateNode(active.uuid, { instanceUuid: null, protected: true }));
    await assert.rejects(c().deleteNode(active.uuid), fails('NodeProtected'));
    await assert.rejects(c().changeProvisionState(active.uuid, 'deleted'), fails('NodeProtected'));
    await h.act(c().updateNode(active.uuid, { protected: false }));
    await h.act(c().deleteNode(active.uuid));
    await assert.rejects(h.node(active.uuid), fails('NodeNotFound'));
  });

  it('checks a change of hardware type or interface', async () => {
    const node = await h.enroll();
    await assert.rejects(
      c().updateNode(node.uuid, { raidInterface: 'no-such', extra: { half: 'done' } }),
      fails('InterfaceNotFoundInEntrypoint'),
    );
    const untouched = await h.node(node.uuid);
    assert.equal(untouched.raidInterface, 'fake', 'a refused change leaves nothing behind');
    assert.deepEqual(untouched.extra, {});
    const moved = await h.act(c().updateNode(node.uuid, { driver: 'manual-management' }));
    assert.equal(moved.managementInterface, 'fake', 'an interface the new type supports is kept');
    assert.equal(moved.raidInterface, 'no-raid', 'one it does not support is reset');
    await h.act(c().updateNode(node.uuid, { driver: 'fake-hardware' }));
    const reset = await h.act(
      c().updateNode(node.uuid, { driver: 'manual-management' }, { resetInterfaces: true }),
    );
    assert.equal(reset.managementInterface, 'noop', 'reset_interfaces takes the defaults');
    await assert.rejects(
      c().updateNode(node.uuid, { raidInterface: 'fake' }),
      fails('IncompatibleInterface', /Supported: no-raid/),
    );
    await h.act(c().updateNode(node.uuid, { driver: 'fake-hardware', raidInterface: 'fake' }));
    await assert.rejects(
      c().updateNode(node.uuid, { driver: 'manual-management' }, { resetInterfaces: false }),
      fails('IncompatibleInterface'),
    );
    await assert.rejects(h.conductor.createNode({ driver: 'idrac' }), fails('DriverNotFound'));
  });

  it('answers "busy" past the concurrent deploy and clean caps', async () => {
    const capped = await startConductor(
      h.store,
      { host: 'conductor-capped', maxConcurrentDeploy: 1, maxConcurrentClean: 1 },
      { clock },
    );
    const a = await capped.enroll({
      driver: 'scripted-hardware',
      driverInfo: { scripted_async: ['deploy.deploy', 'deploy.erase_devices'] },
    });
    const b = await capped.enroll({ driver: 'scripted-hardware' });
    await capped.act(capped.conductor.changeProvisionState(a.uuid, 'manage'));
    await capped.act(capped.conductor.changeProvisionState(b.uuid, 'manage'));
    await capped.act(capped.conductor.changeProvisionState(a.uuid, 'provide'));
    assert.equal((await h.node(a.uuid)).provisionState, 'clean wait');
    const cleaning = await h.store.nodes.count({
      provisionState: ['cleaning', 'clean wait', 'deleting'],
    });
    assert.ok(cleaning >= 1, 'the cap of one clean is reached');
    await assert.rejects(
      capped.conductor.changeProvisionState(b.uuid, 'provide'),
      fails('ConcurrentActionLimit', /concurrent action limit for cleaning/),
    );
    assert.equal(
      (await h.node(b.uuid)).provisionState,
      'manageable',
      'a refused provide changes nothing',
    );
    await capped.act(capped.conductor.continueCleaning(a.uuid));
    await capped.act(capped.conductor.changeProvisionState(a.uuid, 'active'));
    assert.equal((await h.node(a.uuid)).provisionState, 'wait call-back');
    await capped.act(capped.conductor.changeProvisionState(b.uuid, 'provide'));
    await assert.rejects(
      capped.conductor.changeProvisionState(b.uuid, 'active'),
      (e: unknown) => isFerriteError(e, 'ConcurrentActionLimit') && e.status === 503,
    );
    await capped.act(capped.conductor.changeProvisionState(a.uuid, 'deleted'));
    await capped.stop();
  });

  it('fails what a restarted conductor left behind, and leaves other conductors’ nodes alone', async () => {
    const other = await startConductor(h.store, { host: 'conductor-other' }, { clock });
    const mine = await h.enroll({
      driver: 'scripted-hardware',
      driverInfo: { scripted_async: ['deploy.deploy', 'deploy.erase_devices'] },
    });
    const theirs = await other.enroll({
      driver: 'scripted-hardware',
      driverInfo: { scripted_async: ['deploy.deploy'] },
    });
    for (const [who, n] of [
      [h, mine],
      [other, theirs],
    ] as const) {
      await who.act(who.conductor.changeProvisionState(n.uuid, 'manage'));
      await who.act(who.conductor.changeProvisionState(n.uuid, 'provide'));
      if ((await h.node(n.uuid)).provisionState === 'clean wait')
        await who.act(who.conductor.continueCleaning(n.uuid));
      await who.act(who.conductor.changeProvisionState(n.uuid, 'active'));
      assert.equal((await h.node(n.uuid)).provisionState, 'wait call-back');
    }
    const restarted = await startConductor(h.store, { host: 'conductor-1' }, { clock });
    const failed = await restarted.node(mine.uuid);
    assert.equal(failed.provisionState, 'deploy failed');
    assert.equal(
      failed.lastError,
      "The wait call-back state can't be resumed by conductor conductor-1. Moving to fail state.",
    );
    assert.equal((await h.node(theirs.uuid)).provisionState, 'wait call-back');
    await restarted.stop();
    await other.stop();
  });

  it('takes over the locks of a conductor that stopped heartbeating', async () => {
    const dead = await startConductor(h.store, { host: 'conductor-dead' }, { clock });
    const node = await dead.enroll();
    await dead.act(dead.conductor.changeProvisionState(node.uuid, 'manage'));
    // The dead conductor was in the middle of a power change when it went silent.
    await h.store.nodes.update(node.uuid, { targetPowerState: 'power on' });
    assert.equal(await h.store.nodes.reserve(node.uuid, 'conductor-dead'), true);
    await clock.advance(2 * 60_000);
    await h.store.conductors.touch('conductor-1');
    const taken = await h.act(c().takeOverFromDeadConductors());
    assert.ok(taken.includes(node.uuid));
    const after = await h.node(node.uuid);
    assert.equal(after.reservation, null);
    assert.equal(after.targetPowerState, null);
    assert.equal(after.lastError, 'Pending power operation was aborted due to conductor take over');
  });
});

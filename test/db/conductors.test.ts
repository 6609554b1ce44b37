import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { ConductorInterface } from '../../src/common/records.ts';
import type { ConductorRegistration } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0, 1);

const POWER_FAKE: ConductorInterface = {
  hardwareType: 'fake-hardware',
  interfaceType: 'power',
  interfaceName: 'fake',
  isDefault: true,
};
const DEPLOY_FAKE: ConductorInterface = {
  hardwareType: 'fake-hardware',
  interfaceType: 'deploy',
  interfaceName: 'fake',
  isDefault: true,
};
const POWER_MANUAL: ConductorInterface = {
  hardwareType: 'manual-management',
  interfaceType: 'power',
  interfaceName: 'fake',
  isDefault: false,
};

function registration(hostname: string, overrides: Partial<ConductorRegistration> = {}) {
  return {
    hostname,
    conductorGroup: '',
    drivers: ['fake-hardware'],
    interfaces: [POWER_FAKE, DEPLOY_FAKE],
    ...overrides,
  };
}

forEachDatabase((db) => {
  it('registers a conductor online with its drivers and interfaces', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const conductor = await store.conductors.register(
      registration('c1', { conductorGroup: 'rack1' }),
    );
    const expected = {
      hostname: 'c1',
      conductorGroup: 'rack1',
      online: true,
      drivers: ['fake-hardware'],
      interfaces: [DEPLOY_FAKE, POWER_FAKE],
      createdAt: new Date(T0),
      updatedAt: new Date(T0),
    };
    assert.deepEqual(conductor, expected);
    assert.deepEqual(await store.conductors.get('c1'), expected);
    await rejectsWith(store.conductors.get('c2'), 'ConductorNotFound', 'c2');
  });

  it('registering again replaces drivers and interfaces, keeps created_at, and comes back online', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    await store.conductors.register(registration('c1'));
    await store.conductors.unregister('c1');
    await clock.advance(60_000);
    const again = await store.conductors.register(
      registration('c1', {
        drivers: ['fake-hardware', 'manual-management'],
        interfaces: [POWER_MANUAL, POWER_FAKE, POWER_FAKE],
      }),
    );
    assert.deepEqual(again, {
      hostname: 'c1',
      conductorGroup: '',
      online: true,
      drivers: ['fake-hardware', 'manual-management'],
      interfaces: [POWER_FAKE, POWER_MANUAL],
      createdAt: new Date(T0),
      updatedAt: new Date(T0 + 60_000),
    });
    assert.deepEqual(await store.conductors.get('c1'), again);
  });

  it('touch records a heartbeat; alive lists online conductors heard from since a time', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    await store.conductors.register(registration('c1'));
    await store.conductors.register(registration('c2'));
    await store.conductors.register(registration('c3'));
    await clock.advance(30_000);
    await store.conductors.touch('c2');
    await store.conductors.touch('c3');
    await store.conductors.unregister('c3');

    assert.deepEqual(await store.conductors.alive(new Date(T0)), ['c1', 'c2']);
    assert.deepEqual(await store.conductors.alive(new Date(T0 + 30_000)), ['c2']);
    assert.deepEqual(await store.conductors.alive(new Date(T0 + 30_001)), []);
    assert.deepEqual((await store.conductors.get('c2')).updatedAt, new Date(T0 + 30_000));
    assert.equal((await store.conductors.get('c3')).online, false);

    // A heartbeat from an unregistered-but-running conductor brings it back.
    await store.conductors.touch('c3');
    assert.deepEqual(await store.conductors.alive(new Date(T0 + 30_000)), ['c2', 'c3']);
    await rejectsWith(store.conductors.touch('c9'), 'ConductorNotFound', 'c9');
    await rejectsWith(store.conductors.unregister('c9'), 'ConductorNotFound', 'c9');
  });

  it('lists every conductor with its interfaces', async () => {
    const store = await db.open();
    await store.conductors.register(registration('b', { interfaces: [POWER_MANUAL] }));
    await store.conductors.register(registration('a', { interfaces: [] }));
    const listed = await store.conductors.list();
    assert.deepEqual(
      listed.map((c) => [c.hostname, c.interfaces]),
      [
        ['a', []],
        ['b', [POWER_MANUAL]],
      ],
    );
  });
});

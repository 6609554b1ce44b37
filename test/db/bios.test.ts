import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { BiosSetting } from '../../src/common/records.ts';
import type { NewBiosSetting } from '../../src/db/store.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 6, 7, 8, 9, 10, 456);

/** A setting reported with every attribute. */
const BOOT_MODE: NewBiosSetting = {
  name: 'BootMode',
  value: 'Uefi',
  attributeType: 'Enumeration',
  allowableValues: ['Bios', 'Uefi'],
  lowerBound: null,
  upperBound: null,
  minLength: null,
  maxLength: null,
  readOnly: false,
  resetRequired: true,
  unique: null,
};
const CORES: NewBiosSetting = {
  name: 'ProcCores',
  value: '8',
  attributeType: 'Integer',
  lowerBound: 1,
  upperBound: 64,
  readOnly: true,
  resetRequired: false,
  unique: false,
};
const ASSET_TAG: NewBiosSetting = {
  name: 'AssetTag',
  value: 'rack-1',
  attributeType: 'String',
  minLength: 0,
  maxLength: 16,
  unique: true,
};
/** Reported with a name and value only. */
const LOGICAL: NewBiosSetting = { name: 'LogicalProc', value: null };

/** What the store returns for `setting` of `node`: unreported attributes are null. */
function stored(
  node: string,
  setting: NewBiosSetting,
  createdAt: number,
  updatedAt: number | null,
): BiosSetting {
  return {
    nodeUuid: node,
    name: setting.name,
    value: setting.value,
    attributeType: setting.attributeType ?? null,
    allowableValues: setting.allowableValues ?? null,
    lowerBound: setting.lowerBound ?? null,
    upperBound: setting.upperBound ?? null,
    minLength: setting.minLength ?? null,
    maxLength: setting.maxLength ?? null,
    readOnly: setting.readOnly ?? null,
    resetRequired: setting.resetRequired ?? null,
    unique: setting.unique ?? null,
    createdAt: new Date(createdAt),
    updatedAt: updatedAt === null ? null : new Date(updatedAt),
  };
}

forEachDatabase((db) => {
  it('stores reported settings with every attribute, lists them by name, gets one', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    const expected = [ASSET_TAG, BOOT_MODE, LOGICAL, CORES].map((s) => stored(node, s, T0, null));
    assert.deepEqual(
      await store.bios.replace(node, [BOOT_MODE, CORES, ASSET_TAG, LOGICAL]),
      expected,
    );
    assert.deepEqual(await store.bios.list(node), expected);
    assert.deepEqual(await store.bios.get(node, 'BootMode'), expected[1]);
    await rejectsWith(store.bios.get(node, 'NoSuch'), 'BIOSSettingNotFound', 'NoSuch');
  });

  it('syncs: creates new settings, updates changed ones, deletes gone ones, leaves the rest', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    await store.bios.replace(node, [BOOT_MODE, CORES, ASSET_TAG]);
    await clock.advance(100);
    const changedCores = { ...CORES, value: '16' };
    // An attribute change alone is a change too.
    const changedBoot = { ...BOOT_MODE, allowableValues: ['Uefi'] };
    const result = await store.bios.replace(node, [changedCores, LOGICAL, ASSET_TAG, changedBoot]);
    const expected = [
      stored(node, ASSET_TAG, T0, null),
      stored(node, changedBoot, T0, T0 + 100),
      stored(node, LOGICAL, T0 + 100, null),
      stored(node, changedCores, T0, T0 + 100),
    ];
    assert.deepEqual(result, expected);
    assert.deepEqual(await store.bios.list(node), expected);

    await clock.advance(100);
    const withoutTag = await store.bios.replace(node, [changedCores, LOGICAL, changedBoot]);
    assert.deepEqual(withoutTag, expected.slice(1));
    await rejectsWith(store.bios.get(node, 'AssetTag'), 'BIOSSettingNotFound');
    // null and false stay apart, in both directions.
    const flipped = await store.bios.replace(node, [{ ...LOGICAL, readOnly: false }]);
    assert.equal(flipped[0]?.readOnly, false);
    assert.deepEqual(flipped[0].updatedAt, new Date(T0 + 200));
    assert.equal((await store.bios.replace(node, [LOGICAL]))[0]?.readOnly, null);

    assert.deepEqual(await store.bios.replace(node, []), []);
    assert.deepEqual(await store.bios.list(node), []);
  });

  it("keeps each node's settings apart", async () => {
    const store = await db.open({ clock: new SimulatedClock(T0) });
    const a = (await store.nodes.create({ driver: 'd' })).uuid;
    const b = (await store.nodes.create({ driver: 'd' })).uuid;
    await store.bios.replace(a, [BOOT_MODE, CORES]);
    await store.bios.replace(b, [{ ...BOOT_MODE, value: 'Bios' }]);
    assert.equal((await store.bios.get(a, 'BootMode')).value, 'Uefi');
    assert.equal((await store.bios.get(b, 'BootMode')).value, 'Bios');
    await store.bios.replace(b, []);
    assert.deepEqual(
      (await store.bios.list(a)).map((s) => s.name),
      ['BootMode', 'ProcCores'],
    );
  });

  it('refuses a name given twice, changing nothing (InvalidParameterValue)', async () => {
    const store = await db.open({ clock: new SimulatedClock(T0) });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    const before = await store.bios.replace(node, [BOOT_MODE]);
    await rejectsWith(
      store.bios.replace(node, [CORES, { ...CORES, value: '2' }]),
      'InvalidParameterValue',
      'ProcCores',
    );
    assert.deepEqual(await store.bios.list(node), before);
  });

  it('reports a missing node as NodeNotFound, and deletes the settings with the node', async () => {
    const store = await db.open();
    const missing = randomUUID();
    await rejectsWith(store.bios.replace(missing, [BOOT_MODE]), 'NodeNotFound', missing);
    await rejectsWith(store.bios.list(missing), 'NodeNotFound', missing);
    await rejectsWith(store.bios.get(missing, 'BootMode'), 'NodeNotFound', missing);
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    assert.deepEqual(await store.bios.list(node), []);
    await store.bios.replace(node, [BOOT_MODE, CORES]);
    await store.nodes.delete(node);
    await rejectsWith(store.bios.list(node), 'NodeNotFound');
    // Re-enrolled under the same uuid: nothing of the old settings is left.
    await store.nodes.create({ driver: 'd', uuid: node });
    assert.deepEqual(await store.bios.list(node), []);
  });

  it('replaces hundreds of settings at once', async () => {
    const store = await db.open({ clock: new SimulatedClock(T0) });
    const node = (await store.nodes.create({ driver: 'd' })).uuid;
    const many = Array.from({ length: 450 }, (_, i) => ({
      ...CORES,
      name: `Setting${String(i).padStart(3, '0')}`,
    }));
    const result = await store.bios.replace(node, many);
    assert.equal(result.length, 450);
    assert.deepEqual(await store.bios.list(node), result);
    assert.equal((await store.bios.replace(node, many.slice(100))).length, 350);
  });
});

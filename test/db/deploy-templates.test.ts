import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { SimulatedClock } from '../../src/common/clock.ts';
import type { DeployTemplate, DeployTemplateStep } from '../../src/common/records.ts';
import { forEachDatabase } from '../support/databases.ts';
import { rejectsWith } from './assertions.ts';

const T0 = Date.UTC(2026, 4, 5, 6, 7, 8, 912);

const RAID: DeployTemplateStep = {
  interface: 'raid',
  step: 'apply_configuration',
  args: { raid_config: { logical_disks: [{ size_gb: 'MAX', raid_level: '1' }] } },
  priority: 150,
};
const BIOS: DeployTemplateStep = {
  interface: 'bios',
  step: 'apply_configuration',
  args: { settings: [{ name: 'LogicalProc', value: 'Enabled' }] },
  priority: 140,
};
const ERASE: DeployTemplateStep = {
  interface: 'deploy',
  step: 'erase_devices',
  args: {},
  priority: 0,
};

forEachDatabase((db) => {
  it('creates a template with its steps in order, and gets it by uuid or name', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const plain = await store.deployTemplates.create({ name: 'CUSTOM_PLAIN' });
    assert.deepEqual(plain, {
      uuid: plain.uuid,
      name: 'CUSTOM_PLAIN',
      extra: {},
      steps: [],
      createdAt: new Date(T0),
      updatedAt: null,
    });
    // Deliberately not in priority order: the given order is kept.
    const steps = [ERASE, RAID, BIOS];
    const rich = await store.deployTemplates.create({
      uuid: randomUUID(),
      name: 'CUSTOM_RAID1',
      extra: { owner: 'ops', tags: ['a'] },
      steps: structuredClone(steps),
    });
    const expected: DeployTemplate = {
      uuid: rich.uuid,
      name: 'CUSTOM_RAID1',
      extra: { owner: 'ops', tags: ['a'] },
      steps,
      createdAt: new Date(T0),
      updatedAt: null,
    };
    assert.deepEqual(rich, expected);
    assert.deepEqual(await store.deployTemplates.get(rich.uuid), expected);
    assert.deepEqual(await store.deployTemplates.get('CUSTOM_RAID1'), expected);
    assert.deepEqual(await store.deployTemplates.get(plain.uuid), plain);

    const missing = randomUUID();
    await rejectsWith(store.deployTemplates.get(missing), 'DeployTemplateNotFound', missing);
    await rejectsWith(
      store.deployTemplates.get('CUSTOM_NONE'),
      'DeployTemplateNotFound',
      'CUSTOM_NONE',
    );
  });

  it('updates name and extra, replaces the steps wholesale, and leaves them when not given', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const template = await store.deployTemplates.create({ name: 'CUSTOM_A', steps: [RAID, BIOS] });
    await clock.advance(5);
    const renamed = await store.deployTemplates.update(template.uuid, {
      name: 'CUSTOM_B',
      extra: { x: 1 },
    });
    assert.deepEqual(renamed, {
      ...template,
      name: 'CUSTOM_B',
      extra: { x: 1 },
      updatedAt: new Date(T0 + 5),
    });
    await clock.advance(5);
    const reordered = await store.deployTemplates.update(template.uuid, {
      steps: [BIOS, ERASE, RAID],
    });
    assert.deepEqual(reordered.steps, [BIOS, ERASE, RAID]);
    assert.deepEqual(reordered.updatedAt, new Date(T0 + 10));
    assert.deepEqual(await store.deployTemplates.get(template.uuid), reordered);
    const fewer = await store.deployTemplates.update(template.uuid, { steps: [ERASE] });
    assert.deepEqual((await store.deployTemplates.get('CUSTOM_B')).steps, [ERASE]);
    assert.deepEqual(fewer.steps, [ERASE]);
    const none = await store.deployTemplates.update(template.uuid, { steps: [] });
    assert.deepEqual(none.steps, []);
    assert.deepEqual((await store.deployTemplates.get(template.uuid)).steps, []);

    const missing = randomUUID();
    await rejectsWith(
      store.deployTemplates.update(missing, { steps: [RAID] }),
      'DeployTemplateNotFound',
      missing,
    );
  });

  it('refuses a duplicate uuid (DeployTemplateAlreadyExists) or name (DeployTemplateDuplicateName)', async () => {
    const store = await db.open();
    const first = await store.deployTemplates.create({ name: 'CUSTOM_TAKEN', steps: [RAID] });
    await rejectsWith(
      store.deployTemplates.create({ uuid: first.uuid, name: 'CUSTOM_OTHER' }),
      'DeployTemplateAlreadyExists',
      first.uuid,
    );
    await rejectsWith(
      store.deployTemplates.create({ name: 'CUSTOM_TAKEN', steps: [BIOS] }),
      'DeployTemplateDuplicateName',
      'CUSTOM_TAKEN',
    );
    const other = await store.deployTemplates.create({ name: 'CUSTOM_FREE', steps: [ERASE] });
    await rejectsWith(
      store.deployTemplates.update(other.uuid, { name: 'CUSTOM_TAKEN', steps: [RAID, BIOS] }),
      'DeployTemplateDuplicateName',
      'CUSTOM_TAKEN',
    );
    // The failed update changed nothing, steps included.
    assert.deepEqual(await store.deployTemplates.get(other.uuid), other);
    assert.deepEqual(await store.deployTemplates.get(first.uuid), first);
  });

  it('lists templates with their steps, in pages, by any sort key', async () => {
    const clock = new SimulatedClock(T0);
    const store = await db.open({ clock });
    const all: DeployTemplate[] = [];
    for (let i = 0; i < 5; i++) {
      all.push(
        await store.deployTemplates.create({
          name: `CUSTOM_T${String(4 - i)}`,
          steps: i % 2 === 0 ? [RAID, { ...ERASE, priority: i }] : [],
        }),
      );
      await clock.advance(1);
    }
    assert.deepEqual(await store.deployTemplates.list(), all);
    for (const [sortKey, expected] of [
      ['createdAt', all],
      ['name', [...all].reverse()],
    ] as const) {
      const seen: DeployTemplate[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await store.deployTemplates.list({ limit: 2, marker, sortKey });
        seen.push(...page);
        if (page.length < 2) break;
        marker = page.at(-1)?.uuid;
      }
      assert.deepEqual(seen, expected, sortKey);
    }
    assert.deepEqual(await store.deployTemplates.list({ sortDir: 'desc', limit: 1 }), [all[4]]);
    await rejectsWith(
      store.deployTemplates.list({ marker: randomUUID(), sortKey: 'name' }),
      'DeployTemplateNotFound',
    );
  });

  it('deletes a template with its steps; DeployTemplateNotFound afterwards', async () => {
    const store = await db.open();
    const template = await store.deployTemplates.create({ name: 'CUSTOM_X', steps: [RAID, BIOS] });
    await store.deployTemplates.delete(template.uuid);
    await rejectsWith(store.deployTemplates.get(template.uuid), 'DeployTemplateNotFound');
    await rejectsWith(store.deployTemplates.delete(template.uuid), 'DeployTemplateNotFound');
    // Same uuid and name again: nothing of the old one, steps included, is left over.
    const again = await store.deployTemplates.create({
      uuid: template.uuid,
      name: 'CUSTOM_X',
      steps: [ERASE],
    });
    assert.deepEqual((await store.deployTemplates.get(again.uuid)).steps, [ERASE]);
  });

  it('finds the templates named like a set of traits, by name, skipping unknown names', async () => {
    const store = await db.open();
    const raid = await store.deployTemplates.create({ name: 'CUSTOM_RAID1', steps: [RAID] });
    const bios = await store.deployTemplates.create({ name: 'CUSTOM_BIOS', steps: [BIOS] });
    await store.deployTemplates.create({ name: 'CUSTOM_UNUSED', steps: [ERASE] });
    assert.deepEqual(
      await store.deployTemplates.findByNames(['CUSTOM_RAID1', 'CUSTOM_GPU', 'CUSTOM_BIOS']),
      [bios, raid],
    );
    assert.deepEqual(await store.deployTemplates.findByNames(['CUSTOM_GPU']), []);
    assert.deepEqual(await store.deployTemplates.findByNames([]), []);
  });
});

import type { Selectable } from 'kysely';
import { FerriteError } from '../../common/errors.ts';
import type { BiosSetting } from '../../common/records.ts';
import { exists, forUpdate, guard, inTransaction, now } from '../context.ts';
import type { StoreContext } from '../context.ts';
import {
  biosRow,
  biosSettingFromRow,
  biosValueColumns,
  sameBiosValues,
} from '../rows/bios-setting-row.ts';
import type { BiosSettingsTable } from '../schema.ts';
import type { BiosRepository, NewBiosSetting } from '../store.ts';

/** Rows per INSERT: well under either database's limit on bound parameters. */
const INSERT_BATCH = 200;

type BiosRow = Selectable<BiosSettingsTable>;

/** By name, in code point order: the same on both databases, whatever PostgreSQL's collation. */
function byName(a: BiosRow, b: BiosRow): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class KyselyBiosRepository implements BiosRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  async replace(nodeUuid: string, settings: readonly NewBiosSetting[]): Promise<BiosSetting[]> {
    const seen = new Set<string>();
    for (const { name } of settings) {
      if (seen.has(name)) {
        throw new FerriteError('InvalidParameterValue', {
          err: `BIOS setting ${name} is given more than once for node ${nodeUuid}.`,
        });
      }
      seen.add(name);
    }
    const ctx = this.#ctx;
    const rows = await guard(ctx, () =>
      inTransaction(ctx, async (tx) => {
        // The existence check, and on PostgreSQL the lock that makes two
        // replacements of one node's settings run one after the other.
        const node = await forUpdate(
          tx,
          tx.db.selectFrom('nodes').select('uuid').where('uuid', '=', nodeUuid),
        ).executeTakeFirst();
        if (node === undefined) throw new FerriteError('NodeNotFound', { node: nodeUuid });
        return this.#sync(tx, nodeUuid, settings);
      }),
    );
    return rows.sort(byName).map(biosSettingFromRow);
  }

  /** Writes only the difference between the stored settings and `settings`; returns the new rows. */
  async #sync(
    tx: StoreContext,
    nodeUuid: string,
    settings: readonly NewBiosSetting[],
  ): Promise<BiosRow[]> {
    const at = now(tx);
    const stored = new Map<string, BiosRow>();
    const current = await tx.db
      .selectFrom('bios_settings')
      .selectAll()
      .where('node_uuid', '=', nodeUuid)
      .execute();
    for (const row of current) stored.set(row.name, row);

    const result: BiosRow[] = [];
    const created: BiosRow[] = [];
    for (const setting of settings) {
      const values = biosValueColumns(setting);
      const old = stored.get(setting.name);
      stored.delete(setting.name);
      if (old === undefined) {
        const row = biosRow(nodeUuid, setting.name, values, at, null);
        created.push(row);
        result.push(row);
      } else if (sameBiosValues(old, values)) {
        result.push(old);
      } else {
        await tx.db
          .updateTable('bios_settings')
          .set({ ...values, updated_at: at })
          .where('node_uuid', '=', nodeUuid)
          .where('name', '=', setting.name)
          .execute();
        result.push(biosRow(nodeUuid, setting.name, values, old.created_at, at));
      }
    }
    // What is left was not reported again: gone from the hardware.
    if (stored.size > 0) {
      await tx.db
        .deleteFrom('bios_settings')
        .where('node_uuid', '=', nodeUuid)
        .where(tx.dialect.inList('name', tx.dialect.list([...stored.keys()])))
        .execute();
    }
    for (let i = 0; i < created.length; i += INSERT_BATCH) {
      await tx.db
        .insertInto('bios_settings')
        .values(created.slice(i, i + INSERT_BATCH))
        .execute();
    }
    return result;
  }

  async list(nodeUuid: string): Promise<BiosSetting[]> {
    const rows = await this.#ctx.db
      .selectFrom('bios_settings')
      .selectAll()
      .where('node_uuid', '=', nodeUuid)
      .execute();
    // Only an empty list needs the node checked: any setting proves it exists.
    if (rows.length === 0) await this.#nodeMustExist(nodeUuid);
    return rows.sort(byName).map(biosSettingFromRow);
  }

  async get(nodeUuid: string, name: string): Promise<BiosSetting> {
    const row = await this.#ctx.db
      .selectFrom('bios_settings')
      .selectAll()
      .where('node_uuid', '=', nodeUuid)
      .where('name', '=', name)
      .executeTakeFirst();
    if (row !== undefined) return biosSettingFromRow(row);
    await this.#nodeMustExist(nodeUuid);
    throw new FerriteError('BIOSSettingNotFound', { node: nodeUuid, name });
  }

  async #nodeMustExist(nodeUuid: string): Promise<void> {
    if (!(await exists(this.#ctx, 'nodes', 'uuid', nodeUuid))) {
      throw new FerriteError('NodeNotFound', { node: nodeUuid });
    }
  }
}
